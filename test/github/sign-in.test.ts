import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { githubSubjects, SIGN_IN_WORKFLOWS } from '../../config/github';
import { readYaml } from '../support/yaml';

/*
 * The workflows sign in exactly where the bootstrap's federated credentials (config/github.ts) let them:
 * every job that can request an OIDC token runs in the GitHub environment, and from the workflow file,
 * that one of githubSubjects()'s subjects names. Derived from that function, so the two cannot drift apart.
 */
const DIR = path.resolve(__dirname, '../../.github/workflows');
const files = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.yml'))
  .sort();
const workflow = (f: string) => readYaml(path.join(DIR, f));

/** A stand-in environment that opts in to everything, so every subject exists. */
const ENV = 'qa';
const SUBJECT = /^repo:([^:]+):environment:([^:]+):job_workflow_ref:\1\/\.github\/workflows\/([^@]+)@refs\/heads\/main$/;
const trusted = Object.entries(githubSubjects('contoso/aks-environments', { name: ENV, github: { pullRequestPlans: true } })).flatMap(
  ([identity, subjects]) =>
    subjects.map((s) => {
      const [, , environment, file] = SUBJECT.exec(s.subject)!;
      return { identity, file, environment };
    }),
);

/** A job's `environment` for environment ENV: the environment input or matrix value stands for it. */
const environmentOf = (job: any): string | undefined =>
  typeof job.environment === 'string' ? job.environment.replace(/\$\{\{\s*(inputs|matrix)\.environment\s*\}\}/g, ENV) : undefined;

/** Every job that can request an OIDC token, with its workflow file. */
const tokenJobs = files.flatMap((file) =>
  Object.entries<any>(workflow(file).jobs)
    .filter(([, job]) => job.permissions?.['id-token'] === 'write')
    .map(([name, job]) => ({ file, name, job })),
);

describe('sign-in: workflows and federated credentials', () => {
  it('the subjects are the ones the docs table lists: deploy, image (deploy identity); deploy plan, drift, pull requests (plan identity)', () => {
    expect(trusted).toEqual([
      { identity: 'deploy', file: 'deploy-environment.yml', environment: 'qa' },
      { identity: 'deploy', file: 'image.yml', environment: 'qa' },
      { identity: 'plan', file: 'deploy-environment.yml', environment: 'plan-qa' },
      { identity: 'plan', file: 'drift.yml', environment: 'plan-qa' },
      { identity: 'plan', file: 'plan-pull-request.yml', environment: 'plan-qa' },
    ]);
  });

  it.each(tokenJobs.filter(({ job }) => job.steps).map(({ file, name, job }) => [`${file}:${name}`, file, job]))(
    '%s signs in from a workflow file and GitHub environment that a federated credential trusts',
    (_, file, job) => {
      const environment = environmentOf(job);
      expect(environment).not.toMatch(/\$\{\{/);
      expect(trusted.filter((t) => t.file === file && t.environment === environment)).toHaveLength(1);
    },
  );

  it.each(tokenJobs.filter(({ job }) => job.uses).map(({ file, name, job }) => [`${file}:${name}`, file, job]))(
    '%s passes its token only to a sign-in workflow on main',
    (_, file, job) => {
      const onPullRequest = Object.keys(workflow(file).on).some((e) => e.startsWith('pull_request'));
      const local = /^\.\/\.github\/workflows\/(.+)$/.exec(job.uses);
      const remote = /^[\w.-]+\/[\w.-]+\/\.github\/workflows\/(.+)@main$/.exec(job.uses);
      // A local call runs at the caller's ref: main for push and schedule, refs/pull/<n>/merge for a pull request.
      if (onPullRequest) expect(remote).not.toBeNull();
      else expect(local).not.toBeNull();
      expect(Object.values(SIGN_IN_WORKFLOWS)).toContain((local ?? remote)![1]);
    },
  );

  it('every credential has its job: no subject without a workflow job that uses it', () => {
    const used = tokenJobs.filter(({ job }) => job.steps).map(({ file, job }) => `${file} ${environmentOf(job)}`);
    for (const t of trusted) expect(used).toContain(`${t.file} ${t.environment}`);
  });

  it('every plan job says which variable its GitHub environment lacks before anything else runs', () => {
    const planJobs = tokenJobs.filter(({ job }) => job.steps && environmentOf(job) === `plan-${ENV}`);
    expect(planJobs.map(({ file }) => file).sort()).toEqual(['deploy-environment.yml', 'drift.yml', 'plan-pull-request.yml']);
    for (const { job } of planJobs) {
      expect(job.steps[0].run).toContain('if [ -z "$ARM_CLIENT_ID" ] || [ -z "$ARM_TENANT_ID" ]; then');
      expect(job.steps[0].run).toContain('::error::GitHub environment plan-$ENVIRONMENT needs the variable AZURE_CLIENT_ID');
      expect(job.env).toMatchObject({ ARM_CLIENT_ID: '${{ vars.AZURE_CLIENT_ID }}', ARM_TENANT_ID: '${{ vars.AZURE_TENANT_ID }}' });
    }
  });

  it('no other job can request a token', () => {
    expect(tokenJobs.map(({ file, name }) => `${file}:${name}`).sort()).toEqual([
      'deploy-environment.yml:deploy',
      'deploy-environment.yml:plan',
      'deploy.yml:stage-1',
      'deploy.yml:stage-2',
      'deploy.yml:stage-3',
      'deploy.yml:stage-4',
      'deploy.yml:stage-5',
      'deploy.yml:stage-6',
      'drift.yml:plan',
      'image.yml:build',
      'plan-pull-request.yml:plan',
      'pr-review.yml:plan',
    ]);
  });
});

/** The repository pr-review.yml calls plan-pull-request.yml from, and the one its `if` requires. */
function planCaller(): { uses: string; guarded: string | undefined } {
  const job = workflow('pr-review.yml').jobs.plan;
  const uses = /^([\w.-]+\/[\w.-]+)\/\.github\/workflows\/plan-pull-request\.yml@main$/.exec(job.uses)?.[1] ?? job.uses;
  return { uses, guarded: /github\.repository == '([^']+)'/.exec(job.if)?.[1] };
}

/** What is wrong with pr-review.yml's literal repository, given the environment files in `dir`. */
function repositoryProblems(dir: string, literal: string): string[] {
  const yamlFiles = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)) : [];
  return yamlFiles.sort().flatMap((f) => {
    const repository = (parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { github?: { repository?: unknown } } | null)?.github?.repository;
    if (repository === undefined || repository === literal) return [];
    return [
      `${path.join(path.basename(dir), f)} sets github.repository: ${String(repository)}, but .github/workflows/pr-review.yml calls ` +
        `${literal}/.github/workflows/plan-pull-request.yml@main: in its plan job, set both the uses: and the if: to ${String(repository)}`,
    ];
  });
}

describe('pr-review calls this repository’s plan workflow', () => {
  it('names one repository in its uses: and its if:', () => {
    const { uses, guarded } = planCaller();
    expect(uses).toMatch(/^[\w.-]+\/[\w.-]+$/);
    expect(guarded).toBe(uses);
  });

  // Your environment files (or USER_ENVIRONMENTS_DIR): a copy of the repository that sets its own
  // github.repository and forgets pr-review.yml fails here, saying what to change.
  it('the repository every environment file names in github.repository', () => {
    const dir = process.env.USER_ENVIRONMENTS_DIR ?? path.resolve(__dirname, '../../environments');
    expect(repositoryProblems(dir, planCaller().uses)).toEqual([]);
  });

  it('a file naming another repository is reported with the file, the value and what to change', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sign-in-'));
    try {
      fs.writeFileSync(path.join(dir, 'qa.yaml'), 'name: qa\ngithub:\n  repository: fabrikam/infra\n');
      fs.writeFileSync(path.join(dir, 'dev.yaml'), 'name: dev\n');
      expect(repositoryProblems(dir, 'contoso/aks-environments')).toEqual([
        `${path.basename(dir)}/qa.yaml sets github.repository: fabrikam/infra, but .github/workflows/pr-review.yml calls ` +
          'contoso/aks-environments/.github/workflows/plan-pull-request.yml@main: in its plan job, set both the uses: and the if: to fabrikam/infra',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

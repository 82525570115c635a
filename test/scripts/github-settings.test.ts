import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  checkEnvironment,
  requirements,
  type BranchPoliciesResponse,
  type EnvironmentResponse,
  type Requirement,
} from '../../scripts/github-settings/check';
import { runGithubSettings, USAGE, type FetchLike } from '../../scripts/github-settings/main';
import { ENVIRONMENTS_DIR } from '../config/fixtures';

/*
 * The fixtures are GitHub's documented examples of "Get an environment" and "List deployment branch policies"
 * (docs.github.com/en/rest/deployments/environments, .../branch-policies), set as the workflows require:
 * Prevent self-review on, and the one branch rule `main`.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/github-settings');
const json = (file: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
const good = (): EnvironmentResponse => json('environment.json');
const mainOnly = (): BranchPoliciesResponse => json('deployment-branch-policies.json');
const withoutRule = (env: EnvironmentResponse, type: string): EnvironmentResponse => ({
  ...env,
  protection_rules: env.protection_rules!.filter((r) => r.type !== type),
});

const DEPLOY: Requirement = { name: 'prod', mainOnly: true, reviewers: 'required' };
const PLAN: Requirement = { name: 'plan-prod', mainOnly: true, reviewers: 'none' };
const check = (required: Requirement, environment: EnvironmentResponse, branchPolicies: BranchPoliciesResponse | undefined = mainOnly()) =>
  checkEnvironment(required, { found: true, environment, branchPolicies });
const FIX_BRANCHES =
  'set Settings → Environments → prod → Deployment branches and tags to "Selected branches and tags" with the one branch rule main';

describe('the GitHub environments of environment files', () => {
  it('are <env> with reviewers and plan-<env> without, both main only; plan-<env> admits pull requests when they plan', () => {
    expect(
      requirements([
        { name: 'prod', pullRequestPlans: false },
        { name: 'dev', pullRequestPlans: true },
      ]),
    ).toEqual([
      { name: 'prod', mainOnly: true, reviewers: 'required' },
      { name: 'plan-prod', mainOnly: true, reviewers: 'none' },
      { name: 'dev', mainOnly: true, reviewers: 'required' },
      { name: 'plan-dev', mainOnly: false, reviewers: 'none' },
    ]);
  });
});

describe('checkEnvironment', () => {
  it('finds nothing in settings as required', () => {
    expect(check(DEPLOY, good())).toEqual([]);
    expect(check(PLAN, withoutRule(good(), 'required_reviewers'))).toEqual([]);
  });

  it('a missing environment (404): create it, since a run would create it unprotected', () => {
    expect(checkEnvironment(DEPLOY, { found: false })).toEqual([
      'prod: the GitHub environment does not exist; create it under Settings → Environments → New environment ' +
        '(a workflow run that names a missing environment creates it without any protection rule)',
    ]);
  });

  it('no branch policy: any branch can deploy', () => {
    const env = withoutRule({ ...good(), deployment_branch_policy: null }, 'branch_policy');
    expect(check(DEPLOY, env, undefined)).toEqual([`prod: any branch can deploy ("No restriction"); ${FIX_BRANCHES}`]);
  });

  it('protected branches only: weaker, since it admits every protected branch, and all while none is', () => {
    const env = { ...good(), deployment_branch_policy: { protected_branches: true, custom_branch_policies: false } };
    expect(check(DEPLOY, env, undefined)).toEqual([
      `prod: "Protected branches only" admits every protected branch, and every branch while none is protected; ${FIX_BRANCHES}`,
    ]);
  });

  it('custom policies: anything besides the branch main, escaped; main missing; policies beyond the page', () => {
    const policies = (...list: { name: string; type?: string }[]): BranchPoliciesResponse => ({ total_count: list.length, branch_policies: list });
    expect(
      check(DEPLOY, good(), policies({ name: 'main', type: 'branch' }, { name: 'release/*', type: 'branch' }, { name: 'main', type: 'tag' })),
    ).toEqual([`prod: besides main, 'release/*' (branch), 'main' (tag) may deploy; ${FIX_BRANCHES}`]);
    expect(check(DEPLOY, good(), policies({ name: 'mai*\n::error::x', type: 'branch' }))).toEqual([
      `prod: besides main, 'mai*\\n::error::x' (branch) may deploy; ${FIX_BRANCHES}`,
      `prod: the branch main may not deploy, so its deploys are refused; ${FIX_BRANCHES}`,
    ]);
    // GitHub's documented example has no `type`: such a policy is a branch policy.
    expect(check(DEPLOY, good(), policies({ name: 'main' }))).toEqual([]);
    expect(check(DEPLOY, good(), { total_count: 101, branch_policies: [{ name: 'main', type: 'branch' }] })).toEqual([
      `prod: besides main, 100 more may deploy; ${FIX_BRANCHES}`,
    ]);
  });

  it('no required reviewers, or Prevent self-review off, where the deploy waits for an approval', () => {
    expect(check(DEPLOY, withoutRule(good(), 'required_reviewers'))).toEqual([
      'prod: no required reviewers, so a deploy applies without approval; add them under Settings → Environments → prod → Deployment protection rules → Required reviewers',
    ]);
    const selfReview = {
      ...good(),
      protection_rules: good().protection_rules!.map((r) => (r.type === 'required_reviewers' ? { ...r, prevent_self_review: false } : r)),
    };
    expect(check(DEPLOY, selfReview)).toEqual([
      'prod: Prevent self-review is off, so whoever started a deploy can approve it; turn on Settings → Environments → prod → Deployment protection rules → Prevent self-review',
    ]);
  });

  it('required reviewers on a plan environment, which would hold plans and drift for an approval', () => {
    expect(check(PLAN, good())).toEqual([
      'plan-prod: required reviewers hold the plan jobs and the daily drift check for an approval; remove them under Settings → Environments → plan-prod → Deployment protection rules → Required reviewers',
    ]);
  });

  it('a plan environment of pull-request plans may admit any branch', () => {
    const env = withoutRule({ ...good(), deployment_branch_policy: null }, 'required_reviewers');
    expect(check({ ...PLAN, mainOnly: false }, env, undefined)).toEqual([]);
  });
});

/** A fake GitHub API: responses by path under /repos/contoso/aks-environments; anything else is 404. */
function fakeGitHub(responses: Record<string, unknown>, status: Record<string, number> = {}) {
  const requests: { url: string; headers: Record<string, string> }[] = [];
  const fetch: FetchLike = async (url, init) => {
    requests.push({ url, headers: init.headers });
    const key = url.replace('https://api.github.com/repos/contoso/aks-environments', '');
    const code = status[key] ?? (key in responses ? 200 : 404);
    return { status: code, json: async () => responses[key] };
  };
  return { fetch, requests };
}

/** Every fixture environment's two GitHub environments, as required. */
function allGood(): Record<string, unknown> {
  const responses: Record<string, unknown> = { '/environments?per_page=1': { total_count: 6, environments: [] } };
  for (const env of ['dev', 'staging', 'prod']) {
    responses[`/environments/${env}`] = { ...good(), name: env };
    responses[`/environments/plan-${env}`] = withoutRule({ ...good(), name: `plan-${env}` }, 'required_reviewers');
    for (const name of [env, `plan-${env}`]) responses[`/environments/${name}/deployment-branch-policies?per_page=100`] = mainOnly();
  }
  return responses;
}

const TOKEN = 'ghs_000000000000000000000000000000000000';
async function run(args: string[], github = fakeGitHub(allGood()), env: NodeJS.ProcessEnv = { GITHUB_TOKEN: TOKEN }) {
  let out = '';
  let err = '';
  const code = await runGithubSettings(
    args,
    { out: (t) => (out += t), err: (t) => (err += t) },
    {
      fetch: github.fetch,
      env: { ENVIRONMENTS_DIR, ...env },
    },
  );
  return { code, out, err };
}

describe('npm run github-settings', () => {
  it('--help prints the usage, exit 0, without a request', async () => {
    const github = fakeGitHub({});
    expect(await run(['--help'], github)).toEqual({ code: 0, out: `${USAGE}\n`, err: '' });
    expect(github.requests).toEqual([]);
  });

  it('refuses an unknown option, a missing --repo and a bad one in one line, exit 2', async () => {
    const hint = '(npm run github-settings -- --help lists the options)\n';
    expect(await run(['--frobnicate'])).toEqual({ code: 2, out: '', err: `npm run github-settings: unknown option '--frobnicate' ${hint}` });
    expect((await run([])).err).toBe(`npm run github-settings: --repo OWNER/REPO is required ${hint}`);
    expect((await run(['--repo', 'contoso'])).err).toBe(`npm run github-settings: --repo 'contoso' is not OWNER/REPO ${hint}`);
  });

  it('clean settings: exit 0, naming what it checked; the token only in the Authorization header', async () => {
    const github = fakeGitHub(allGood());
    const { code, out, err } = await run(['--repo', 'contoso/aks-environments'], github);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toBe('contoso/aks-environments: dev, plan-dev, staging, plan-staging, prod, plan-prod are as the workflows require\n');
    // The access probe, then each environment and, as it has custom policies, its branch policies.
    expect(github.requests.map((r) => r.url.replace(/^.*aks-environments/, ''))).toEqual([
      '/environments?per_page=1',
      ...['dev', 'plan-dev', 'staging', 'plan-staging', 'prod', 'plan-prod'].flatMap((n) => [
        `/environments/${n}`,
        `/environments/${n}/deployment-branch-policies?per_page=100`,
      ]),
    ]);
    expect(github.requests.every((r) => r.headers.Authorization === `Bearer ${TOKEN}` && !r.url.includes(TOKEN))).toBe(true);
  });

  it('problems: exit 1, each listed; --env checks one environment', async () => {
    const responses = allGood();
    delete responses['/environments/plan-prod'];
    responses['/environments/prod'] = withoutRule(good(), 'required_reviewers');
    const { code, out, err } = await run(['--repo', 'contoso/aks-environments', '--env', 'prod'], fakeGitHub(responses));
    expect({ code, out }).toEqual({ code: 1, out: '' });
    expect(err.split('\n')).toEqual([
      'npm run github-settings: 2 problem(s) in the GitHub environments of contoso/aks-environments:',
      expect.stringMatching(/^ {2}- prod: no required reviewers/),
      expect.stringMatching(/^ {2}- plan-prod: the GitHub environment does not exist/),
      '',
    ]);
  });

  it('says which of 401, 403 and 404 kept it from reading the settings, and never prints the token', async () => {
    const refused = (status: number) =>
      run(['--repo', 'contoso/aks-environments'], fakeGitHub(allGood(), { '/environments?per_page=1': status })).catch((e: Error) => e.message);
    expect(await refused(401)).toBe('the token was refused (401 Bad credentials): it is expired, revoked or mistyped');
    expect(await refused(403)).toBe(
      'the token may not read the environments of contoso/aks-environments (403): it needs the "Actions" repository permission (read), or the rate limit is used up',
    );
    expect(await refused(404)).toBe(
      'contoso/aks-environments was not found (404): the repository does not exist, the token cannot see it, or its plan has no environments',
    );
    const policies = fakeGitHub(allGood(), { '/environments/dev/deployment-branch-policies?per_page=100': 403 });
    expect(await run(['--repo', 'contoso/aks-environments'], policies).catch((e: Error) => e.message)).toMatch(
      /^the token may not read the deployment branch policies of dev \(403\)/,
    );
    for (const status of [401, 403, 404]) expect(await refused(status)).not.toContain(TOKEN);
  });

  it('without GITHUB_TOKEN or GH_TOKEN: one line, no request; GH_TOKEN works too', async () => {
    const github = fakeGitHub(allGood());
    await expect(run(['--repo', 'contoso/aks-environments'], github, {})).rejects.toThrow(/^no token: set GITHUB_TOKEN or GH_TOKEN/);
    expect(github.requests).toEqual([]);
    expect((await run(['--repo', 'contoso/aks-environments'], github, { GH_TOKEN: TOKEN })).code).toBe(0);
  });

  it('an unreachable API: one line naming it', async () => {
    const down: FetchLike = async () => {
      throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND api.github.com') });
    };
    await expect(run(['--repo', 'contoso/aks-environments'], { fetch: down, requests: [] })).rejects.toThrow(
      'cannot reach https://api.github.com: fetch failed (getaddrinfo ENOTFOUND api.github.com)',
    );
  });

  it('an unknown --env names the known environments', async () => {
    await expect(run(['--repo', 'contoso/aks-environments', '--env', 'qa'])).rejects.toThrow(/unknown environment 'qa'.*dev, prod, staging/);
  });
});

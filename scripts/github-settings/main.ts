/*
 * `npm run github-settings -- --repo OWNER/REPO [--env NAME] [--help]`: reads the GitHub environments of every
 * environment file from GitHub's REST API and lists what differs from what the workflows rely on (check.ts).
 * drift.yml runs it daily with the workflow's GITHUB_TOKEN (actions: read).
 */
import { InputError } from '../../config';
import { environmentsOutput } from '../environments';
import { commandLineOrExitCode, parseArgs, quoted } from '../usage.mjs';
import { checkEnvironment, requirements, type BranchPoliciesResponse, type EnvironmentResponse, type Observed } from './check';

export const USAGE = `usage: npm run github-settings -- --repo OWNER/REPO [--env NAME] [--help]

Checks the GitHub environments the workflows rely on, for each file in environments/ (or ENVIRONMENTS_DIR):
<env> admits only the branch main and has required reviewers with Prevent self-review; plan-<env> admits only
main (any branch with github.pullRequestPlans) and has no required reviewers. Exit 0: as required; 1: the
problems, listed, or settings that cannot be read; 2: a bad command line.

The token is GITHUB_TOKEN or GH_TOKEN: "Actions" repository permission (read), a workflow's
\`permissions: actions: read\`, or for a private repository a classic token with the repo scope.

  --repo OWNER/REPO  the repository, e.g. contoso/aks-environments
  --env NAME         only this environment's two GitHub environments
  --help             this text`;

const OPTIONS = { '--repo': 'value', '--env': 'value' } as const;

/** owner/repo as GitHub spells it (config/schema.ts, github.repository). */
const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;

/** The part of fetch the command uses; tests pass a fake. */
export type FetchLike = (url: string, init: { headers: Record<string, string> }) => Promise<{ status: number; json(): Promise<unknown> }>;

/** Settings that cannot be read: one line, exit 1. */
class AccessError extends InputError {}

/** A GitHub API client for one repository: GET only, the token only in the Authorization header. */
function client(repo: string, token: string, fetchImpl: FetchLike, apiUrl: string) {
  const headers = {
    Accept: 'application/vnd.github+json',
    Authorization: `Bearer ${token}`,
    'X-GitHub-Api-Version': '2022-11-28',
    'User-Agent': 'aks-environments-github-settings',
  };
  return async (path: string): Promise<{ status: number; body: unknown }> => {
    const response = await fetchImpl(`${apiUrl}/repos/${repo}${path}`, { headers }).catch((error: Error) => {
      const cause = (error.cause as Error | undefined)?.message;
      throw new AccessError(`cannot reach ${apiUrl}: ${error.message}${cause ? ` (${cause})` : ''}`);
    });
    return { status: response.status, body: response.status === 200 ? await response.json() : undefined };
  };
}

/**
 * Why a request was refused, in one line. GitHub answers 404 rather than 403 for a private repository the
 * token cannot see; a rate limit is 403 or 429.
 * @see https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api
 */
function refused(repo: string, what: string, status: number): AccessError {
  const why: Record<number, string> = {
    401: 'the token was refused (401 Bad credentials): it is expired, revoked or mistyped',
    403: `the token may not read ${what} (403): it needs the "Actions" repository permission (read), or the rate limit is used up`,
    404: `${repo} was not found (404): the repository does not exist, the token cannot see it, or its plan has no environments`,
    429: `the rate limit is used up (429) reading ${what}; try again later`,
  };
  return new AccessError(why[status] ?? `GitHub answered ${status} for ${what}`);
}

/** One GitHub environment as GitHub has it: 404 is a missing environment; branch policies are read only when they apply. */
async function observe(get: ReturnType<typeof client>, repo: string, name: string): Promise<Observed> {
  const path = `/environments/${encodeURIComponent(name)}`;
  const environment = await get(path);
  if (environment.status === 404) return { found: false };
  if (environment.status !== 200) throw refused(repo, `environment ${name}`, environment.status);
  const body = environment.body as EnvironmentResponse;
  if (!body.deployment_branch_policy?.custom_branch_policies) return { found: true, environment: body };
  const policies = await get(`${path}/deployment-branch-policies?per_page=100`);
  if (policies.status !== 200) throw refused(repo, `the deployment branch policies of ${name}`, policies.status);
  return { found: true, environment: body, branchPolicies: policies.body as BranchPoliciesResponse };
}

/** Runs the command; returns the exit code (0 clean, 1 problems, 2 a bad command line). Unreadable settings throw an InputError. */
export async function runGithubSettings(
  args: ReadonlyArray<string>,
  io: { out: (text: string) => void; err: (text: string) => void },
  deps: { fetch: FetchLike; env: NodeJS.ProcessEnv },
): Promise<number> {
  const lines = { out: (line: string) => io.out(`${line}\n`), err: (line: string) => io.err(`${line}\n`) };
  const commandLine = commandLineOrExitCode(parseArgs(args, OPTIONS), USAGE, lines);
  if (typeof commandLine === 'number') return commandLine;
  const { repo, env: only } = commandLine.options;
  if (repo === undefined) return commandLineOrExitCode({ error: '--repo OWNER/REPO is required' }, USAGE, lines);
  if (!REPOSITORY.test(repo)) return commandLineOrExitCode({ error: `--repo ${quoted(repo)} is not OWNER/REPO` }, USAGE, lines);
  const token = deps.env.GITHUB_TOKEN || deps.env.GH_TOKEN;
  if (!token) throw new AccessError('no token: set GITHUB_TOKEN or GH_TOKEN to one that may read the repository\'s environments ("Actions": read)');

  const { environments } = environmentsOutput(deps.env.ENVIRONMENTS_DIR ?? 'environments', only);
  const get = client(repo, token, deps.fetch, deps.env.GITHUB_API_URL ?? 'https://api.github.com');
  // First the repository's environments at all: a wrong repository or token is one error, not a missing environment each.
  const probe = await get('/environments?per_page=1');
  if (probe.status !== 200) throw refused(repo, `the environments of ${repo}`, probe.status);

  const required = requirements(environments);
  const problems: string[] = [];
  for (const requirement of required) problems.push(...checkEnvironment(requirement, await observe(get, repo, requirement.name)));
  if (problems.length) {
    lines.err(`npm run github-settings: ${problems.length} problem(s) in the GitHub environments of ${repo}:`);
    for (const problem of problems) lines.err(`  - ${problem}`);
    return 1;
  }
  lines.out(`${repo}: ${required.map((r) => r.name).join(', ')} are as the workflows require`);
  return 0;
}

// `npm run github-settings`: `node scripts/run-app.mjs scripts/github-settings/main.ts ARGS` (the entry is the first argument).
if (process.argv[2]?.endsWith('scripts/github-settings/main.ts')) {
  runGithubSettings(
    process.argv.slice(3),
    { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) },
    { fetch: (url, init) => fetch(url, init), env: process.env },
  ).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // A failed request's error names the URL, never the headers, so the token is not printed.
      console.error((error as { isInputError?: boolean }).isInputError ? `npm run github-settings: ${(error as Error).message}` : error);
      process.exitCode = 1;
    },
  );
}

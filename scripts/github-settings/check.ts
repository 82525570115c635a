/*
 * The GitHub environment settings the workflows rely on and cannot set themselves (docs/supply-chain.md,
 * "Repository settings"), checked against GitHub's REST responses. Pure: main.ts does the requests.
 *
 * Per environment file <env> there are two GitHub environments (config/github.ts):
 * - <env>, where deploy-environment.yml's `deploy` job and image.yml's build wait for approval: only `main` may
 *   deploy, and required reviewers with Prevent self-review. Every environment needs them, because the deploy
 *   workflows are built as plan → approval → apply and the config has no notion of an unreviewed environment.
 * - plan-<env>, for the plan jobs and drift: only `main` (any branch once github.pullRequestPlans is on, as
 *   GitHub checks a pull request's head branch against it), and no reviewers, so plans run before the
 *   approval and drift runs unattended.
 */
import { deployGitHubEnvironment, planGitHubEnvironment } from '../../config/github';
import { quoted } from '../usage.mjs';

/**
 * What `GET /repos/{owner}/{repo}/environments/{name}` returns, as far as the check reads it.
 * @see https://docs.github.com/en/rest/deployments/environments#get-an-environment
 */
export interface EnvironmentResponse {
  readonly name: string;
  /** Built-in rules: `{ type: 'wait_timer', wait_timer }`, `{ type: 'required_reviewers', prevent_self_review, reviewers }`, `{ type: 'branch_policy' }`. */
  readonly protection_rules?: ReadonlyArray<ProtectionRule>;
  /** `null` (or absent): "No restriction", any branch or tag may deploy. */
  readonly deployment_branch_policy?: { readonly protected_branches: boolean; readonly custom_branch_policies: boolean } | null;
}

export interface ProtectionRule {
  readonly type: string;
  readonly prevent_self_review?: boolean;
  readonly reviewers?: ReadonlyArray<unknown>;
}

/**
 * What `GET /repos/{owner}/{repo}/environments/{name}/deployment-branch-policies` returns (only when
 * custom_branch_policies is true). `type` is 'branch' or 'tag'; GitHub's own example omits it, so a
 * policy without one is taken for a branch policy, the only kind before tag policies existed.
 * @see https://docs.github.com/en/rest/deployments/branch-policies#list-deployment-branch-policies
 */
export interface BranchPoliciesResponse {
  readonly total_count: number;
  readonly branch_policies: ReadonlyArray<{ readonly name: string; readonly type?: string }>;
}

/** What one GitHub environment must be. */
export interface Requirement {
  readonly name: string;
  /** Only the branch `main` may deploy (Deployment branches and tags: Selected, exactly `main`). */
  readonly mainOnly: boolean;
  /** 'required': required reviewers with Prevent self-review; 'none': no required reviewers. */
  readonly reviewers: 'required' | 'none';
}

/** What GitHub answered for one environment: 404, or the environment and (with custom policies) its branch policies. */
export type Observed =
  | { readonly found: false }
  | { readonly found: true; readonly environment: EnvironmentResponse; readonly branchPolicies?: BranchPoliciesResponse };

/** The GitHub environments of these environment files, and what each must be. */
export function requirements(envs: ReadonlyArray<{ readonly name: string; readonly pullRequestPlans: boolean }>): Requirement[] {
  return envs.flatMap((env) => [
    { name: deployGitHubEnvironment(env.name), mainOnly: true, reviewers: 'required' as const },
    { name: planGitHubEnvironment(env.name), mainOnly: !env.pullRequestPlans, reviewers: 'none' as const },
  ]);
}

/** Where a setting is in GitHub's UI. */
const ui = (env: string, setting: string) => `Settings → Environments → ${env} → ${setting}`;
const BRANCHES = 'Deployment branches and tags';
const RULES = 'Deployment protection rules → ';
const MAIN_ONLY = `"Selected branches and tags" with the one branch rule main`;

/** The problems of one GitHub environment, each naming the environment and where to fix it; none when it is as required. */
export function checkEnvironment(required: Requirement, observed: Observed): string[] {
  const name = required.name;
  if (!observed.found) {
    // https://docs.github.com/en/actions/how-tos/deploy/configure-and-manage-deployments/manage-environments
    // ("Running a workflow that references an environment that does not exist will create an environment
    // with the referenced name. The newly created environment will not have any protection rules")
    return [
      `${name}: the GitHub environment does not exist; create it under Settings → Environments → New environment ` +
        '(a workflow run that names a missing environment creates it without any protection rule)',
    ];
  }
  const problems: string[] = [];
  if (required.mainOnly) problems.push(...branchProblems(name, observed.environment, observed.branchPolicies));
  const rules = observed.environment.protection_rules ?? [];
  const reviewers = rules.find((r) => r.type === 'required_reviewers' && (r.reviewers?.length ?? 0) > 0);
  if (required.reviewers === 'required') {
    if (!reviewers) {
      problems.push(`${name}: no required reviewers, so a deploy applies without approval; add them under ${ui(name, RULES + 'Required reviewers')}`);
    } else if (reviewers.prevent_self_review !== true) {
      problems.push(
        `${name}: Prevent self-review is off, so whoever started a deploy can approve it; turn on ${ui(name, RULES + 'Prevent self-review')}`,
      );
    }
  } else if (reviewers) {
    problems.push(
      `${name}: required reviewers hold the plan jobs and the daily drift check for an approval; remove them under ${ui(name, RULES + 'Required reviewers')}`,
    );
  }
  return problems;
}

/** Deployment branches: only `main`. */
function branchProblems(name: string, environment: EnvironmentResponse, listed: BranchPoliciesResponse | undefined): string[] {
  const policy = environment.deployment_branch_policy;
  const fix = `set ${ui(name, BRANCHES)} to ${MAIN_ONLY}`;
  if (!policy) return [`${name}: any branch can deploy ("No restriction"); ${fix}`];
  if (policy.protected_branches) {
    // https://docs.github.com/en/actions/reference/workflows-and-actions/deployments-and-environments#deployment-branches-and-tags
    // ("Protected branches only: ... If no branch protection rules are defined for any branch in the
    // repository, then all branches can deploy"), and a token here cannot read which branches are protected.
    return [`${name}: "Protected branches only" admits every protected branch, and every branch while none is protected; ${fix}`];
  }
  if (!listed) throw new Error(`${name}: custom_branch_policies is on, but its deployment branch policies were not read`);
  const isMain = (p: { name: string; type?: string }) => p.name === 'main' && (p.type ?? 'branch') === 'branch';
  const others = listed.branch_policies.filter((p) => !isMain(p)).map((p) => `${quoted(p.name)} (${p.type ?? 'branch'})`);
  const unlisted = listed.total_count - listed.branch_policies.length;
  if (unlisted > 0) others.push(`${unlisted} more`);
  const problems: string[] = [];
  if (others.length) problems.push(`${name}: besides main, ${others.join(', ')} may deploy; ${fix}`);
  if (!listed.branch_policies.some(isMain)) problems.push(`${name}: the branch main may not deploy, so its deploys are refused; ${fix}`);
  return problems;
}

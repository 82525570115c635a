import type { EnvironmentConfig } from './schema';

/*
 * Which GitHub Actions jobs may sign in as an environment's identities: the one place the federated
 * credential subjects are derived. The bootstrap stack creates them; the workflows and docs follow the
 * same facts (workflow files, GitHub environment names, the OIDC subject template).
 *
 * The repository's OIDC subject template includes the keys repo, context and job_workflow_ref, so a token's
 * subject is `repo:<owner>/<repo>:<context>:job_workflow_ref:<owner>/<repo>/.github/workflows/<file>@<ref>`.
 * @see https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#customizing-the-subject-claims-for-an-organization-or-repository
 *   ("Example: Requiring a reusable workflow and other claims": `repo:octo-org/octo-repo:environment:prod:job_workflow_ref:octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main`)
 *
 * Every job that signs in references a GitHub environment, so the context is always `environment:<name>`:
 * never `ref:...` or `pull_request`, whose form depends on the trigger. Azure matches a subject exactly; a
 * managed identity has no wildcard (flexible federated credentials are not available for managed identities:
 * https://learn.microsoft.com/entra/workload-id/workload-identities-set-up-flexible-federated-identity-credential).
 */

/** GitHub's token issuer. */
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

/** The audience Entra ID expects in a federated token (azure/login's default). */
export const AZURE_TOKEN_AUDIENCE = 'api://AzureADTokenExchange';

/** Claim keys of the repository's OIDC subject template (PUT repos/<owner>/<repo>/actions/oidc/customization/sub). */
export const OIDC_SUBJECT_CLAIM_KEYS = ['repo', 'context', 'job_workflow_ref'] as const;

/** The only branch whose workflow files may sign in. */
export const TRUSTED_REF = 'refs/heads/main';

/** Workflow files whose jobs sign in to Azure. */
export const SIGN_IN_WORKFLOWS = {
  /** Both jobs of an environment's deploy: `plan` (plan identity) and `deploy` (deploy identity). */
  deploy: 'deploy-environment.yml',
  /** The daily drift check (plan identity). */
  drift: 'drift.yml',
  /**
   * Image builds into the environment's registry (deploy identity): pushing and locking a tag need registry
   * write rights, which the deploy identity holds (Contributor), and the job waits for the same approval.
   */
  image: 'image.yml',
  /**
   * Pull-request plans (plan identity): a reusable workflow that pr-review.yml calls as
   * `<owner>/<repo>/.github/workflows/plan-pull-request.yml@main`, so its job_workflow_ref names main and not
   * the pull request's merge ref (refs/pull/<n>/merge, which no exact subject can match).
   */
  pullRequestPlan: 'plan-pull-request.yml',
} as const;

/** GitHub environment of an environment's deploy and image jobs: required reviewers and the deploy identity's AZURE_CLIENT_ID. */
export const deployGitHubEnvironment = (env: string) => env;

/** GitHub environment of an environment's plan jobs: no reviewers, the plan identity's AZURE_CLIENT_ID. */
export const planGitHubEnvironment = (env: string) => `plan-${env}`;

/** Who signs in: `deploy` applies and pushes images, `plan` plans (the deploy's plan job, drift, opted-in pull requests). */
export type SignInIdentity = 'deploy' | 'plan';

/** One federated credential: its name on the identity, the exact subject, and why it exists. */
export interface FederatedSubject {
  readonly name: string;
  readonly subject: string;
  readonly why: string;
}

const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;

/** The subject of a token from `workflow` on main, in a job that references GitHub environment `githubEnvironment`. */
export function oidcSubject(repository: string, githubEnvironment: string, workflow: string): string {
  if (!REPOSITORY.test(repository)) throw new Error(`'${repository}' is not a GitHub repository (owner/repo)`);
  return `repo:${repository}:environment:${githubEnvironment}:job_workflow_ref:${repository}/.github/workflows/${workflow}@${TRUSTED_REF}`;
}

/** The federated subjects of an environment's deploy and plan identities, for the repository its file names. */
export function githubSubjects(
  repository: string,
  env: Pick<EnvironmentConfig, 'name'> & { readonly github?: { readonly pullRequestPlans: boolean } },
): Record<SignInIdentity, FederatedSubject[]> {
  const plan = planGitHubEnvironment(env.name);
  const subjects: Record<SignInIdentity, FederatedSubject[]> = {
    deploy: [
      {
        name: 'github-deploy',
        subject: oidcSubject(repository, deployGitHubEnvironment(env.name), SIGN_IN_WORKFLOWS.deploy),
        why: 'the deploy job of deploy-environment.yml on main, after the environment approval',
      },
      {
        name: 'github-image',
        subject: oidcSubject(repository, deployGitHubEnvironment(env.name), SIGN_IN_WORKFLOWS.image),
        why: "image.yml on main: build, push and lock a tag in the environment's registry, after the environment approval",
      },
    ],
    plan: [
      {
        name: 'github-deploy-plan',
        subject: oidcSubject(repository, plan, SIGN_IN_WORKFLOWS.deploy),
        why: 'the plan job of deploy-environment.yml on main, before the approval',
      },
      { name: 'github-drift', subject: oidcSubject(repository, plan, SIGN_IN_WORKFLOWS.drift), why: 'the daily drift check on main' },
    ],
  };
  if (env.github?.pullRequestPlans) {
    subjects.plan.push({
      name: 'github-pull-request-plan',
      subject: oidcSubject(repository, plan, SIGN_IN_WORKFLOWS.pullRequestPlan),
      why: "pull-request plans, through main's plan-pull-request.yml (runs the pull request's code)",
    });
  }
  return subjects;
}

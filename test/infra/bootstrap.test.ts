import { ConfigError, type EnvironmentConfig } from '../../config';
import { githubSubjects, oidcSubject } from '../../config/github';
import { AKS_CRD_READER, AKS_PLAN_READER, customRoleName, identityGrants, VNET_JOINER, type Grant } from '../../infra/access/grants';
import { customRoleGuid } from '../../infra/access/role-ids';
import { APP_TEAM_WRITER_ROLE } from '../../infra/constructs/namespace-access';
import { providerNamespaces } from '../../infra/access/providers';
import { Testing } from '../../infra/cdktf';
import { BOOTSTRAP_STATE_PATH, BootstrapStack } from '../../infra/stacks/bootstrap-stack';
import { environment, ENVIRONMENT_NAMES } from '../config/fixtures';
import { azurermProblems } from '../support/azurerm-schema';
import { terraformTestApp } from '../support/test-apps';
import { synthApps, synthPlatform } from './synth';

type Json = { resource: Record<string, Record<string, any>>; provider: { azurerm: any[] }; terraform: any; output: Record<string, any> };

const REPO = 'contoso/aks-environments';
const TOOLS = '44444444-4444-4444-4444-444444444444';
/** The fixtures, deployable from REPO, with their shared state account in a tooling subscription. */
const withState = (name: string, patch: Record<string, any> = {}) =>
  environment(name, {
    ...patch,
    github: { repository: REPO, ...patch.github },
    state: { subscriptionId: TOOLS, location: 'westeurope', ...patch.state },
  });
const fixtures = () => ENVIRONMENT_NAMES.map((name) => withState(name));

function synth(envs: EnvironmentConfig[]): { json: Json; text: string; stack: BootstrapStack } {
  const stack = new BootstrapStack(terraformTestApp(), { environments: envs });
  const text = Testing.synth(stack, true);
  return { json: JSON.parse(text), text, stack };
}

const resources = (json: Json, type: string): any[] => Object.values(json.resource[type] ?? {});
const identityKey = (json: Json, name: string) =>
  Object.entries(json.resource.azurerm_user_assigned_identity).find(([, r]) => r.name === name)?.[0] ?? `(no identity ${name})`;
const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.file} ${p.path} = ${JSON.stringify(p.value)}: ${p.message}`);
    throw error;
  }
  return [];
};

describe('bootstrap stack, fixture environments with the state in a tooling subscription', () => {
  const { json, text, stack } = synth(fixtures());

  it('is valid against the azurerm 4.55 schema, with local state', () => {
    expect(azurermProblems(json)).toEqual([]);
    expect(json.terraform.backend).toEqual({ local: { path: BOOTSTRAP_STATE_PATH } });
    expect(BOOTSTRAP_STATE_PATH).toBe('../../../../.state/bootstrap.tfstate');
    expect(stack.warnings).toEqual([]);
  });

  it('has no client secret, password, key or SAS anywhere', () => {
    const types = Object.keys(json.resource);
    expect(types.filter((t) => /password|secret|certificate|sas|key/i.test(t))).toEqual([]);
    const keys: string[] = [];
    const walk = (v: unknown, at: string) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          keys.push(`${at}.${k}`);
          walk(x, `${at}.${k}`);
        }
      }
    };
    walk(json.resource, 'resource');
    walk(json.provider, 'provider');
    // shared_access_key_enabled is the switch that turns keys off (false, checked below); nothing else may name one.
    // Resource names are left out: the app team's role is 'AKS namespace writer without Secrets'.
    const attributes = keys.filter((k) => !/^resource\.[^.]+\.[^.]+$/.test(k));
    expect(attributes.filter((k) => /(secret|password|access_key|sas_|client_certificate)[^.]*$/i.test(k))).toEqual([
      expect.stringMatching(/^resource\.azurerm_storage_account\.[^.]+\.shared_access_key_enabled$/),
    ]);
    expect(text).not.toMatch(/client_secret|sharedKey|listKeys/i);
  });

  it('keeps the state in one Entra-ID-only account: shared keys off, TLS 1.2, no public blobs, versions and soft delete', () => {
    const [account] = resources(json, 'azurerm_storage_account');
    expect(resources(json, 'azurerm_storage_account')).toHaveLength(1);
    expect(account).toMatchObject({
      name: 'sttfstatephotoview',
      resource_group_name: expect.stringMatching(/^\$\{azurerm_resource_group\.State-sttfstatephotoview_ResourceGroup_\w+\.name\}$/),
      location: 'westeurope',
      account_replication_type: 'ZRS',
      shared_access_key_enabled: false,
      default_to_oauth_authentication: true,
      min_tls_version: 'TLS1_2',
      https_traffic_only_enabled: true,
      allow_nested_items_to_be_public: false,
      cross_tenant_replication_enabled: false,
      blob_properties: { versioning_enabled: true, delete_retention_policy: { days: 30 }, container_delete_retention_policy: { days: 30 } },
      lifecycle: { prevent_destroy: true },
      provider: `azurerm.subscription-${TOOLS}`,
    });
    expect(resources(json, 'azurerm_resource_group')).toEqual([
      expect.objectContaining({ name: 'rg-tfstate-weu', location: 'westeurope', provider: `azurerm.subscription-${TOOLS}` }),
    ]);
  });

  it('makes one private container per environment', () => {
    const containers = resources(json, 'azurerm_storage_container');
    expect(containers.map((c) => c.name).sort()).toEqual(['tfstate-dev', 'tfstate-prod', 'tfstate-staging']);
    for (const c of containers) expect(c.container_access_type).toBe('private');
  });

  it('federates each identity with exactly the subjects of config/github.ts, and nothing else', () => {
    const credentials = resources(json, 'azurerm_federated_identity_credential');
    for (const c of credentials) {
      expect(c.issuer).toBe('https://token.actions.githubusercontent.com');
      expect(c.audience).toEqual(['api://AzureADTokenExchange']);
    }
    const subjectsOf = (identity: string) =>
      credentials.filter((c) => c.parent_id === `\${azurerm_user_assigned_identity.${identityKey(json, identity)}.id}`).map((c) => c.subject);
    expect(subjectsOf('id-photoview-dev-weu-github-deploy')).toEqual([
      'repo:contoso/aks-environments:environment:dev:job_workflow_ref:contoso/aks-environments/.github/workflows/deploy-environment.yml@refs/heads/main',
      'repo:contoso/aks-environments:environment:dev:job_workflow_ref:contoso/aks-environments/.github/workflows/image.yml@refs/heads/main',
    ]);
    expect(subjectsOf('id-photoview-dev-weu-github-plan')).toEqual([
      'repo:contoso/aks-environments:environment:plan-dev:job_workflow_ref:contoso/aks-environments/.github/workflows/deploy-environment.yml@refs/heads/main',
      'repo:contoso/aks-environments:environment:plan-dev:job_workflow_ref:contoso/aks-environments/.github/workflows/drift.yml@refs/heads/main',
    ]);
    expect(credentials).toHaveLength(ENVIRONMENT_NAMES.length * 4);
    // Azure refuses concurrent credential writes on one identity: the second waits for the first.
    const plan = credentials.filter((c) => c.parent_id.includes(identityKey(json, 'id-photoview-dev-weu-github-plan')));
    expect(plan[1].depends_on).toEqual([expect.stringMatching(/^azurerm_federated_identity_credential\.dev-plan_Credential-github-deploy-plan_/)]);
  });

  it("assigns each identity exactly its grants from grants.ts, in the environment's subscription or on its own state container", () => {
    const account = Object.keys(json.resource.azurerm_storage_account)[0];
    const roleIds = Object.fromEntries(Object.entries(json.resource.azurerm_role_definition).map(([key, r]) => [r.name, key]));
    for (const env of fixtures()) {
      for (const kind of ['deploy', 'plan'] as const) {
        const principal = `\${azurerm_user_assigned_identity.${identityKey(json, `id-photoview-${env.name}-weu-github-${kind}`)}.principal_id}`;
        const actual = resources(json, 'azurerm_role_assignment')
          .filter((a) => a.principal_id === principal)
          .map((a) => ({ role: a.role_definition_name ?? a.role_definition_id, scope: a.scope, condition: a.condition, provider: a.provider }));
        const scopes: Partial<Record<Grant['scope']['kind'], string>> = {
          subscription: `/subscriptions/${env.subscriptionId}`,
          stateContainer: `\${azurerm_storage_account.${account}.id}/blobServices/default/containers/tfstate-${env.name}`,
          planIdentity: `\${azurerm_user_assigned_identity.${identityKey(json, `id-photoview-${env.name}-weu-github-plan`)}.id}`,
        };
        const scopeOf = (g: Grant) => scopes[g.scope.kind] ?? '(not in the fixtures)';
        // The app namespace's grants are the platform stack's: the cluster does not exist yet.
        const bootstrapGrants = identityGrants(env)[kind].filter((g) => g.scope.kind !== 'appNamespace');
        const expected = bootstrapGrants.map((g) => ({
          role:
            'builtIn' in g.role
              ? g.role.builtIn
              : `/subscriptions/${env.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/\${azurerm_role_definition.${roleIds[customRoleName(g.role.custom, env)]}.role_definition_id}`,
          scope: scopeOf(g),
          condition: g.condition,
          provider: `azurerm.subscription-${g.scope.kind === 'subscription' ? env.subscriptionId : TOOLS}`,
        }));
        // Terraform JSON lists resources by address, not in the order of grants.ts.
        const sorted = (list: object[]) => list.map((x) => JSON.stringify(x)).sort();
        expect(sorted(actual)).toEqual(sorted(expected));
        expect(actual.length).toBeGreaterThan(2);
      }
    }
    for (const a of resources(json, 'azurerm_role_assignment')) expect(a.principal_type).toBe('ServicePrincipal');
    const conditioned = resources(json, 'azurerm_role_assignment').filter((a) => a.condition);
    expect(conditioned.length).toBe(ENVIRONMENT_NAMES.length);
    for (const a of conditioned) expect(a.condition_version).toBe('2.0');
  });

  it('gives the plan identity the CRD reader on the subscription, the plan reader nowhere (the platform assigns it on the app namespace), and Reader on itself', () => {
    const roleKey = (role: string, env: EnvironmentConfig) =>
      Object.entries(json.resource.azurerm_role_definition).find(([, r]) => r.name === customRoleName(role, env))![0];
    for (const env of fixtures()) {
      const planKey = identityKey(json, `id-photoview-${env.name}-weu-github-plan`);
      const plan = resources(json, 'azurerm_role_assignment').filter(
        (a) => a.principal_id === `\${azurerm_user_assigned_identity.${planKey}.principal_id}`,
      );
      const byRole = (role: string) => plan.filter((a) => String(a.role_definition_id).includes(`azurerm_role_definition.${roleKey(role, env)}.`));
      expect(byRole(AKS_PLAN_READER)).toEqual([]);
      expect(byRole(AKS_CRD_READER).map((a) => a.scope)).toEqual([`/subscriptions/${env.subscriptionId}`]);
      // The state is in the tooling subscription: Reader there on the plan identity, for both identities.
      const onPlanIdentity = resources(json, 'azurerm_role_assignment').filter((a) => a.scope === `\${azurerm_user_assigned_identity.${planKey}.id}`);
      expect(
        onPlanIdentity
          .map((a) => `${a.role_definition_name} ${a.provider} ${a.principal_id.includes(`${env.name}-deploy`) ? 'deploy' : 'plan'}`)
          .sort(),
      ).toEqual([`Reader azurerm.subscription-${TOOLS} deploy`, `Reader azurerm.subscription-${TOOLS} plan`]);
    }
  });

  it("defines each environment's copy of a custom role in its subscription", () => {
    const devPlanReader = resources(json, 'azurerm_role_definition').find((r) => r.name === 'AKS plan reader (dev)');
    expect(devPlanReader).toMatchObject({
      scope: '/subscriptions/11111111-1111-1111-1111-111111111111',
      assignable_scopes: ['/subscriptions/11111111-1111-1111-1111-111111111111'],
      permissions: [
        {
          actions: [],
          data_actions: ['Microsoft.ContainerService/managedClusters/*/read'],
          not_data_actions: ['Microsoft.ContainerService/managedClusters/secrets/read'],
        },
      ],
      provider: 'azurerm.subscription-11111111-1111-1111-1111-111111111111',
    });
  });

  it("gives every custom role its deterministic GUID, and defines each environment's app team writer role, which only the platform assigns", () => {
    for (const r of resources(json, 'azurerm_role_definition')) {
      const env = fixtures().find((e) => r.name.endsWith(`(${e.name})`))!;
      expect(r.role_definition_id).toBe(customRoleGuid(r.name.slice(0, -` (${env.name})`.length), env));
    }
    for (const env of fixtures()) {
      expect(resources(json, 'azurerm_role_definition').find((r) => r.name === customRoleName(APP_TEAM_WRITER_ROLE.name, env))).toMatchObject({
        role_definition_id: customRoleGuid(APP_TEAM_WRITER_ROLE.name, env),
        scope: `/subscriptions/${env.subscriptionId}`,
        assignable_scopes: [`/subscriptions/${env.subscriptionId}`],
        permissions: [{ data_actions: APP_TEAM_WRITER_ROLE.dataActions }],
      });
    }
  });

  it('registers the resource providers in every subscription, and host encryption as a feature', () => {
    const bySubscription = Object.fromEntries(json.provider.azurerm.map((p) => [p.subscription_id, p]));
    expect(Object.keys(bySubscription).sort()).toEqual([...new Set(fixtures().map((e) => e.subscriptionId)), TOOLS].sort());
    for (const p of json.provider.azurerm) {
      expect(p).toMatchObject({ alias: `subscription-${p.subscription_id}`, resource_provider_registrations: 'none', storage_use_azuread: true });
    }
    expect(bySubscription[TOOLS].resource_providers_to_register).toEqual(['Microsoft.ManagedIdentity', 'Microsoft.Storage']);
    // Every fixture uses host encryption (the default), so Microsoft.Compute is the registration resource with its feature.
    const withoutCompute = providerNamespaces().filter((n) => n !== 'Microsoft.Compute');
    for (const env of fixtures()) expect(bySubscription[env.subscriptionId].resource_providers_to_register).toEqual(withoutCompute);
    // The address docs/identities-and-ci.md gives for `terraform import`.
    expect(Object.keys(json.resource.azurerm_resource_provider_registration)).toContainEqual(
      expect.stringMatching(/^Registrations-11111111-1111-1111-1111-111111111111_MicrosoftCompute_[0-9A-F]{8}$/),
    );
    const registrations = resources(json, 'azurerm_resource_provider_registration');
    expect(registrations).toHaveLength(ENVIRONMENT_NAMES.length);
    for (const r of registrations) {
      expect(r).toMatchObject({
        name: 'Microsoft.Compute',
        feature: [{ name: 'EncryptionAtHost', registered: true }],
        // azurerm reads back every feature of the namespace and an update unregisters those not configured:
        // features are applied at create only.
        lifecycle: { prevent_destroy: true, ignore_changes: ['feature'] },
      });
    }
  });

  it('outputs the client IDs the GitHub environments need', () => {
    expect(Object.keys(json.output).sort()).toEqual(
      ['tenant_id', ...ENVIRONMENT_NAMES.flatMap((e) => [`${e}_deploy_client_id`, `${e}_plan_client_id`])].sort(),
    );
  });
});

describe('bootstrap stack across subscriptions', () => {
  it('grants join on a runner VNet in another subscription with the join-only role, assignable there', () => {
    const runners =
      '/subscriptions/55555555-5555-5555-5555-555555555555/resourceGroups/rg-ci/providers/Microsoft.Network/virtualNetworks/vnet-runners';
    const envs = fixtures().map((e) => (e.name === 'prod' ? withState('prod', { network: { runnerNetworks: [runners] } }) : e));
    const { json } = synth(envs);
    const prod = envs.find((e) => e.name === 'prod')!;
    const joiner = Object.entries(json.resource.azurerm_role_definition).find(([, r]) => r.name === customRoleName(VNET_JOINER, prod))!;
    expect(joiner[1]).toMatchObject({
      permissions: [{ actions: ['Microsoft.Network/virtualNetworks/join/action'], not_actions: [], data_actions: [], not_data_actions: [] }],
      assignable_scopes: [`/subscriptions/${prod.subscriptionId}`, '/subscriptions/55555555-5555-5555-5555-555555555555'],
    });
    expect(resources(json, 'azurerm_role_assignment').filter((a) => a.scope === runners)).toEqual([
      expect.objectContaining({
        role_definition_id: `/subscriptions/55555555-5555-5555-5555-555555555555/providers/Microsoft.Authorization/roleDefinitions/\${azurerm_role_definition.${joiner[0]}.role_definition_id}`,
        principal_id: expect.stringContaining('prod-deploy'),
      }),
    ]);
    expect(azurermProblems(json)).toEqual([]);
  });

  it('puts the state account in an environment subscription it names, and warns about the reach of that deploy identity', () => {
    const devSubscription = environment('dev').subscriptionId;
    const envs = [
      withState('dev', { state: { subscriptionId: devSubscription } }),
      withState('staging', { subscriptionId: devSubscription, state: { subscriptionId: devSubscription } }),
      withState('prod', { state: { subscriptionId: devSubscription } }),
    ];
    const { json, stack } = synth(envs);
    expect(azurermProblems(json)).toEqual([]);
    expect(json.provider.azurerm.map((p) => p.subscription_id).sort()).toEqual([devSubscription, environment('prod').subscriptionId].sort());
    expect(resources(json, 'azurerm_storage_account')[0].provider).toBe(`azurerm.subscription-${devSubscription}`);
    // Two environments in one subscription: one provider, one Compute registration.
    expect(resources(json, 'azurerm_resource_provider_registration')).toHaveLength(2);
    expect(stack.warnings).toEqual([
      expect.stringContaining("environments/dev.yaml (environment 'dev'): the state account and the GitHub identities are in its subscription"),
      expect.stringContaining("environments/staging.yaml (environment 'staging')"),
    ]);
  });

  it('keeps two state accounts apart, each with its own environments', () => {
    const envs = [
      withState('dev'),
      withState('staging'),
      withState('prod', { state: { storageAccountName: 'sttfstateprod', resourceGroupName: 'rg-tfstate-prod' } }),
    ];
    const { json } = synth(envs);
    expect(
      resources(json, 'azurerm_storage_account')
        .map((a) => a.name)
        .sort(),
    ).toEqual(['sttfstatephotoview', 'sttfstateprod']);
    const prodContainer = resources(json, 'azurerm_storage_container').find((c) => c.name === 'tfstate-prod');
    expect(prodContainer.storage_account_id).toMatch(/State-sttfstateprod/);
  });

  it('refuses environments that disagree about a state account, naming every file, field and value', () => {
    const envs = [
      withState('dev'),
      withState('staging', { state: { resourceGroupName: 'rg-other' } }),
      environment('prod', { github: { repository: REPO } }), // subscription and region left to default
    ];
    expect(problemsOf(() => synth(envs))).toEqual([
      'environments/dev.yaml state.resourceGroupName = "rg-tfstate-weu": environments naming state account \'sttfstatephotoview\' must agree on its resourceGroupName: environments/dev.yaml has rg-tfstate-weu, environments/prod.yaml has rg-tfstate-weu, environments/staging.yaml has rg-other; set state.resourceGroupName to the same value in each',
      'environments/prod.yaml state.resourceGroupName = "rg-tfstate-weu": environments naming state account \'sttfstatephotoview\' must agree on its resourceGroupName: environments/dev.yaml has rg-tfstate-weu, environments/prod.yaml has rg-tfstate-weu, environments/staging.yaml has rg-other; set state.resourceGroupName to the same value in each',
      'environments/staging.yaml state.resourceGroupName = "rg-other": environments naming state account \'sttfstatephotoview\' must agree on its resourceGroupName: environments/dev.yaml has rg-tfstate-weu, environments/prod.yaml has rg-tfstate-weu, environments/staging.yaml has rg-other; set state.resourceGroupName to the same value in each',
      `environments/dev.yaml state.subscriptionId = "${TOOLS}": environments naming state account 'sttfstatephotoview' must agree on its subscriptionId: environments/dev.yaml has ${TOOLS}, environments/prod.yaml has 33333333-3333-3333-3333-333333333333 (default: the environment's subscriptionId), environments/staging.yaml has ${TOOLS}; set state.subscriptionId to the same value in each`,
      `environments/prod.yaml state.subscriptionId = "33333333-3333-3333-3333-333333333333": environments naming state account 'sttfstatephotoview' must agree on its subscriptionId: environments/dev.yaml has ${TOOLS}, environments/prod.yaml has 33333333-3333-3333-3333-333333333333 (default: the environment's subscriptionId), environments/staging.yaml has ${TOOLS}; set state.subscriptionId to the same value in each`,
      `environments/staging.yaml state.subscriptionId = "${TOOLS}": environments naming state account 'sttfstatephotoview' must agree on its subscriptionId: environments/dev.yaml has ${TOOLS}, environments/prod.yaml has 33333333-3333-3333-3333-333333333333 (default: the environment's subscriptionId), environments/staging.yaml has ${TOOLS}; set state.subscriptionId to the same value in each`,
    ]);
  });

  it('refuses the plain fixtures: three subscriptions, one account, no repository', () => {
    const problems = problemsOf(() => synth(ENVIRONMENT_NAMES.map((n) => environment(n))));
    expect(problems.filter((p) => / github\.repository /.test(p))).toHaveLength(3);
    expect(problems.filter((p) => / state\.subscriptionId /.test(p))).toHaveLength(3);
    expect(problems[0]).toMatch(/^environments\/dev\.yaml github\.repository = undefined: is required by the bootstrap stack/);
  });

  it('refuses two environments sharing a state container, and two tenants', () => {
    const envs = [
      withState('dev', { state: { containerName: 'tfstate-shared' } }),
      withState('staging', { state: { containerName: 'tfstate-shared' }, tenantId: '99999999-9999-9999-9999-999999999999' }),
    ];
    expect(problemsOf(() => synth(envs))).toEqual([
      'environments/staging.yaml tenantId = "99999999-9999-9999-9999-999999999999": differs from environments/dev.yaml (00000000-0000-0000-0000-000000000000); the bootstrap stack serves one Entra ID tenant',
      'environments/dev.yaml state.containerName = "tfstate-shared": is also the state container of environments/staging.yaml in account \'sttfstatephotoview\'; each environment needs its own',
      'environments/staging.yaml state.containerName = "tfstate-shared": is also the state container of environments/dev.yaml in account \'sttfstatephotoview\'; each environment needs its own',
    ]);
  });
});

describe('GitHub subjects', () => {
  it('adds the pull-request plan subject only for an environment that opts in', () => {
    expect(githubSubjects(REPO, withState('dev')).plan.map((s) => s.name)).toEqual(['github-deploy-plan', 'github-drift']);
    const optedIn = withState('dev', { github: { repository: REPO, pullRequestPlans: true } });
    expect(githubSubjects(REPO, optedIn).plan.at(-1)).toEqual({
      name: 'github-pull-request-plan',
      subject:
        'repo:contoso/aks-environments:environment:plan-dev:job_workflow_ref:contoso/aks-environments/.github/workflows/plan-pull-request.yml@refs/heads/main',
      why: expect.any(String),
    });
    const { json } = synth([optedIn, withState('staging'), withState('prod')]);
    expect(resources(json, 'azurerm_federated_identity_credential').filter((c) => c.name === 'github-pull-request-plan')).toHaveLength(1);
  });

  it('refuses a repository that is not owner/repo, in the file and in the function', () => {
    expect(() => environment('dev', { github: { repository: 'contoso' } })).toThrow(/github\.repository = "contoso": must be owner\/repo/);
    expect(() => oidcSubject('a/b:environment:x', 'dev', 'drift.yml')).toThrow(/not a GitHub repository/);
  });
});

describe('environment stacks register nothing themselves', () => {
  it('platform and apps providers use resource_provider_registrations "none"', () => {
    const dev = environment('dev');
    expect(synthPlatform(dev).json.provider.azurerm[0].resource_provider_registrations).toBe('none');
    expect(synthApps(dev).json.provider.azurerm[0].resource_provider_registrations).toBe('none');
  });
});

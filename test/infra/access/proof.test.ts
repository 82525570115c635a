import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EnvironmentConfig } from '../../../config';
import { builtinRole } from '../../../infra/access/builtin-roles';
import {
  AKS_CRD_READER,
  AKS_PLAN_READER,
  assignOnlyCondition,
  customRole,
  CUSTOM_ROLES,
  githubIdentity,
  identityGrants,
  VNET_JOINER,
  requiredRegistrations,
  POLICY_ASSIGNMENT_WRITER,
  type Grant,
} from '../../../infra/access/grants';
import { customRoleGuid } from '../../../infra/access/role-ids';
import { APP_TEAM_WRITER_ROLE, NAMESPACE_ROLES } from '../../../infra/constructs/namespace-access';
import { PLATFORM_ASSIGNED_ROLES } from '../../../infra/access/assigned-roles';
import { accessModel, proveAccess, type AccessModel, type SynthesizedStack } from '../../../infra/access/proof';
import { kubernetesOperations, resourceOperations } from '../../../infra/access/operations';
import { environment, ENVIRONMENT_NAMES } from '../../config/fixtures';
import { synthApps, synthPlatform } from '../synth';
import { AZURERM_LEGACY_PROVIDERS } from './azurerm-legacy-providers';

/** An environment's two stacks as the proof reads them (fresh copies: tests may change them). */
function stacksOf(env: EnvironmentConfig): SynthesizedStack[] {
  return [
    { name: `platform-${env.name}`, json: synthPlatform(env).json },
    { name: `apps-${env.name}`, json: synthApps(env).json },
  ];
}

/** The model with one identity's grants changed. */
function withGrants(env: EnvironmentConfig, identity: 'deploy' | 'plan', change: (grants: Grant[]) => Grant[]): AccessModel {
  const model = accessModel(env);
  return { ...model, grants: { ...model.grants, [identity]: change(model.grants[identity]) } };
}

const isRole = (name: string) => (g: Grant) => 'builtIn' in g.role && g.role.builtIn === name;

describe.each(ENVIRONMENT_NAMES)('access proof of %s', (name) => {
  const env = environment(name);

  it('passes: each identity may do everything its stacks need, and every provider is registered', () => {
    expect(proveAccess(stacksOf(env), env).map((p) => p.message)).toEqual([]);
  });

  it('stops on the roles the platform assigns when the RBAC administrator may assign only AcrPull and Key Vault Secrets User', () => {
    const old = assignOnlyCondition([builtinRole('AcrPull').id, builtinRole('Key Vault Secrets User').id]);
    const model = withGrants(env, 'deploy', (grants) => grants.map((g) => (g.condition ? { ...g, condition: old } : g)));
    const denied = proveAccess(stacksOf(env), env, model).filter((p) => p.address.startsWith('azurerm_role_assignment.'));
    expect(denied.every((p) => p.identity === 'deploy')).toBe(true);
    expect(denied.map((p) => p.missing).join('\n')).toContain("Microsoft.Authorization/roleAssignments/write of role 'Managed Identity Operator'");
  });

  it("checks the apps stack's per-secret grants as role assignment writes at the secret's scope, allowed only by the condition", () => {
    const withoutSecretsUser = assignOnlyCondition(
      PLATFORM_ASSIGNED_ROLES.filter((r) => r !== 'Key Vault Secrets User' && !CUSTOM_ROLES.some((c) => c.name === r)).map((r) => builtinRole(r).id),
    );
    const model = withGrants(env, 'deploy', (grants) => grants.map((g) => (g.condition ? { ...g, condition: withoutSecretsUser } : g)));
    const denied = proveAccess(stacksOf(env), env, model).filter((p) => p.stack === `apps-${name}`);
    // Per secret: the write (create) and the delete (destroy).
    expect(denied.length).toBe(2 * env.app.secretNames.length);
    for (const p of denied) {
      expect(p.identity).toBe('deploy');
      expect(p.operation?.scope).toMatch(
        new RegExp(`^/subscriptions/${env.subscriptionId}/resourceGroups/[^/]+/providers/Microsoft.KeyVault/vaults/[^/]+/secrets/[a-z0-9-]+$`),
      );
      expect(p.missing).toMatch(/^Microsoft\.Authorization\/roleAssignments\/(write|delete) of role 'Key Vault Secrets User'/);
    }
  });

  it('stops on the pod security policy assignment without the policy assignment role (Contributor cannot write it)', () => {
    const model = withGrants(env, 'deploy', (grants) => grants.filter((g) => !('custom' in g.role && g.role.custom === POLICY_ASSIGNMENT_WRITER)));
    const denied = proveAccess(stacksOf(env), env, model);
    expect(denied.map((p) => `${p.address.split('.')[0]} ${p.missing}`)).toEqual(
      expect.arrayContaining(['azurerm_resource_policy_assignment Microsoft.Authorization/policyAssignments/write']),
    );
  });

  it('stops the apps plan without Azure Kubernetes Service Cluster User Role (no kube_config)', () => {
    const model = withGrants(env, 'plan', (grants) => grants.filter((g) => !isRole('Azure Kubernetes Service Cluster User Role')(g)));
    const denied = proveAccess(stacksOf(env), env, model).filter((p) => p.stack === `apps-${name}`);
    expect(denied.map((p) => `${p.identity} ${p.address} ${p.missing}`)).toContain(
      'plan data.azurerm_kubernetes_cluster.Cluster Microsoft.ContainerService/managedClusters/listClusterUserCredential/action',
    );
  });

  it('stops when only the resource providers azurerm registers by itself are registered', () => {
    const model = { ...accessModel(env), registrations: { providers: AZURERM_LEGACY_PROVIDERS } };
    const missing = new Set(
      proveAccess(stacksOf(env), env, model)
        .filter((p) => p.kind === 'unregistered')
        .map((p) => p.missing),
    );
    // Every fixture runs managed Prometheus: an Azure Monitor workspace and Prometheus rule groups.
    expect([...missing].sort()).toEqual(expect.arrayContaining(['Microsoft.AlertsManagement', 'Microsoft.Monitor']));
  });
});

describe('Key Vault secrets written by Terraform', () => {
  const env = environment('dev');
  // A secret like the one Application Insights' connection string was written to: the proof must know it.
  const withSecret = () => {
    const stacks = stacksOf(env);
    stacks[0].json.resource!.azurerm_key_vault_secret = { Secret: { name: 's', key_vault_id: '${azurerm_key_vault.Vault.id}', value: 'x' } };
    return stacks;
  };

  it('stop the deploy identity with Key Vault Reader only, and the plan identity, which must never read secret values', () => {
    const problems = proveAccess(withSecret(), env).map((p) => `${p.identity} ${p.missing}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'deploy data action Microsoft.KeyVault/vaults/secrets/setSecret/action',
        'deploy data action Microsoft.KeyVault/vaults/secrets/getSecret/action',
        'plan data action Microsoft.KeyVault/vaults/secrets/getSecret/action',
      ]),
    );
  });

  it('pass for the deploy identity with Key Vault Secrets Officer (the data role that writes them)', () => {
    const model = withGrants(env, 'deploy', (grants) => [
      ...grants,
      { role: { builtIn: 'Key Vault Secrets Officer' }, scope: { kind: 'subscription' }, why: 'test' },
    ]);
    expect(proveAccess(withSecret(), env, model).map((p) => p.identity)).toEqual(['plan']);
  });
});

describe('grants', () => {
  it('name only roles that builtin-role-definitions.json defines (with their GUIDs)', () => {
    for (const name of ENVIRONMENT_NAMES) {
      const grants = identityGrants(environment(name));
      for (const g of [...grants.deploy, ...grants.plan]) if ('builtIn' in g.role) expect(builtinRole(g.role.builtIn).id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const custom = new Set(CUSTOM_ROLES.map((r) => r.name));
    for (const role of PLATFORM_ASSIGNED_ROLES) if (!custom.has(role)) expect(builtinRole(role).id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("give the plan identity its own environment's state only, read-only", () => {
    const plan = identityGrants(environment('dev')).plan.filter((g) => g.scope.kind.startsWith('state'));
    expect(plan).toEqual([expect.objectContaining({ role: { builtIn: 'Storage Blob Data Reader' }, scope: { kind: 'stateContainer' } })]);
  });

  it('let the deploy identity assign exactly the roles the platform stack assigns', () => {
    const dev = environment('dev');
    const condition = identityGrants(dev).deploy.find(isRole('Role Based Access Control Administrator'))!.condition!;
    const custom = new Set(CUSTOM_ROLES.map((r) => r.name));
    for (const role of PLATFORM_ASSIGNED_ROLES) expect(condition).toContain(custom.has(role) ? customRoleGuid(role, dev) : builtinRole(role).id);
    expect(condition).not.toContain(builtinRole('Contributor').id);
    // The app team's writer role is dev's own copy: not staging's, and not the built-in Writer.
    expect(condition).toContain(customRoleGuid(APP_TEAM_WRITER_ROLE.name, dev));
    expect(condition).not.toContain(customRoleGuid(APP_TEAM_WRITER_ROLE.name, environment('staging')));
    expect(condition).not.toContain(builtinRole(NAMESPACE_ROLES.write).id);
  });

  it("stop the app team's writer role assignment when the condition does not name the environment's copy", () => {
    const dev = environment('dev');
    const writerId = customRoleGuid(APP_TEAM_WRITER_ROLE.name, dev);
    const roleId = (r: string) => (CUSTOM_ROLES.some((c) => c.name === r) ? customRoleGuid(r, dev) : builtinRole(r).id);
    const without = assignOnlyCondition(PLATFORM_ASSIGNED_ROLES.filter((r) => r !== APP_TEAM_WRITER_ROLE.name).map(roleId));
    const model = withGrants(dev, 'deploy', (grants) => grants.map((g) => (g.condition ? { ...g, condition: without } : g)));
    expect(proveAccess(stacksOf(dev), dev, model).map((p) => `${p.address.split('.')[0]} ${p.missing}`)).toEqual([
      `azurerm_role_assignment Microsoft.Authorization/roleAssignments/write of role '${APP_TEAM_WRITER_ROLE.name}' (${writerId})`,
      `azurerm_role_assignment Microsoft.Authorization/roleAssignments/delete of role '${APP_TEAM_WRITER_ROLE.name}' (${writerId})`,
    ]);
  });

  it('tell to assign a custom role by ID when a stack names it (its name differs per environment)', () => {
    expect(() =>
      resourceOperations('azurerm_role_assignment', { scope: 's', role_definition_name: 'AKS namespace writer without Secrets (dev)' }),
    ).toThrow(/not a built-in role in infra\/access\/builtin-role-definitions.json; assign a custom role by role_definition_id/);
  });

  it('register host encryption only where an environment uses it', () => {
    expect(requiredRegistrations(environment('prod')).features).toEqual([{ namespace: 'Microsoft.Compute', name: 'EncryptionAtHost' }]);
    expect(requiredRegistrations(environment('prod', { security: { hostEncryption: false } })).features).toEqual([]);
    expect(requiredRegistrations(environment('dev')).providers).toEqual(
      expect.arrayContaining(['Microsoft.Monitor', 'Microsoft.AlertsManagement', 'Microsoft.Dashboard']),
    );
  });
});

describe('operations', () => {
  it('fail loudly on a resource type or Kubernetes kind they do not know', () => {
    expect(() => resourceOperations('azurerm_storage_account', {})).toThrow(
      /'azurerm_storage_account' has no operations in infra\/access\/operations.ts/,
    );
    expect(() => kubernetesOperations({ apiVersion: 'batch/v1', kind: 'CronJob' })).toThrow(/'CronJob'/);
    const env = environment('dev');
    const stacks = stacksOf(env);
    stacks[0].json.resource!.azurerm_storage_account = { Account: {} };
    expect(() => proveAccess(stacks, env)).toThrow(/azurerm_storage_account/);
  });

  it('name the AKS data actions by API group, at the namespace scope, and list the CRDs at the cluster scope', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'photo-view' } };
    expect(kubernetesOperations(deployment).map((o) => `${o.phase} ${o.action} on ${o.scope}`)).toEqual([
      'create Microsoft.ContainerService/managedClusters/apps/deployments/write on cluster/namespaces/photo-view',
      'update Microsoft.ContainerService/managedClusters/apps/deployments/write on cluster/namespaces/photo-view',
      'delete Microsoft.ContainerService/managedClusters/apps/deployments/delete on cluster/namespaces/photo-view',
      'read Microsoft.ContainerService/managedClusters/apps/deployments/read on cluster/namespaces/photo-view',
      'read Microsoft.ContainerService/managedClusters/apiextensions.k8s.io/customresourcedefinitions/read on cluster',
    ]);
    // A Namespace is cluster-scoped, but a request on it by name is authorized in that namespace.
    expect(kubernetesOperations({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'photo-view' } })[3]).toMatchObject({
      action: 'Microsoft.ContainerService/managedClusters/namespaces/read',
      scope: 'cluster/namespaces/photo-view',
    });
    expect(() => kubernetesOperations({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).toThrow(/ConfigMap 'c' has no namespace/);
  });
});

const REPO = 'contoso/aks-environments';
const TOOLS = '44444444-4444-4444-4444-444444444444';
/** A fixture with its CI identities: the bootstrap creates them, and the platform stack assigns the plan identity's namespace role. */
const withGitHub = (name: string, patch: Record<string, any> = {}) => environment(name, { ...patch, github: { repository: REPO } });
const isCustom = (name: string) => (g: Grant) => 'custom' in g.role && g.role.custom === name;

describe("the plan identity's Kubernetes reads", () => {
  const env = withGitHub('dev');
  const manifests = () => Object.keys(synthApps(env).json.resource.kubernetes_manifest).map((key) => `kubernetes_manifest.${key}`);

  it.each(ENVIRONMENT_NAMES)('are allowed for %s with its CI identities, and only in the app namespace', (name) => {
    const withIdentities = withGitHub(name);
    expect(proveAccess(stacksOf(withIdentities), withIdentities).map((p) => p.message)).toEqual([]);
    const planReader = identityGrants(withIdentities).plan.filter(isCustom(AKS_PLAN_READER));
    expect(planReader.map((g) => g.scope)).toEqual([{ kind: 'appNamespace' }]);
  });

  it('stop at every photo-view object, the Namespace included, without the plan reader on the app namespace', () => {
    const model = withGrants(env, 'plan', (grants) => grants.filter((g) => g.scope.kind !== 'appNamespace'));
    const denied = proveAccess(stacksOf(env), env, model);
    expect(new Set(denied.map((p) => `${p.identity} on ${p.operation?.scope}`))).toEqual(
      new Set([`plan on cluster/namespaces/${env.app.namespace}`]),
    );
    expect(denied.map((p) => p.address).sort()).toEqual(manifests().sort());
    expect(denied.map((p) => p.missing)).toContain('data action Microsoft.ContainerService/managedClusters/namespaces/read');
  });

  it('stop at every object without the CRD reader on the cluster; a role that reads only Namespaces there is not enough', () => {
    const namespacesOnly = {
      ...customRole(AKS_CRD_READER),
      name: 'namespaces only',
      dataActions: ['Microsoft.ContainerService/managedClusters/namespaces/read'],
    };
    const model = withGrants(env, 'plan', (grants) =>
      grants.map((g) => (isCustom(AKS_CRD_READER)(g) ? { ...g, role: { custom: namespacesOnly.name } } : g)),
    );
    model.customRoles = [...model.customRoles, namespacesOnly];
    const denied = proveAccess(stacksOf(env), env, model);
    expect(new Set(denied.map((p) => `${p.identity} ${p.missing} on ${p.operation?.scope}`))).toEqual(
      new Set(['plan data action Microsoft.ContainerService/managedClusters/apiextensions.k8s.io/customresourcedefinitions/read on cluster']),
    );
    expect(denied.map((p) => p.address).sort()).toEqual(manifests().sort());
  });

  it('stop at an object in another namespace, such as kube-system', () => {
    const stacks = stacksOf(env);
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' } };
    stacks[1].json.resource!.kubernetes_manifest.Other = { manifest };
    expect(proveAccess(stacks, env).map((p) => `${p.identity} ${p.address} ${p.missing} on ${p.operation?.scope}`)).toEqual([
      'plan kubernetes_manifest.Other data action Microsoft.ContainerService/managedClusters/configmaps/read on cluster/namespaces/kube-system',
    ]);
  });
});

describe('the plan identity in a state subscription of its own', () => {
  const env = withGitHub('prod', { state: { subscriptionId: TOOLS } });
  const planIdentity = githubIdentity(env, 'plan');

  it("is read by both identities through Reader on it, its own subscription's provider, and the proof passes", () => {
    expect(planIdentity.id).toBe(
      `/subscriptions/${TOOLS}/resourceGroups/rg-tfstate-weu/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-photoview-prod-weu-github-plan`,
    );
    const grants = identityGrants(env);
    for (const kind of ['deploy', 'plan'] as const) {
      expect(grants[kind].filter((g) => g.scope.kind === 'planIdentity')).toEqual([expect.objectContaining({ role: { builtIn: 'Reader' } })]);
    }
    expect(identityGrants(withGitHub('prod')).plan.filter((g) => g.scope.kind === 'planIdentity')).toEqual([]);
    expect(proveAccess(stacksOf(env), env).map((p) => p.message)).toEqual([]);
  });

  it.each(['deploy', 'plan'] as const)('stops the %s identity at the data source without that Reader', (identity) => {
    const model = withGrants(env, identity, (grants) => grants.filter((g) => g.scope.kind !== 'planIdentity'));
    expect(proveAccess(stacksOf(env), env, model).map((p) => `${p.identity} ${p.address} ${p.missing} on ${p.operation?.scope}`)).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^${identity} data\.azurerm_user_assigned_identity\.PlanIdentityAccess_Identity_\w+ Microsoft\.ManagedIdentity/userAssignedIdentities/read on ${planIdentity.id}$`,
        ),
      ),
    ]);
  });

  it('refuses a provider alias that does not name its subscription', () => {
    expect(() =>
      resourceOperations('data.azurerm_user_assigned_identity', { name: 'i', resource_group_name: 'rg', provider: 'azurerm.state' }),
    ).toThrow(/provider 'azurerm.state' does not name its subscription/);
  });
});

describe('docs/identities-and-ci.md', () => {
  it("lists every grant of every fixture environment in 'Identities and roles'", () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../../../docs/identities-and-ci.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Identities and roles'), doc.indexOf('## First deploy'));
    const withStateElsewhere = withGitHub('dev', { state: { subscriptionId: TOOLS } });
    for (const env of [...ENVIRONMENT_NAMES.map((name) => environment(name)), withStateElsewhere]) {
      const grants = identityGrants(env);
      for (const g of [...grants.deploy, ...grants.plan]) {
        expect(section).toContain('builtIn' in g.role ? g.role.builtIn : `\`${g.role.custom}\``);
        expect(section).toContain(g.why);
      }
    }
  });
});

describe('a runner VNet in another subscription', () => {
  const RUNNERS = '/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-ci/providers/Microsoft.Network/virtualNetworks/vnet-runners';
  const env = environment('prod', { network: { runnerNetworks: [RUNNERS] } });

  it('is joined with the join-only custom role on that VNet, and the proof passes', () => {
    expect(identityGrants(env).deploy).toContainEqual(
      expect.objectContaining({ role: { custom: VNET_JOINER }, scope: { kind: 'resource', id: RUNNERS } }),
    );
    expect(identityGrants(env).plan.filter((g) => g.scope.kind === 'resource')).toEqual([]);
    expect(customRole(VNET_JOINER).actions).toEqual(['Microsoft.Network/virtualNetworks/join/action']);
    expect(proveAccess(stacksOf(env), env).map((p) => p.message)).toEqual([]);
  });

  it('stops the private DNS zone links without that grant', () => {
    const model = withGrants(env, 'deploy', (grants) => grants.filter((g) => !('custom' in g.role && g.role.custom === VNET_JOINER)));
    const denied = proveAccess(stacksOf(env), env, model);
    expect(denied.length).toBeGreaterThan(0);
    expect(new Set(denied.map((p) => `${p.address.split('.')[0]} ${p.missing} on ${p.operation?.scope}`))).toEqual(
      new Set([`azurerm_private_dns_zone_virtual_network_link Microsoft.Network/virtualNetworks/join/action on ${RUNNERS}`]),
    );
  });
});

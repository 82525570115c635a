import { createHash } from 'node:crypto';
import type { Construct } from 'constructs';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import { LocalBackend, TerraformOutput, TerraformStack } from '../cdktf';
import { BOOTSTRAP_STACK_NAME, projectTags, stateContainerName, type EnvironmentConfig } from '../../config';
import { githubSubjects } from '../../config/github';
import {
  customRole,
  customRoleName,
  githubIdentity,
  identityGrants,
  platformCustomRoles,
  requiredRegistrations,
  subscriptionOf,
  type Grant,
  type GrantScope,
  type IdentityKind,
} from '../access/grants';
import { customRoleGuid } from '../access/role-ids';
import { GitHubIdentity } from '../constructs/github-identity';
import { FeatureRegistrations, splitRegistrations, type Registrations } from '../constructs/provider-registrations';
import { StateStorage } from '../constructs/state-storage';
import { bootstrapLayout, type StateAccountLayout } from './bootstrap-layout';
import { LOCAL_STATE_DIR } from './state-backend';

/** Properties of a {@link BootstrapStack}. */
export interface BootstrapStackProps {
  /** Every environment: the stack manages all of them, and an environment left out loses its identities. */
  readonly environments: ReadonlyArray<EnvironmentConfig>;
  /** Environment name to file, for messages. @default environments/<name>.yaml */
  readonly files?: ReadonlyMap<string, string>;
}

/** Where the bootstrap is synthesized (`--output`), relative to the repository root. */
export const BOOTSTRAP_OUTDIR = 'cdktf.out/bootstrap';

/**
 * Local state: the stack creates the remote backend, so it cannot keep its state there. Terraform runs in
 * `cdktf.out/bootstrap/stacks/bootstrap/`, four levels below the repository root; the path is relative so
 * synth output is the same on every machine. Keeping the file: docs/identities-and-ci.md.
 */
export const BOOTSTRAP_STATE_PATH = `../../../../${LOCAL_STATE_DIR}/${BOOTSTRAP_STACK_NAME}.tfstate`;

/** What an Owner applies once (and again after adding an environment or subscription) before any environment deploys. */
export const BOOTSTRAP_RESOURCE_PROVIDERS = ['Microsoft.ManagedIdentity', 'Microsoft.Storage'];

/** What the bootstrap resolves an environment's grant scopes to. */
interface ScopeTargets {
  readonly storage: StateStorage;
  readonly account: StateAccountLayout;
  readonly planIdentityId: string;
}

const subscriptionScope = (id: string) => `/subscriptions/${id}`;
const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);
const label = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '');

/**
 * Prepares the subscriptions for every environment: the state storage (one container per environment),
 * per environment a deploy and a plan identity that only GitHub's workflows on main can sign in as, their
 * role assignments and custom roles (infra/access/grants.ts), and the resource provider and feature
 * registrations. The environments' own stacks then never need subscription-level register rights.
 *
 * One stack for all subscriptions, one azurerm provider per subscription: the identities' principal IDs
 * flow into the role assignments of every subscription within one plan.
 */
export class BootstrapStack extends TerraformStack {
  /** Risks to print at synth (a state account in an environment's subscription). */
  public readonly warnings: ReadonlyArray<string>;
  private readonly providers = new Map<string, AzurermProvider>();

  constructor(scope: Construct, props: BootstrapStackProps) {
    super(scope, BOOTSTRAP_STACK_NAME);
    const layout = bootstrapLayout(props.environments, props.files);
    this.warnings = layout.warnings;
    new LocalBackend(this, { path: BOOTSTRAP_STATE_PATH });

    const needs = new Map<string, Registrations[]>(layout.subscriptions.map((s) => [s, []]));
    for (const account of layout.accounts) needs.get(account.subscriptionId)!.push({ providers: BOOTSTRAP_RESOURCE_PROVIDERS, features: [] });
    for (const env of layout.accounts.flatMap((a) => a.environments)) needs.get(env.subscriptionId)!.push(requiredRegistrations(env));
    for (const [subscription, list] of needs) {
      const { providerList, withFeatures } = splitRegistrations(list);
      const provider = new AzurermProvider(this, `azurerm-${subscription}`, {
        alias: `subscription-${subscription}`,
        subscriptionId: subscription,
        tenantId: layout.tenantId,
        storageUseAzuread: true,
        // Registered here, by the Owner, once: the environments' providers register nothing ("none").
        resourceProviderRegistrations: 'none',
        resourceProvidersToRegister: providerList,
        features: [{ resourceGroup: [{ preventDeletionIfContainsResources: true }] }],
      });
      this.providers.set(subscription.toLowerCase(), provider);
      if (withFeatures.size > 0) new FeatureRegistrations(this, `Registrations-${subscription}`, { provider, withFeatures });
    }

    new TerraformOutput(this, 'tenant_id', { value: layout.tenantId, description: 'GitHub variable AZURE_TENANT_ID' });
    for (const account of layout.accounts) this.stateAccount(account);
  }

  private provider(subscription: string): AzurermProvider {
    const provider = this.providers.get(subscription.toLowerCase());
    if (!provider) throw new Error(`no azurerm provider for subscription ${subscription}`);
    return provider;
  }

  /** A state account, its containers, and the identities of the environments whose state it holds. */
  private stateAccount(account: StateAccountLayout): void {
    const provider = this.provider(account.subscriptionId);
    const storage = new StateStorage(this, `State-${account.name}`, {
      provider,
      resourceGroupName: account.resourceGroupName,
      accountName: account.name,
      location: account.location,
      containers: account.environments.map(stateContainerName),
      tags: { 'managed-by': 'cdktf', purpose: 'terraform-state' },
    });
    for (const env of account.environments) {
      const subjects = githubSubjects(env.github.repository, env);
      const grants = identityGrants(env);
      const kinds = ['deploy', 'plan'] as const;
      // In the state's resource group, outside the environment's subscription where possible: an identity
      // with Contributor there could otherwise add itself a federated credential for any branch.
      const identities = kinds.map(
        (kind) =>
          new GitHubIdentity(this, `${env.name}-${kind}`, {
            provider,
            name: githubIdentity(env, kind).name,
            resourceGroupName: storage.resourceGroupName,
            location: account.location,
            subjects: subjects[kind],
            tags: { ...projectTags(env), purpose: `github-${kind}` },
          }),
      );
      const planIdentityId = identities[1].identityId;
      kinds.forEach((kind, i) => {
        this.assign(env, kind, grants[kind], identities[i].principalId, { storage, account, planIdentityId });
        new TerraformOutput(this, `${env.name}_${kind}_client_id`, {
          value: identities[i].clientId,
          description: `GitHub variable AZURE_CLIENT_ID of environment '${kind === 'deploy' ? env.name : `plan-${env.name}`}'`,
        });
      });
      // The roles the platform stack assigns by their deterministic IDs (the app team's writer role).
      for (const name of platformCustomRoles()) this.customRoleId(env, name, env.subscriptionId);
    }
  }

  /** The role assignments of one identity, exactly as grants.ts lists them (but the platform stack's, on the app namespace). */
  private assign(env: EnvironmentConfig, kind: IdentityKind, grants: Grant[], principalId: string, at: ScopeTargets): void {
    for (const grant of grants) {
      if (grant.scope.kind === 'appNamespace') continue;
      const { scope, subscription } = this.resolveScope(env, grant.scope, at);
      const role = 'builtIn' in grant.role ? grant.role.builtIn : grant.role.custom;
      const id = `${env.name}-${kind}-${label(role)}-${grant.scope.kind}${grant.scope.kind === 'resource' ? `-${shortHash(grant.scope.id)}` : ''}`;
      new RoleAssignment(this, id, {
        // A resource outside the stack's subscriptions (a hub's VNet) is assigned through the environment's provider.
        provider: this.providers.get(subscription.toLowerCase()) ?? this.provider(env.subscriptionId),
        scope,
        ...('builtIn' in grant.role
          ? { roleDefinitionName: grant.role.builtIn }
          : { roleDefinitionId: this.customRoleId(env, grant.role.custom, subscription) }),
        principalId,
        // Managed identities are service principals; saying so avoids a replication-delay failure on create.
        principalType: 'ServicePrincipal',
        skipServicePrincipalAadCheck: true,
        description: grant.why,
        ...(grant.condition ? { condition: grant.condition, conditionVersion: '2.0' } : {}),
      });
    }
  }

  private resolveScope(env: EnvironmentConfig, scope: Exclude<GrantScope, { kind: 'appNamespace' }>, at: ScopeTargets) {
    const { storage, account } = at;
    switch (scope.kind) {
      case 'subscription':
        return { scope: subscriptionScope(env.subscriptionId), subscription: env.subscriptionId };
      case 'stateContainer':
        return { scope: storage.containerScope(stateContainerName(env)), subscription: account.subscriptionId };
      case 'stateAccount':
        return { scope: storage.accountId, subscription: account.subscriptionId };
      case 'planIdentity':
        return { scope: at.planIdentityId, subscription: account.subscriptionId };
      case 'resource':
        return { scope: scope.id, subscription: subscriptionOf(scope.id) ?? env.subscriptionId };
    }
  }

  private readonly customRoles = new Map<string, RoleDefinition>();

  /**
   * An environment's copy of a custom role (names are unique per tenant), defined in its subscription and
   * assignable wherever its grants use it; the ID names the subscription of the assignment.
   */
  private customRoleId(env: EnvironmentConfig, name: string, assignedIn: string): string {
    const key = customRoleName(name, env);
    let definition = this.customRoles.get(key);
    if (!definition) {
      const role = customRole(name);
      const grants = identityGrants(env);
      const scopes = new Set([subscriptionScope(env.subscriptionId)]);
      for (const grant of [...grants.deploy, ...grants.plan]) {
        if (!('custom' in grant.role) || grant.role.custom !== name) continue;
        if (grant.scope.kind === 'resource') scopes.add(subscriptionScope(subscriptionOf(grant.scope.id) ?? env.subscriptionId));
        if (grant.scope.kind === 'stateContainer' || grant.scope.kind === 'stateAccount') {
          scopes.add(subscriptionScope(env.state.subscriptionId ?? env.subscriptionId));
        }
      }
      definition = new RoleDefinition(this, `Role-${env.name}-${label(name)}`, {
        provider: this.provider(env.subscriptionId),
        name: key,
        // Deterministic: the deploy identity's RBAC administrator condition and the platform stack name it.
        roleDefinitionId: customRoleGuid(name, env),
        description: role.description,
        scope: subscriptionScope(env.subscriptionId),
        permissions: [{ actions: role.actions, notActions: role.notActions, dataActions: role.dataActions, notDataActions: role.notDataActions }],
        assignableScopes: [...scopes].sort(),
      });
      this.customRoles.set(key, definition);
    }
    return `${subscriptionScope(assignedIn)}/providers/Microsoft.Authorization/roleDefinitions/${definition.roleDefinitionId}`;
  }
}

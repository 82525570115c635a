import { createHash } from 'node:crypto';
import { AZURE_REGIONS } from './azure-facts';
import type { EnvironmentConfig } from './schema';

/**
 * The one naming function for Azure resources: CAF abbreviations, each resource type's length and
 * character rules, and a stable suffix where the name must be globally unique.
 * @see https://learn.microsoft.com/azure/cloud-adoption-framework/ready/azure-best-practices/resource-abbreviations
 * @see https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
 */

/** What every name is derived from. */
export interface NamingContext {
  readonly workload: string;
  readonly environment: string;
  readonly location: string;
  readonly subscriptionId: string;
}

/** Naming inputs of an environment. */
export function namingContext(env: Pick<EnvironmentConfig, 'name' | 'workload' | 'location' | 'subscriptionId'>): NamingContext {
  return { workload: env.workload, environment: env.name, location: env.location, subscriptionId: env.subscriptionId };
}

interface NameRule {
  /** CAF abbreviation. */
  readonly abbreviation: string;
  readonly maxLength: number;
  /** Characters and shape Azure accepts. */
  readonly pattern: RegExp;
  readonly allowed: string;
  /** Global DNS names need a suffix that is stable per subscription and environment. */
  readonly globallyUnique?: boolean;
  /** Hyphens not allowed at all. */
  readonly alphanumericOnly?: boolean;
}

const RULES = {
  resourceGroup: { abbreviation: 'rg', maxLength: 90, pattern: /^[-\w.()]+$/, allowed: 'letters, digits, -_.()' },
  nodeResourceGroup: { abbreviation: 'rg', maxLength: 80, pattern: /^[-\w.()]+$/, allowed: 'letters, digits, -_.()' },
  containerRegistry: {
    abbreviation: 'cr',
    maxLength: 50,
    pattern: /^[a-z0-9]{5,50}$/,
    allowed: '5-50 lowercase letters and digits',
    globallyUnique: true,
    alphanumericOnly: true,
  },
  kubernetesCluster: { abbreviation: 'aks', maxLength: 63, pattern: /^[a-z0-9][-a-z0-9]*[a-z0-9]$/, allowed: '1-63 letters, digits and hyphens' },
  keyVault: {
    abbreviation: 'kv',
    maxLength: 24,
    pattern: /^[a-z](?!.*--)[a-z0-9-]{1,22}[a-z0-9]$/,
    allowed: '3-24 letters, digits and single hyphens, starting with a letter',
    globallyUnique: true,
  },
  logAnalyticsWorkspace: {
    abbreviation: 'log',
    maxLength: 63,
    pattern: /^[a-z0-9][-a-z0-9]{2,61}[a-z0-9]$/,
    allowed: '4-63 letters, digits and hyphens',
  },
  managedIdentity: { abbreviation: 'id', maxLength: 128, pattern: /^[a-z0-9][-\w]*$/, allowed: 'letters, digits, - and _' },
  actionGroup: { abbreviation: 'ag', maxLength: 260, pattern: /^[^%&\\?/]+$/, allowed: 'any character except %&\\?/' },
  dataCollectionRule: { abbreviation: 'dcr', maxLength: 64, pattern: /^[a-z0-9][-\w.]*$/, allowed: 'letters, digits, -_.' },
  alert: { abbreviation: 'alert', maxLength: 260, pattern: /^[^*#&+:<>?@%{}\\/]+$/, allowed: 'any character except *#&+:<>?@%{}\\/' },
  // Network and add-ons.
  virtualNetwork: { abbreviation: 'vnet', maxLength: 64, pattern: /^[a-z0-9][-\w.]*\w$/, allowed: '2-64 letters, digits, -_.' },
  subnet: { abbreviation: 'snet', maxLength: 80, pattern: /^[a-z0-9][-\w.]*\w$/, allowed: '1-80 letters, digits, -_.' },
  networkSecurityGroup: { abbreviation: 'nsg', maxLength: 80, pattern: /^[a-z0-9][-\w.]*\w$/, allowed: '1-80 letters, digits, -_.' },
  privateEndpoint: { abbreviation: 'pep', maxLength: 64, pattern: /^[a-z0-9][-\w.]*\w$/, allowed: '2-64 letters, digits, -_.' },
  natGateway: { abbreviation: 'ng', maxLength: 80, pattern: /^[a-z0-9][-\w.]*\w$/, allowed: '1-80 letters, digits, -_.' },
  publicIp: { abbreviation: 'pip', maxLength: 80, pattern: /^[a-z0-9][-\w.]*\w$/, allowed: '1-80 letters, digits, -_.' },
  monitorWorkspace: { abbreviation: 'amw', maxLength: 44, pattern: /^[a-z0-9][-a-z0-9]*[a-z0-9]$/, allowed: '4-44 letters, digits and hyphens' },
  dataCollectionEndpoint: {
    abbreviation: 'dce',
    maxLength: 44,
    pattern: /^[a-z0-9][-a-z0-9]*[a-z0-9]$/,
    allowed: '3-44 letters, digits and hyphens',
  },
  grafana: {
    abbreviation: 'amg',
    maxLength: 23,
    pattern: /^[a-z][-a-z0-9]{0,21}[a-z0-9]$/,
    allowed: '2-23 letters, digits and hyphens, starting with a letter',
  },
  applicationInsights: { abbreviation: 'appi', maxLength: 255, pattern: /^[^%&\\?/]+$/, allowed: 'any character except %&\\?/' },
} as const satisfies Record<string, NameRule>;

export type ResourceKind = keyof typeof RULES;

/** A name that no arrangement of the parts can make valid. */
export class NamingError extends Error {}

/** Stable 4-character suffix: the same subscription, workload, environment and region always give the same one. */
function uniqueSuffix(ctx: NamingContext): string {
  const digest = createHash('sha256').update([ctx.subscriptionId, ctx.workload, ctx.environment, ctx.location].join('/')).digest();
  return digest.readUInt32BE(0).toString(36).padStart(4, '0').slice(-4);
}

/** Name of one resource, e.g. `aks-photoview-dev-weu`; `qualifier` tells apart several of one kind. */
export function resourceName(kind: ResourceKind, ctx: NamingContext, qualifier?: string): string {
  const rule: NameRule = RULES[kind];
  const region = AZURE_REGIONS[ctx.location]?.short ?? ctx.location;
  const parts = [rule.abbreviation, ctx.workload, ctx.environment];
  if (!rule.globallyUnique) parts.push(region);
  if (kind === 'nodeResourceGroup') parts.push('nodes');
  if (qualifier) parts.push(qualifier);
  if (rule.globallyUnique) parts.push(uniqueSuffix(ctx));

  // Hyphens read better; drop them only where the type forbids them or the name would be too long.
  const candidates = rule.alphanumericOnly ? [parts.join('')] : [parts.join('-'), parts.join('')];
  const name = candidates.map((c) => c.toLowerCase()).find((c) => c.length <= rule.maxLength && rule.pattern.test(c));
  if (!name) {
    throw new NamingError(
      `${kind} name '${candidates[candidates.length - 1].toLowerCase()}' (${candidates[candidates.length - 1].length} characters) ` +
        `cannot satisfy Azure's rule (${rule.allowed}, at most ${rule.maxLength}); shorten 'workload' or the environment name`,
    );
  }
  return name;
}

/** Login server of the environment's registry; the workloads derive image names from it. */
export function registryLoginServer(ctx: NamingContext): string {
  return `${resourceName('containerRegistry', ctx)}.azurecr.io`;
}

/** Stack name of an environment's platform; also its state key. */
export const platformStackName = (env: string) => `platform-${env}`;

/** Stack name of an environment's apps (photo-view on the cluster); also its state key. */
export const appsStackName = (env: string) => `apps-${env}`;

/** The one stack that prepares subscriptions for the environments (infra/bootstrap.ts); its state is local. */
export const BOOTSTRAP_STACK_NAME = 'bootstrap';

/** Tags the project puts on every resource, over the environment's own `tags`. */
export function projectTags(env: Pick<EnvironmentConfig, 'name' | 'workload'>): Record<string, string> {
  return { environment: env.name, workload: env.workload, 'managed-by': 'cdktf' };
}

/** Keys of {@link projectTags}: they count against Azure's 50-tag limit. */
export const PROJECT_TAG_KEYS = Object.keys(projectTags({ name: '', workload: '' }));

/** The system (default) node pool. */
export const SYSTEM_POOL_NAME = 'system';

/**
 * Name of the pool AKS creates while it rotates a pool to a changed `vm_size`, `zones`, `max_pods` or
 * `os_disk_*`; without it such a change fails ("temporary_name_for_rotation must be specified").
 * Linux pool names are at most 12 characters.
 */
export const rotationPoolName = (pool: string) => `${pool.slice(0, 9)}tmp`;

/** Names no user pool may take: the system pool's, and the one it has while it rotates. */
export const SYSTEM_POOL_NAMES: ReadonlyArray<string> = [SYSTEM_POOL_NAME, rotationPoolName(SYSTEM_POOL_NAME)];

/** Node label the user pool carries, so workloads can be scheduled onto it and not the system pool. */
export const USER_POOL_LABEL = 'photo-view.io/pool';

/** Blob container holding an environment's Terraform state: one per environment in the shared state account. */
export function stateContainerName(env: Pick<EnvironmentConfig, 'name' | 'state'>): string {
  return env.state.containerName ?? `tfstate-${env.name}`;
}

/** Key Vault secret name for an environment variable name (DB_PASSWORD -> db-password). */
export function keyVaultSecretName(variable: string): string {
  return variable.toLowerCase().replace(/_/g, '-');
}

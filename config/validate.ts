import { AZURE_REGIONS } from './azure-facts';
import type { EnvironmentConfig } from './schema';
import { NamingError, namingContext, PROJECT_TAG_KEYS, resourceName, SYSTEM_POOL_NAMES } from './naming';
import { secretProblems } from './secrets';
import { kubernetesVersionStatus, minorOf, unknownVersionProblem } from './kubernetes-versions';
import { addOnProblems, networkProblems } from './network-validate';
import { ephemeralOsDiskProblems } from './vm-sizes';

/** One thing wrong in an environment file. */
export interface ConfigProblem {
  /** Dotted path of the field, e.g. `kubernetes.userPool.minCount`. */
  readonly path: string;
  readonly message: string;
  /** The value may be a secret: messages never print it. */
  readonly sensitive?: boolean;
}

/** Azure's tag limits. @see https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations */
export const AZURE_TAG_LIMITS = { count: 50, keyLength: 512, valueLength: 256, forbiddenKeyCharacters: /[<>%&\\?/]/ } as const;

/** Kubernetes refuses a ConfigMap whose values add up to more than 1 MiB (core validation, MaxSecretSize). */
export const CONFIG_MAP_MAX_BYTES = 1024 * 1024;

/** GUIDs that are obviously not real: the nil GUID, one repeated digit, 12345678-1234-... */
export function isPlaceholderGuid(guid: string): boolean {
  const hex = guid.toLowerCase().replace(/-/g, '');
  return /^(.)\1*$/.test(hex) || /^12345678123412341234123456789012$|^123456781234123412341234567890ab$/.test(hex);
}

/** Compares dotted versions numerically (1.9 < 1.10). */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * Rules that span fields; the schema has already checked each field on its own. A function of the file
 * alone: nothing here reads the clock (AKS support dates are judged by configWarnings and npm run validate).
 */
export function crossFieldProblems(env: EnvironmentConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const regionHasZones = AZURE_REGIONS[env.location].zones;
  kubernetesVersionProblems(env).forEach((p) => problems.push(p));

  for (const poolKey of ['systemPool', 'userPool'] as const) {
    const pool = env.kubernetes[poolKey];
    const at = `kubernetes.${poolKey}`;
    if (pool.minCount > pool.maxCount) {
      add(`${at}.minCount`, `autoscaler minCount (${pool.minCount}) must be <= maxCount (${pool.maxCount})`);
    }
    if (pool.nodeCount !== undefined && (pool.nodeCount < pool.minCount || pool.nodeCount > pool.maxCount)) {
      add(`${at}.nodeCount`, `nodeCount (${pool.nodeCount}) must be within minCount..maxCount (${pool.minCount}..${pool.maxCount})`);
    }
    if (pool.zones && !regionHasZones) {
      add(`${at}.zones`, `zones [${pool.zones.join(', ')}] given, but region '${env.location}' has no availability zones; remove 'zones'`);
    }
    problems.push(...ephemeralOsDiskProblems(pool, at));
    if (pool.orchestratorVersion && compareVersions(pool.orchestratorVersion, env.kubernetes.version) > 0) {
      add(
        `${at}.orchestratorVersion`,
        `orchestratorVersion (${pool.orchestratorVersion}) must not be ahead of the control plane (kubernetes.version ${env.kubernetes.version})`,
      );
    }
  }
  if (env.kubernetes.systemPool.minCount < 2 && env.kubernetes.skuTier !== 'Free') {
    // A single system node cannot be drained without taking CoreDNS and metrics-server down.
    add(
      'kubernetes.systemPool.minCount',
      `minCount (${env.kubernetes.systemPool.minCount}) must be >= 2 with skuTier '${env.kubernetes.skuTier}' so the system pool can be drained`,
    );
  }

  const { registry } = env;
  if (registry.sku !== 'Premium' && registry.geoReplicationLocations.length > 0) {
    add('registry.geoReplicationLocations', `geo-replication needs sku 'Premium' (sku is '${registry.sku}')`);
  }
  if (registry.sku !== 'Premium' && registry.zoneRedundancy === true) {
    add('registry.zoneRedundancy', `zone redundancy needs sku 'Premium' (sku is '${registry.sku}')`);
  }
  if (registry.zoneRedundancy === true && !regionHasZones) {
    add('registry.zoneRedundancy', `region '${env.location}' has no availability zones`);
  }
  if (registry.sku !== 'Premium' && registry.untaggedRetentionDays !== undefined) {
    add('registry.untaggedRetentionDays', `untagged-manifest retention needs sku 'Premium' (sku is '${registry.sku}')`);
  }
  if (registry.geoReplicationLocations.includes(env.location)) {
    add('registry.geoReplicationLocations', `'${env.location}' is the registry's home region; replicate to other regions only`);
  }

  const autoscaling = env.app.autoscaling;
  if (autoscaling && autoscaling.minReplicas > autoscaling.maxReplicas) {
    add('app.autoscaling.minReplicas', `HPA minReplicas (${autoscaling.minReplicas}) must be <= maxReplicas (${autoscaling.maxReplicas})`);
  }

  const { resources } = env.app;
  if (resources.cpuRequestMillis > resources.cpuLimitMillis) {
    add(
      'app.resources.cpuRequestMillis',
      `CPU request (${resources.cpuRequestMillis}m) must be <= cpuLimitMillis (${resources.cpuLimitMillis}m); Kubernetes rejects a request above its limit`,
    );
  }
  if (resources.memoryRequestMiB > resources.memoryLimitMiB) {
    add(
      'app.resources.memoryRequestMiB',
      `memory request (${resources.memoryRequestMiB}Mi) must be <= memoryLimitMiB (${resources.memoryLimitMiB}Mi); Kubernetes rejects a request above its limit`,
    );
  }
  if (SYSTEM_POOL_NAMES.includes(env.kubernetes.userPool.name)) {
    add(
      'kubernetes.userPool.name',
      `'${env.kubernetes.userPool.name}' is the system pool's name (or its rotation name); allowed: any other name, e.g. 'apps'`,
    );
  }
  problems.push(...settingsProblems(env), ...tagProblems(env), ...secretProblems(env));

  const ctx = namingContext(env);
  for (const kind of ['containerRegistry', 'keyVault'] as const) {
    try {
      resourceName(kind, ctx);
    } catch (error) {
      if (!(error instanceof NamingError)) throw error;
      add('workload', error.message);
    }
  }
  problems.push(...networkProblems(env), ...addOnProblems(env));
  return problems;
}

/** The app's settings: not also secret names, and a ConfigMap Kubernetes accepts (secrets: config/secrets.ts). */
function settingsProblems(env: EnvironmentConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { settings, secretNames } = env.app;
  let bytes = 0;
  for (const [name, value] of Object.entries(settings)) {
    bytes += Buffer.byteLength(value, 'utf8');
    if (secretNames.includes(name)) {
      problems.push({
        path: `app.settings.${name}`,
        message: `'${name}' is both a setting and in app.secretNames; keep it in one place (secrets: app.secretNames, value in Key Vault)`,
        sensitive: true,
      });
    }
  }
  if (bytes > CONFIG_MAP_MAX_BYTES) {
    problems.push({
      path: 'app.settings',
      sensitive: true,
      message: `the settings add up to ${bytes} bytes; Kubernetes refuses a ConfigMap over ${CONFIG_MAP_MAX_BYTES} bytes (1 MiB). Move large content out of settings`,
    });
  }
  return problems;
}

/** Tags within Azure's limits, counting the ones the project adds (secrets: config/secrets.ts). */
function tagProblems(env: EnvironmentConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const keys = new Set([...Object.keys(env.tags), ...PROJECT_TAG_KEYS]);
  if (keys.size > AZURE_TAG_LIMITS.count) {
    problems.push({
      path: 'tags',
      sensitive: true,
      message: `${Object.keys(env.tags).length} tags, ${keys.size} with the project's own (${PROJECT_TAG_KEYS.join(', ')}); Azure allows at most ${AZURE_TAG_LIMITS.count} per resource`,
    });
  }
  for (const [key, value] of Object.entries(env.tags)) {
    const at = `tags.${key}`;
    if (key.length > AZURE_TAG_LIMITS.keyLength)
      problems.push({
        path: at,
        sensitive: true,
        message: `tag name is ${key.length} characters; Azure allows at most ${AZURE_TAG_LIMITS.keyLength}`,
      });
    if (AZURE_TAG_LIMITS.forbiddenKeyCharacters.test(key))
      problems.push({ path: at, sensitive: true, message: `tag name contains one of < > % & \\ ? /, which Azure does not allow in tag names` });
    if (value.length > AZURE_TAG_LIMITS.valueLength)
      problems.push({
        path: at,
        sensitive: true,
        message: `tag value is ${value.length} characters; Azure allows at most ${AZURE_TAG_LIMITS.valueLength}`,
      });
  }
  return problems;
}

/**
 * What synth accepts but a deploy must not: placeholder subscription, tenant or group IDs, as in the
 * example files. `npm run synth` warns; `--strict` (SYNTH_STRICT=1, the deploy paths) refuses.
 */
export function placeholderIdWarnings(env: EnvironmentConfig): ConfigProblem[] {
  const ids: Array<[string, string]> = [
    ['subscriptionId', env.subscriptionId],
    ['tenantId', env.tenantId],
    ...env.kubernetes.adminGroupObjectIds.map((id, i): [string, string] => [`kubernetes.adminGroupObjectIds.${i}`, id]),
    // A role assignment to a group that does not exist fails at apply ("principal not found").
    ...(env.isolation.appTeam ? [['isolation.appTeam.groupObjectId', env.isolation.appTeam.groupObjectId] as [string, string]] : []),
  ];
  return ids
    .filter(([, id]) => isPlaceholderGuid(id))
    .map(([path]) => ({ path, message: 'is a placeholder, not a real ID; set the real one before deploying (synth without --strict only warns)' }));
}

/**
 * Versions AKS offers, and upgrade channels that do not fight the pin: `stable` and `rapid` upgrade the
 * minor version, `patch` the patch version, and the next plan would then try to downgrade a pin below it.
 */
export function kubernetesVersionProblems(env: EnvironmentConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const k8s = env.kubernetes;
  const versions: Array<[string, string | undefined]> = [
    ['kubernetes.version', k8s.version],
    ['kubernetes.systemPool.orchestratorVersion', k8s.systemPool.orchestratorVersion],
    ['kubernetes.userPool.orchestratorVersion', k8s.userPool.orchestratorVersion],
  ];
  for (const [path, version] of versions) {
    if (version === undefined) continue;
    const problem = unknownVersionProblem(version);
    if (problem) problems.push({ path, message: problem });
    const patchPinned = version.split('.').length === 3;
    if (k8s.automaticUpgradeChannel === 'patch' && patchPinned) {
      problems.push({
        path,
        message: `automaticUpgradeChannel 'patch' moves the cluster past patch ${version}, and the next plan would downgrade it; pin the minor version only ('${minorOf(version)}')`,
      });
    }
  }
  if (k8s.automaticUpgradeChannel === 'stable' || k8s.automaticUpgradeChannel === 'rapid') {
    problems.push({
      path: 'kubernetes.automaticUpgradeChannel',
      message:
        `'${k8s.automaticUpgradeChannel}' upgrades the minor version past the pinned kubernetes.version ${k8s.version}, and the next plan would try to downgrade it; ` +
        `allowed with a pinned version: 'patch' (default), 'node-image', 'none'. Upgrade minors by changing kubernetes.version`,
    });
  }
  return problems;
}

/**
 * Warnings that never stop synth: a Kubernetes version close to or past the end of its AKS support on
 * `today` (npm run validate refuses the latter, AKS014).
 */
export function configWarnings(env: EnvironmentConfig, today: Date): Array<ConfigProblem & { value: string }> {
  const k8s = env.kubernetes;
  const versions: Array<[string, string | undefined]> = [
    ['kubernetes.version', k8s.version],
    ['kubernetes.systemPool.orchestratorVersion', k8s.systemPool.orchestratorVersion],
    ['kubernetes.userPool.orchestratorVersion', k8s.userPool.orchestratorVersion],
  ];
  return versions.flatMap(([path, value]) => {
    const status = value === undefined ? {} : kubernetesVersionStatus(value, today);
    const warning = status.problem ?? status.warning;
    return warning && value !== undefined ? [{ path, value, message: warning }] : [];
  });
}

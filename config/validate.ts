import { AZURE_REGIONS } from './azure-facts';
import type { EnvironmentConfig } from './schema';
import { NamingError, namingContext, resourceName } from './naming';
import { kubernetesVersionStatus, minorOf } from './kubernetes-versions';
import { addOnProblems, networkProblems } from './network-validate';

/** One thing wrong in an environment file. */
export interface ConfigProblem {
  /** Dotted path of the field, e.g. `kubernetes.userPool.minCount`. */
  readonly path: string;
  readonly message: string;
}

/** Compares dotted versions numerically (1.9 < 1.10). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Rules that span fields; the schema has already checked each field on its own. `today` dates AKS version support. */
export function crossFieldProblems(env: EnvironmentConfig, today = new Date()): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const regionHasZones = AZURE_REGIONS[env.location].zones;
  kubernetesVersionProblems(env, today).forEach((p) => problems.push(p));

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
    if (pool.orchestratorVersion && compareVersions(pool.orchestratorVersion, env.kubernetes.version) > 0) {
      add(`${at}.orchestratorVersion`, `orchestratorVersion (${pool.orchestratorVersion}) must not be ahead of the control plane (kubernetes.version ${env.kubernetes.version})`);
    }
  }
  if (env.kubernetes.systemPool.minCount < 2 && env.kubernetes.skuTier !== 'Free') {
    // A single system node cannot be drained without taking CoreDNS and metrics-server down.
    add('kubernetes.systemPool.minCount', `minCount (${env.kubernetes.systemPool.minCount}) must be >= 2 with skuTier '${env.kubernetes.skuTier}' so the system pool can be drained`);
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

/**
 * Versions AKS offers, and upgrade channels that do not fight the pin: `stable` and `rapid` upgrade the
 * minor version, `patch` the patch version, and the next plan would then try to downgrade a pin below it.
 */
export function kubernetesVersionProblems(env: EnvironmentConfig, today: Date): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const k8s = env.kubernetes;
  const versions: Array<[string, string | undefined]> = [
    ['kubernetes.version', k8s.version],
    ['kubernetes.systemPool.orchestratorVersion', k8s.systemPool.orchestratorVersion],
    ['kubernetes.userPool.orchestratorVersion', k8s.userPool.orchestratorVersion],
  ];
  for (const [path, version] of versions) {
    if (version === undefined) continue;
    const { problem } = kubernetesVersionStatus(version, today);
    if (problem) problems.push({ path, message: problem });
    const patchPinned = version.split('.').length === 3;
    if (k8s.automaticUpgradeChannel === 'patch' && patchPinned) {
      problems.push({ path, message: `automaticUpgradeChannel 'patch' moves the cluster past patch ${version}, and the next plan would downgrade it; pin the minor version only ('${minorOf(version)}')` });
    }
  }
  if (k8s.automaticUpgradeChannel === 'stable' || k8s.automaticUpgradeChannel === 'rapid') {
    problems.push({
      path: 'kubernetes.automaticUpgradeChannel',
      message: `'${k8s.automaticUpgradeChannel}' upgrades the minor version past the pinned kubernetes.version ${k8s.version}, and the next plan would try to downgrade it; ` +
        `allowed with a pinned version: 'patch' (default), 'node-image', 'none'. Upgrade minors by changing kubernetes.version`,
    });
  }
  return problems;
}

/** Warnings that do not stop synth: a Kubernetes version close to the end of its AKS support. */
export function configWarnings(env: EnvironmentConfig, today = new Date()): Array<ConfigProblem & { value: string }> {
  const k8s = env.kubernetes;
  const versions: Array<[string, string | undefined]> = [
    ['kubernetes.version', k8s.version],
    ['kubernetes.systemPool.orchestratorVersion', k8s.systemPool.orchestratorVersion],
    ['kubernetes.userPool.orchestratorVersion', k8s.userPool.orchestratorVersion],
  ];
  return versions.flatMap(([path, value]) => {
    const warning = value === undefined ? undefined : kubernetesVersionStatus(value, today).warning;
    return warning && value !== undefined ? [{ path, value, message: warning }] : [];
  });
}

import type { Construct } from 'constructs';
import { ApiObject, Chart, Duration } from 'cdk8s';
import {
  allocatable,
  internalLoadBalancerSubnetName,
  namespaceQuota,
  namingContext,
  type EnvironmentConfig,
  keyVaultSecretName,
  registryLoginServer,
  resourceName,
  USER_POOL_LABEL,
} from '../../config';
import { NamespaceIsolation } from '../constructs/namespace-isolation';
import { APP_ROUTING_NAMESPACE, TlsIngress } from '../constructs/tls-ingress';
import { egressBlockedRanges } from '../constructs/network-policies';
import { WebApp } from '../constructs/web-app';
import { READY_BEFORE_TRAFFIC_ANNOTATION, TRAFFIC_ANNOTATION } from '../constructs/labels';
import { normalizeManifest, type KubernetesObject } from '../normalize';
import { UNDEPLOYED_CLIENT_ID, type PlatformOutputs } from '../platform-outputs';
import { APPLICATION_INSIGHTS_SETTING, PHOTO_VIEW_CONTRACT } from '../photo-view/contract';

/** Annotations the apps stack orders the apply by; re-exported so infra/ needs only the chart. */
export { READY_BEFORE_TRAFFIC_ANNOTATION, TRAFFIC_ANNOTATION };

/** Properties of a {@link PhotoViewChart}. */
export interface PhotoViewChartProps {
  readonly environment: EnvironmentConfig;
  /** Values from the deployed platform stack (or Terraform references to them). */
  readonly platform: PlatformOutputs;
}

export const APP_NAME = 'photo-view';

/** Label on every object of the app, for `kubectl apply --prune -l`. */
export const PRUNE_LABEL = { 'app.kubernetes.io/part-of': APP_NAME };

/**
 * On every object of manifests synthesized without the platform's outputs: they carry a placeholder
 * workload-identity client ID, so pods would start without access to Key Vault. GitOps tooling and
 * reviewers can refuse them by this annotation.
 */
export const NOT_DEPLOYABLE_ANNOTATION = 'photo-view.io/not-deployable';

/** Chart (and dist/ file) name of an environment's photo-view manifests. */
export const photoViewChartName = (env: string) => `${APP_NAME}-${env}`;

/** photo-view in one environment: everything derived from that environment's config. */
export class PhotoViewChart extends Chart {
  public readonly app: WebApp;

  constructor(scope: Construct, props: PhotoViewChartProps) {
    const env = props.environment;
    super(scope, photoViewChartName(env.name), {
      labels: { ...PRUNE_LABEL, 'app.kubernetes.io/managed-by': 'cdk8s', 'photo-view.io/environment': env.name },
      disableResourceNameHashes: true,
    });
    const naming = namingContext(env);
    const pool = env.kubernetes.userPool;
    const node = allocatable(pool.vmSize, pool.maxPods);
    const app = env.app;

    this.app = new WebApp(this, 'App', {
      name: APP_NAME,
      instance: photoViewChartName(env.name),
      context: `environment '${env.name}'`,
      namespace: app.namespace,
      serviceAccountName: app.serviceAccountName,
      registry: registryLoginServer(naming),
      repository: app.imageRepository,
      release: app.release,
      replicas: app.replicas,
      maxSurge: app.maxSurge,
      maxUnavailable: app.maxUnavailable,
      contract: PHOTO_VIEW_CONTRACT,
      resources: app.resources,
      autoscaling: app.autoscaling,
      maxUnavailableDuringDisruption: app.maxUnavailableDuringDisruption,
      internalLoadBalancer: app.internalLoadBalancer,
      internalLoadBalancerSubnet: internalLoadBalancerSubnetName(env),
      serviceType: env.ingress ? 'ClusterIP' : 'LoadBalancer',
      httpAllowedFromNamespaces: env.ingress ? [APP_ROUTING_NAMESPACE] : undefined,
      // The environment's own ranges too: its VNet may use public address space.
      egressBlockedRanges: egressBlockedRanges(env),
      settings: app.settings,
      // Telemetry goes out only with the platform's connection string (and the identity's token).
      platformSettings:
        env.applicationInsights.enabled && props.platform.applicationInsightsConnectionString
          ? { [APPLICATION_INSIGHTS_SETTING]: props.platform.applicationInsightsConnectionString }
          : undefined,
      secrets: {
        keyVaultName: resourceName('keyVault', naming),
        tenantId: env.tenantId,
        secrets: Object.fromEntries(app.secretNames.map((v) => [v, keyVaultSecretName(v)])),
        asEnvironmentVariables: app.secretNames.filter((v) => app.secretModes[v] === 'environment'),
      },
      workloadIdentityClientId: props.platform.appIdentityClientId,
      nodeSelector: { key: USER_POOL_LABEL, value: pool.name },
      poolCapacity: {
        maxNodes: pool.maxCount,
        cpuMillisPerNode: node.cpuMillis,
        memoryMiBPerNode: node.memoryMiB,
        description: `user pool '${pool.name}' (${pool.maxCount} x ${pool.vmSize.name})`,
      },
      progressDeadline: Duration.minutes(app.rolloutTimeoutMinutes),
    });

    if (env.ingress) {
      new TlsIngress(this, 'Ingress', {
        name: APP_NAME,
        namespace: app.namespace,
        host: env.ingress.host,
        serviceName: APP_NAME,
        keyVaultName: resourceName('keyVault', naming),
        certificateName: env.ingress.certificateName,
      });
    }
    // Resource isolation of the app namespace.
    if (env.isolation.resourceQuota) {
      new NamespaceIsolation(this, 'Isolation', { namespace: app.namespace, quota: namespaceQuota(env), containerDefaults: app.resources });
    }

    // The image refuses to start without these; say so at synth time, not in a crash-looping pod.
    this.node.addValidation({ validate: () => missingAppInputs(env) });

    if (props.platform.appIdentityClientId === UNDEPLOYED_CLIENT_ID) {
      const reason = `placeholder workload identity client ID; run: npx cdktf output platform-${env.name} --outputs-file platform-outputs/${env.name}.json && npm run synth`;
      for (const child of this.node.findAll()) {
        if (child instanceof ApiObject) child.metadata.addAnnotation(NOT_DEPLOYABLE_ANNOTATION, reason);
      }
    }
  }

  /** The objects as the API server returns them, for kubernetes_manifest and dist/ alike (see normalize.ts). */
  public override toJson(): KubernetesObject[] {
    return super.toJson().map(normalizeManifest);
  }
}

/** Settings and secrets the photo-view image cannot start without (see its contract). */
function missingAppInputs(env: EnvironmentConfig): string[] {
  const where = `environment '${env.name}'`;
  return [
    ...PHOTO_VIEW_CONTRACT.requiredSettings
      .filter((name) => !env.app.settings[name]?.trim())
      .map((name) => `${where}: app.settings.${name} is required by the photo-view image (workloads/photo-view/contract.ts)`),
    ...PHOTO_VIEW_CONTRACT.requiredSecrets
      .filter((name) => !env.app.secretNames.includes(name))
      .map((name) => `${where}: app.secretNames must include ${name}, which the photo-view image requires (workloads/photo-view/contract.ts)`),
  ];
}

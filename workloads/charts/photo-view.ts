import type { Construct } from 'constructs';
import { Chart } from 'cdk8s';
import { allocatable, namingContext, parseVmSize, type EnvironmentConfig, type VmSize, internalLoadBalancerSubnetName, keyVaultSecretName, namespaceQuota, registryLoginServer, resourceName, USER_POOL_LABEL } from '../../config';
import { NamespaceIsolation } from '../constructs/namespace-isolation';
import { APP_ROUTING_NAMESPACE, TlsIngress } from '../constructs/tls-ingress';
import { WebApp } from '../constructs/web-app';
import { normalizeManifest, type KubernetesObject } from '../normalize';
import type { PlatformOutputs } from '../platform-outputs';

/** Properties of a {@link PhotoViewChart}. */
export interface PhotoViewChartProps {
  readonly environment: EnvironmentConfig;
  /** Values from the deployed platform stack (or Terraform references to them). */
  readonly platform: PlatformOutputs;
  /** Clock for blue/green scale-down. @default now */
  readonly now?: Date;
}

export const APP_NAME = 'photo-view';

/** Label on every object of the app, for `kubectl apply --prune -l`. */
export const PRUNE_LABEL = { 'app.kubernetes.io/part-of': APP_NAME };

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
    const node = allocatable(parseVmSize(pool.vmSize) as VmSize, pool.maxPods);

    this.app = new WebApp(this, 'App', {
      name: APP_NAME,
      instance: photoViewChartName(env.name),
      context: `environment '${env.name}'`,
      namespace: env.app.namespace,
      serviceAccountName: env.app.serviceAccountName,
      registry: registryLoginServer(naming),
      repository: env.app.imageRepository,
      release: env.app.release,
      replicas: env.app.replicas,
      maxSurge: env.app.maxSurge,
      maxUnavailable: env.app.maxUnavailable,
      containerPort: env.app.containerPort,
      healthPath: env.app.healthPath,
      resources: env.app.resources,
      autoscaling: env.app.autoscaling,
      maxUnavailableDuringDisruption: env.app.maxUnavailableDuringDisruption,
      internalLoadBalancer: env.app.internalLoadBalancer,
      internalLoadBalancerSubnet: internalLoadBalancerSubnetName(env),
      serviceType: env.ingress ? 'ClusterIP' : 'LoadBalancer',
      httpAllowedFromNamespaces: env.ingress ? [APP_ROUTING_NAMESPACE] : undefined,
      settings: env.app.settings,
      secrets: {
        keyVaultName: resourceName('keyVault', naming),
        tenantId: env.tenantId,
        secrets: Object.fromEntries(env.app.secretNames.map((v) => [v, keyVaultSecretName(v)])),
      },
      workloadIdentityClientId: props.platform.appIdentityClientId,
      nodeSelector: { key: USER_POOL_LABEL, value: pool.name },
      poolCapacity: {
        maxNodes: pool.maxCount,
        cpuMillisPerNode: node.cpuMillis,
        memoryMiBPerNode: node.memoryMiB,
        description: `user pool '${pool.name}' (${pool.maxCount} x ${pool.vmSize})`,
      },
      now: props.now,
    });
    if (env.ingress) {
      new TlsIngress(this, 'Ingress', {
        name: APP_NAME,
        namespace: env.app.namespace,
        host: env.ingress.host,
        serviceName: APP_NAME,
        keyVaultName: resourceName('keyVault', naming),
        certificateName: env.ingress.certificateName,
      });
    }
    // Resource isolation of the app namespace (issue 14).
    if (env.isolation.resourceQuota) {
      new NamespaceIsolation(this, 'Isolation', { namespace: env.app.namespace, quota: namespaceQuota(env), containerDefaults: env.app.resources });
    }
  }

  /** The objects as the API server returns them, for kubernetes_manifest and dist/ alike (see normalize.ts). */
  public override toJson(): KubernetesObject[] {
    return super.toJson().map(normalizeManifest);
  }
}

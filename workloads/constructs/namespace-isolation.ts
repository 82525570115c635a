import { Construct } from 'constructs';
import { KubeLimitRange, KubeResourceQuota, Quantity } from 'cdk8s-plus-28/lib/imports/k8s';
import type { NamespaceQuota } from '../../config';
import { canonicalQuantity } from '../quantity';

/** Properties of {@link NamespaceIsolation}. */
export interface NamespaceIsolationProps {
  readonly namespace: string;
  /** Hard limits of the namespace (see config/isolation.ts for how photo-view's are sized). */
  readonly quota: NamespaceQuota;
  /** Requests and limits a container gets when it states none. */
  readonly containerDefaults: {
    readonly cpuRequestMillis: number;
    readonly cpuLimitMillis: number;
    readonly memoryRequestMiB: number;
    readonly memoryLimitMiB: number;
  };
  /** Labels of both objects. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

// In the API server's canonical form (4000m is 4, 2048Mi is 2Gi), and strings (a quota's `pods: 41`
// comes back as "41"), so kubernetes_manifest finds what it applied.
const cpu = (millis: number) => Quantity.fromString(canonicalQuantity(`${millis}m`));
const memory = (mib: number) => Quantity.fromString(canonicalQuantity(`${mib}Mi`));

/**
 * Resource isolation of a namespace on a shared cluster: a ResourceQuota so one app cannot take the
 * nodes from the others, and a LimitRange so a container without requests and limits (which the quota
 * would otherwise reject) gets the app's defaults.
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
 * @see https://kubernetes.io/docs/concepts/policy/limit-range/
 */
export class NamespaceIsolation extends Construct {
  constructor(scope: Construct, id: string, props: NamespaceIsolationProps) {
    super(scope, id);
    const { quota, containerDefaults: d } = props;
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined });
    new KubeResourceQuota(this, 'Quota', {
      metadata: metadata('compute'),
      spec: {
        hard: {
          pods: Quantity.fromString(String(quota.pods)),
          'requests.cpu': cpu(quota.requestsCpuMillis),
          'requests.memory': memory(quota.requestsMemoryMiB),
          'limits.cpu': cpu(quota.limitsCpuMillis),
          'limits.memory': memory(quota.limitsMemoryMiB),
        },
      },
    });
    new KubeLimitRange(this, 'Defaults', {
      metadata: metadata('container-defaults'),
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: cpu(d.cpuRequestMillis), memory: memory(d.memoryRequestMiB) },
            default: { cpu: cpu(d.cpuLimitMillis), memory: memory(d.memoryLimitMiB) },
          },
        ],
      },
    });
  }
}

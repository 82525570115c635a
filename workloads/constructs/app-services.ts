import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { TRACK_LABEL } from './labels';
import type { ServiceExpectation } from './checks';
import type { ReleasePlan } from './release-tracks';

/** Properties of {@link AppServices}. */
export interface AppServicesProps {
  readonly name: string;
  readonly namespace: string;
  readonly selectorBase: Readonly<Record<string, string>>;
  readonly plan: ReleasePlan;
  readonly containerPort: number;
  /** Internal Azure load balancer (no public IP) for the main Service. */
  readonly internalLoadBalancer: boolean;
  /** Subnet (by name, in the nodes' VNet) the internal load balancer takes its IP from. @default the node subnet */
  readonly internalLoadBalancerSubnet?: string;
  /** `ClusterIP` when an ingress controller fronts the app. @default 'LoadBalancer' */
  readonly serviceType?: 'LoadBalancer' | 'ClusterIP';
}

/** The part of a synthesized Service the checks read. */
interface ServiceJson {
  readonly spec: { readonly selector?: Record<string, string> };
}

/**
 * The main LoadBalancer Service (every serving track, or the active colour), and for blue/green a
 * ClusterIP preview Service on the idle colour.
 *
 * The Azure load balancer probes the Service's node port over TCP: an HTTP probe would need `appProtocol`
 * or the probe-protocol annotation, and with `externalTrafficPolicy: Cluster` it would judge a node by
 * whichever pod kube-proxy picks. Pod health is the readiness probe's job.
 * @see https://cloud-provider-azure.sigs.k8s.io/topics/loadbalancer/#custom-load-balancer-health-probe
 */
export class AppServices extends Construct {
  private readonly services: Array<{ service: kplus.Service; expectedTracks: string[] }> = [];

  constructor(scope: Construct, id: string, props: AppServicesProps) {
    super(scope, id);
    const { name, namespace, plan } = props;
    const ports = [{ name: 'http', port: 80, targetPort: props.containerPort }];
    const behindIngress = props.serviceType === 'ClusterIP';
    const annotations = {
      'service.beta.kubernetes.io/azure-load-balancer-internal': String(props.internalLoadBalancer),
      ...(props.internalLoadBalancer && props.internalLoadBalancerSubnet
        ? { 'service.beta.kubernetes.io/azure-load-balancer-internal-subnet': props.internalLoadBalancerSubnet }
        : {}),
    };
    const main = new kplus.Service(this, 'Service', {
      metadata: { name, namespace, annotations: behindIngress ? undefined : annotations },
      type: behindIngress ? kplus.ServiceType.CLUSTER_IP : kplus.ServiceType.LOAD_BALANCER,
      ports,
    });
    this.select(main, plan.serviceTrack, props.selectorBase);
    this.services.push({
      service: main,
      expectedTracks: plan.tracks.filter((t) => plan.serviceTrack === undefined || t.name === plan.serviceTrack).map((t) => t.name),
    });

    if (plan.previewTrack) {
      const preview = new kplus.Service(this, 'PreviewService', {
        metadata: { name: `${name}-preview`, namespace },
        type: kplus.ServiceType.CLUSTER_IP,
        ports,
      });
      this.select(preview, plan.previewTrack, props.selectorBase);
      this.services.push({ service: preview, expectedTracks: [plan.previewTrack] });
    }
  }

  /** Each Service's selector as it will be synthesized, with the tracks it must select. */
  public expectations(): ServiceExpectation[] {
    return this.services.map(({ service, expectedTracks }) => ({
      service: service.name,
      selector: (ApiObject.of(service).toJson() as ServiceJson).spec.selector ?? {},
      expectedTracks,
    }));
  }

  private select(service: kplus.Service, track: string | undefined, selectorBase: Readonly<Record<string, string>>) {
    const labels = track === undefined ? selectorBase : { ...selectorBase, [TRACK_LABEL]: track };
    for (const [k, v] of Object.entries(labels)) service.selectLabel(k, v);
  }
}

import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import type { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { PercentOrCount } from '../../config';
import { AppNetworkPolicies } from './network-policies';
import { AppServices } from './app-services';
import { AppTrack, type ContainerContract, type ContainerResources, type TrackTemplate } from './app-track';
import { KeyVaultSecrets } from './key-vault-secrets';
import { appLabels } from './labels';
import { planRelease, type Autoscaling, type ReleaseStrategy } from './release-tracks';
import {
  autoscalingProblems,
  canaryProblems,
  capacityProblems,
  disruptionBudgetProblems,
  imageTagProblems,
  selectorProblems,
  type PoolCapacity,
} from './checks';

export type { ContainerContract, ContainerResources } from './app-track';

/** Secrets read from Azure Key Vault through the Secrets Store CSI driver. */
export interface KeyVaultSecretSource {
  readonly keyVaultName: string;
  readonly tenantId: string;
  /** File name (and variable name) -> Key Vault secret name. Each is mounted as a file. */
  readonly secrets: Readonly<Record<string, string>>;
  /**
   * Secrets that are also environment variables, fed from a Kubernetes Secret the driver syncs (the
   * value then lives in etcd). @default none
   */
  readonly asEnvironmentVariables?: ReadonlyArray<string>;
}

/**
 * Properties of a {@link WebApp}. Everything an environment config decides is required (its defaults
 * live in config/schema.ts); what is optional is absent unless asked for.
 */
export interface WebAppProps {
  /** App name: object names and `app.kubernetes.io/name`. */
  readonly name: string;
  /** Instance label, e.g. `photo-view-prod`. */
  readonly instance: string;
  /** Where the app runs; shown in check failures, e.g. "environment 'prod'". */
  readonly context: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** Registry login server, e.g. `crphotoviewprod1a2b.azurecr.io`. */
  readonly registry: string;
  /** Repository in the registry. */
  readonly repository: string;
  readonly release: ReleaseStrategy;
  /** Pods when not autoscaled. */
  readonly replicas: number;
  /** Extra pods during a rolling update. */
  readonly maxSurge: PercentOrCount;
  /** Pods that may be unavailable during a rolling update. */
  readonly maxUnavailable: PercentOrCount;
  /** What the image promises: port, probe paths, user, mount paths, grace period and pre-stop delay. */
  readonly contract: ContainerContract;
  readonly resources: ContainerResources;
  /** HorizontalPodAutoscaler bounds and targets. @default no autoscaler, fixed replicas */
  readonly autoscaling?: Autoscaling;
  /** PodDisruptionBudget maxUnavailable. */
  readonly maxUnavailableDuringDisruption: PercentOrCount;
  /** Internal Azure load balancer (no public IP). */
  readonly internalLoadBalancer: boolean;
  /** Subnet (by name, in the nodes' VNet) the internal load balancer takes its IP from. @default the node subnet */
  readonly internalLoadBalancerSubnet?: string;
  /** `ClusterIP` when an ingress controller fronts the app (no load balancer of its own). @default 'LoadBalancer' */
  readonly serviceType?: 'LoadBalancer' | 'ClusterIP';
  /** Only pods in these namespaces (e.g. the ingress controller's) may reach the app's port. @default any source */
  readonly httpAllowedFromNamespaces?: ReadonlyArray<string>;
  /** Ranges the app's HTTPS egress excludes: egressBlockedRanges(env) (network-policies.ts). @default BLOCKED_EGRESS_RANGES */
  readonly egressBlockedRanges?: ReadonlyArray<string>;
  /** Non-secret settings: a ConfigMap, consumed as environment variables and as files. */
  readonly settings: Readonly<Record<string, string>>;
  /**
   * Non-secret values only known once the platform is deployed, set on the container itself: a change
   * rolls the pods without renaming the settings ConfigMap. @default none
   */
  readonly platformSettings?: Readonly<Record<string, string>>;
  /** @default no secrets */
  readonly secrets?: KeyVaultSecretSource;
  /** Client ID of the Azure workload identity the service account is bound to. */
  readonly workloadIdentityClientId: string;
  /** Node label pods must be scheduled onto (the user pool). @default any node */
  readonly nodeSelector?: { readonly key: string; readonly value: string };
  /** Capacity the pods must fit into. @default not checked */
  readonly poolCapacity?: PoolCapacity;
  /** Rollout time before a Deployment reports failure. */
  readonly progressDeadline: Duration;
}

/** A ConfigMap name that changes with its content, so a change rolls the pods (and a rollback rolls them back). */
function contentHashedName(prefix: string, data: Readonly<Record<string, string>>): string {
  const canonical = JSON.stringify(
    Object.keys(data)
      .sort()
      .map((k) => [k, data[k]]),
  );
  return `${prefix}-${createHash('sha256').update(canonical).digest('hex').slice(0, 10)}`;
}

/**
 * A stateless web app, run well: namespace with Pod Security Admission `restricted`, one Deployment
 * per release track (rolling, blue/green or canary) with its HPA and PodDisruptionBudget, LoadBalancer
 * Service, settings ConfigMap, Key Vault-backed secrets, NetworkPolicies and a workload-identity service
 * account. Checks run at synth time.
 */
export class WebApp extends Construct {
  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    const selectorBase = appLabels(props.name, props.instance);
    const plan = planRelease(props.release, props.replicas, props.autoscaling);

    const template = this.addSharedObjects(props, selectorBase);
    const tracks = plan.tracks.map((track) => new AppTrack(this, track.name, { track, template }));
    const services = new AppServices(this, 'Services', {
      name: props.name,
      namespace: props.namespace,
      selectorBase,
      plan,
      containerPort: props.contract.port,
      internalLoadBalancer: props.internalLoadBalancer,
      internalLoadBalancerSubnet: props.internalLoadBalancerSubnet,
      serviceType: props.serviceType,
    });
    new AppNetworkPolicies(this, 'NetworkPolicies', {
      name: props.name,
      namespace: props.namespace,
      podSelector: selectorBase,
      port: props.contract.port,
      allowedFromNamespaces: props.httpAllowedFromNamespaces,
      egressBlockedRanges: props.egressBlockedRanges,
    });

    this.node.addValidation({
      validate: () =>
        [
          ...imageTagProblems(plan.tracks),
          ...canaryProblems(props.release, props.autoscaling?.minReplicas ?? props.replicas),
          ...autoscalingProblems(plan.tracks),
          ...disruptionBudgetProblems(props.maxUnavailableDuringDisruption),
          ...capacityProblems(
            plan.tracks,
            { cpuMillis: props.resources.cpuRequestMillis, memoryMiB: props.resources.memoryRequestMiB },
            props.poolCapacity,
          ),
          ...selectorProblems(
            services.expectations(),
            tracks.map((t, i) => ({ track: plan.tracks[i].name, podLabels: t.synthesizedPodLabels() })),
          ),
        ].map((problem) => `${props.context}: ${problem}`),
    });
  }

  /** Namespace, service account, settings and secrets: what every track uses. */
  private addSharedObjects(props: WebAppProps, selectorBase: Record<string, string>): TrackTemplate {
    const namespace = props.namespace;
    new kplus.Namespace(this, 'Namespace', {
      metadata: {
        name: namespace,
        labels: Object.fromEntries(
          ['enforce', 'audit', 'warn'].flatMap((mode) => [
            [`pod-security.kubernetes.io/${mode}`, 'restricted'],
            [`pod-security.kubernetes.io/${mode}-version`, 'latest'],
          ]),
        ),
      },
    });
    const serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: props.serviceAccountName, namespace, annotations: { 'azure.workload.identity/client-id': props.workloadIdentityClientId } },
      // Workload identity and the CSI driver get their tokens without the automounted one.
      automountToken: false,
    });
    const configMap = new kplus.ConfigMap(this, 'Settings', {
      metadata: { name: contentHashedName(`${props.name}-settings`, props.settings), namespace },
      data: { ...props.settings },
      immutable: true,
    });
    const source = props.secrets;
    const secrets =
      source && Object.keys(source.secrets).length > 0
        ? new KeyVaultSecrets(this, 'Secrets', {
            namespace,
            name: `${props.name}-secrets`,
            keyVaultName: source.keyVaultName,
            tenantId: source.tenantId,
            clientId: props.workloadIdentityClientId,
            secrets: source.secrets,
            synced: source.asEnvironmentVariables,
          })
        : undefined;
    return {
      name: props.name,
      namespace,
      selectorBase,
      imageRepository: `${props.registry}/${props.repository}`,
      contract: props.contract,
      resources: props.resources,
      maxSurge: props.maxSurge,
      maxUnavailable: props.maxUnavailable,
      maxUnavailableDuringDisruption: props.maxUnavailableDuringDisruption,
      progressDeadline: props.progressDeadline,
      serviceAccount,
      configMap,
      secrets: secrets && {
        providerClassName: secrets.secretProviderClassName,
        syncedSecretName: secrets.secretName,
        environmentVariables: source?.asEnvironmentVariables ?? [],
      },
      nodeSelector: props.nodeSelector,
      platformSettings: props.platformSettings,
    };
  }
}

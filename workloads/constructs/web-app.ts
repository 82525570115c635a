import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IntOrString, KubeNetworkPolicy, KubePodDisruptionBudget } from 'cdk8s-plus-28/lib/imports/k8s';
import { KeyVaultSecrets } from './key-vault-secrets';
import { appLabels, TRACK_LABEL } from './labels';
import { planRelease, type ReleaseStrategy, type Track } from './release-tracks';
import {
  autoscalingProblems, canaryProblems, capacityProblems, disruptionBudgetProblems, imageTagProblems, selectorProblems,
  type PoolCapacity, type ServiceExpectation,
} from './checks';

/** CPU and memory of one container. */
export interface ContainerResources {
  readonly cpuRequestMillis: number;
  readonly cpuLimitMillis: number;
  readonly memoryRequestMiB: number;
  readonly memoryLimitMiB: number;
}

/** Secrets read from Azure Key Vault through the Secrets Store CSI driver. */
export interface KeyVaultSecretSource {
  readonly keyVaultName: string;
  readonly tenantId: string;
  /** Environment-variable name -> Key Vault secret name. */
  readonly secrets: Readonly<Record<string, string>>;
}

/** Properties of a {@link WebApp}. */
export interface WebAppProps {
  /** App name: object names and `app.kubernetes.io/name`. */
  readonly name: string;
  /** Instance label, e.g. `photo-view-prod`. @default name */
  readonly instance?: string;
  /** Where the app runs; shown in check failures, e.g. "environment 'prod'". */
  readonly context: string;
  /** @default name */
  readonly namespace?: string;
  /** Registry login server, e.g. `crphotoviewprod1a2b.azurecr.io`. */
  readonly registry: string;
  /** Repository in the registry. @default name */
  readonly repository?: string;
  readonly release: ReleaseStrategy;
  /** Pods when not autoscaled. @default 10 */
  readonly replicas?: number;
  /** Extra pods during a rolling update. @default '25%' */
  readonly maxSurge?: string | number;
  /** Pods that may be unavailable during a rolling update. @default '25%' */
  readonly maxUnavailable?: string | number;
  /** @default 8080 */
  readonly containerPort?: number;
  /** Path answering 200 when the app is healthy (probes and the Azure load balancer). @default '/healthz' */
  readonly healthPath?: string;
  /** @default 250m/500m CPU, 256Mi/512Mi memory */
  readonly resources?: ContainerResources;
  /** HorizontalPodAutoscaler bounds and targets. @default no autoscaler, fixed replicas */
  readonly autoscaling?: { readonly minReplicas: number; readonly maxReplicas: number; readonly cpuUtilizationPercent: number; readonly memoryUtilizationPercent?: number };
  /** PodDisruptionBudget maxUnavailable. @default 1 */
  readonly maxUnavailableDuringDisruption?: string | number;
  /** Internal Azure load balancer (no public IP). @default true */
  readonly internalLoadBalancer?: boolean;
  /** Subnet (by name, in the nodes' VNet) the internal load balancer takes its IP from. @default the node subnet */
  readonly internalLoadBalancerSubnet?: string;
  /**
   * `ClusterIP` when an ingress controller fronts the app (no load balancer of its own).
   * @default 'LoadBalancer'
   */
  readonly serviceType?: 'LoadBalancer' | 'ClusterIP';
  /** Only pods in these namespaces (e.g. the ingress controller's) may reach the app's port. @default any source */
  readonly httpAllowedFromNamespaces?: ReadonlyArray<string>;
  /** Non-secret settings: a ConfigMap, consumed as environment variables and as files. @default none */
  readonly settings?: Readonly<Record<string, string>>;
  /** @default no secrets */
  readonly secrets?: KeyVaultSecretSource;
  /** @default name */
  readonly serviceAccountName?: string;
  /** Client ID of the Azure workload identity the service account is bound to. */
  readonly workloadIdentityClientId: string;
  /** Node label pods must be scheduled onto (the user pool). @default any node */
  readonly nodeSelector?: { readonly key: string; readonly value: string };
  /** Capacity the pods must fit into. @default not checked */
  readonly poolCapacity?: PoolCapacity;
  /** Rollout timeout before a Deployment reports failure. @default 10 minutes */
  readonly progressDeadline?: Duration;
  /** Clock for blue/green scale-down decisions. @default now */
  readonly now?: Date;
}

const UID = 10001;

const percentOrAbsolute = (v: string | number) =>
  typeof v === 'number' ? kplus.PercentOrAbsolute.absolute(v) : kplus.PercentOrAbsolute.percent(Number(v.replace('%', '')));
const intOrString = (v: string | number) => (typeof v === 'number' ? IntOrString.fromNumber(v) : IntOrString.fromString(v));

/** A ConfigMap name that changes with its content, so a change rolls the pods (and a rollback rolls them back). */
export function contentHashedName(prefix: string, data: Readonly<Record<string, string>>): string {
  const canonical = JSON.stringify(Object.keys(data).sort().map((k) => [k, data[k]]));
  return `${prefix}-${createHash('sha256').update(canonical).digest('hex').slice(0, 10)}`;
}

/**
 * A stateless web app, run well: namespace with Pod Security Admission `restricted`, one Deployment
 * per release track (rolling, blue/green or canary), LoadBalancer Service, settings ConfigMap,
 * Key Vault-backed Secret, HPA, PodDisruptionBudget, NetworkPolicy and a workload-identity service
 * account. Checks run at synth time.
 */
export class WebApp extends Construct {
  public readonly tracks: ReadonlyArray<Track>;
  public readonly namespaceName: string;
  private readonly deployments: Array<{ track: string; deployment: kplus.Deployment }> = [];
  private readonly services: Array<{ service: kplus.Service; expectedTracks: string[] }> = [];

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    const name = props.name;
    const namespace = props.namespace ?? name;
    const instance = props.instance ?? name;
    const port = props.containerPort ?? 8080;
    const healthPath = props.healthPath ?? '/healthz';
    const resources = props.resources ?? { cpuRequestMillis: 250, cpuLimitMillis: 500, memoryRequestMiB: 256, memoryLimitMiB: 512 };
    const replicas = props.replicas ?? 10;
    const maxUnavailableDuringDisruption = props.maxUnavailableDuringDisruption ?? 1;
    const selectorBase = appLabels(name, instance);
    this.namespaceName = namespace;

    new kplus.Namespace(this, 'Namespace', {
      metadata: {
        name: namespace,
        labels: Object.fromEntries(['enforce', 'audit', 'warn'].flatMap((mode) => [
          [`pod-security.kubernetes.io/${mode}`, 'restricted'],
          [`pod-security.kubernetes.io/${mode}-version`, 'latest'],
        ])),
      },
    });

    const serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: props.serviceAccountName ?? name, namespace, annotations: { 'azure.workload.identity/client-id': props.workloadIdentityClientId } },
      // Workload identity and the CSI driver get their tokens without the automounted one.
      automountToken: false,
    });

    const settings = props.settings ?? {};
    const configMap = new kplus.ConfigMap(this, 'Settings', {
      metadata: { name: contentHashedName(`${name}-settings`, settings), namespace },
      data: { ...settings },
      immutable: true,
    });

    const secrets = props.secrets && Object.keys(props.secrets.secrets).length > 0
      ? new KeyVaultSecrets(this, 'Secrets', {
        namespace,
        name: `${name}-secrets`,
        keyVaultName: props.secrets.keyVaultName,
        tenantId: props.secrets.tenantId,
        clientId: props.workloadIdentityClientId,
        secrets: props.secrets.secrets,
      })
      : undefined;

    const plan = planRelease(props.release, replicas, props.autoscaling, props.now ?? new Date());
    this.tracks = plan.tracks;
    for (const track of plan.tracks) {
      const objectName = track.name === 'main' ? name : `${name}-${track.name}`;
      const trackScope = new Construct(this, track.name);
      const selector = { ...selectorBase, [TRACK_LABEL]: track.name };
      const deployment = new kplus.Deployment(trackScope, 'Deployment', {
        metadata: { name: objectName, namespace, labels: { ...selector, 'app.kubernetes.io/version': track.tag } },
        podMetadata: {
          labels: { ...selector, 'app.kubernetes.io/component': 'web', 'app.kubernetes.io/version': track.tag, 'azure.workload.identity/use': 'true' },
        },
        select: false,
        replicas: track.autoscaling ? undefined : track.replicas,
        strategy: kplus.DeploymentStrategy.rollingUpdate({
          maxSurge: percentOrAbsolute(props.maxSurge ?? '25%'),
          maxUnavailable: percentOrAbsolute(props.maxUnavailable ?? '25%'),
        }),
        progressDeadline: props.progressDeadline ?? Duration.minutes(10),
        serviceAccount,
        automountServiceAccountToken: false,
        securityContext: { ensureNonRoot: true, user: UID, group: UID, fsGroup: UID },
        containers: [{
          name,
          image: `${props.registry}/${props.repository ?? name}:${track.tag}`,
          portNumber: port,
          // Tags are immutable (checked below), so a cached image is the right image.
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          resources: {
            cpu: { request: kplus.Cpu.millis(resources.cpuRequestMillis), limit: kplus.Cpu.millis(resources.cpuLimitMillis) },
            memory: { request: Size.mebibytes(resources.memoryRequestMiB), limit: Size.mebibytes(resources.memoryLimitMiB) },
          },
          startup: kplus.Probe.fromHttpGet(healthPath, { port, periodSeconds: Duration.seconds(2), failureThreshold: 30 }),
          readiness: kplus.Probe.fromHttpGet(healthPath, { port, periodSeconds: Duration.seconds(5), failureThreshold: 3 }),
          liveness: kplus.Probe.fromHttpGet(healthPath, { port, periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
          securityContext: {
            ensureNonRoot: true, user: UID, group: UID, privileged: false, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
            capabilities: { drop: [kplus.Capability.ALL] },
            seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
          },
          envFrom: [kplus.Env.fromConfigMap(configMap)],
          envVariables: secrets ? Object.fromEntries(Object.keys(props.secrets!.secrets).map((variable) => [variable,
            kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(trackScope, `Secret${variable}`, secrets.secretName), key: variable })])) : undefined,
        }],
      });
      const container = deployment.containers[0];
      // Read-only root filesystem: /tmp is the one writable place.
      container.mount('/tmp', kplus.Volume.fromEmptyDir(trackScope, 'Tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));
      container.mount(`/etc/${name}`, kplus.Volume.fromConfigMap(trackScope, 'SettingsVolume', configMap, { name: 'settings' }), { readOnly: true });
      if (secrets) {
        container.mount('/mnt/secrets', kplus.Volume.fromCsi(trackScope, 'SecretsVolume', 'secrets-store.csi.k8s.io', {
          name: 'secrets', readOnly: true, attributes: { secretProviderClass: secrets.secretProviderClassName },
        }), { readOnly: true });
      }
      deployment.select(kplus.LabelSelector.of({ labels: selector }));
      if (props.nodeSelector) {
        deployment.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is(props.nodeSelector.key, props.nodeSelector.value)));
      }
      ApiObject.of(deployment).addJsonPatch(
        JsonPatch.add('/spec/revisionHistoryLimit', 5),
        // Spread each revision's pods over nodes and zones; ScheduleAnyway lets the autoscaler catch up.
        JsonPatch.add('/spec/template/spec/topologySpreadConstraints', ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({
          maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector }, matchLabelKeys: ['pod-template-hash'],
        }))),
      );
      this.deployments.push({ track: track.name, deployment });

      // Bounds kplus would reject are reported by the checks below, with the environment named.
      if (track.autoscaling && track.autoscaling.minReplicas <= track.autoscaling.maxReplicas) {
        new kplus.HorizontalPodAutoscaler(trackScope, 'Autoscaler', {
          metadata: { name: objectName, namespace },
          target: deployment,
          minReplicas: track.autoscaling.minReplicas,
          maxReplicas: track.autoscaling.maxReplicas,
          metrics: [
            kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(props.autoscaling!.cpuUtilizationPercent)),
            ...(props.autoscaling!.memoryUtilizationPercent
              ? [kplus.Metric.resourceMemory(kplus.MetricTarget.averageUtilization(props.autoscaling!.memoryUtilizationPercent))] : []),
          ],
        });
      }
      new KubePodDisruptionBudget(trackScope, 'DisruptionBudget', {
        metadata: { name: objectName, namespace },
        spec: { maxUnavailable: intOrString(maxUnavailableDuringDisruption), selector: { matchLabels: selector } },
      });
    }

    const liveTracks = plan.tracks.filter((t) => t.live).map((t) => t.name);
    const behindIngress = props.serviceType === 'ClusterIP';
    const service = new kplus.Service(this, 'Service', {
      metadata: {
        name, namespace,
        annotations: behindIngress ? undefined : {
          'service.beta.kubernetes.io/azure-load-balancer-internal': String(props.internalLoadBalancer ?? true),
          'service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path': healthPath,
          ...((props.internalLoadBalancer ?? true) && props.internalLoadBalancerSubnet
            ? { 'service.beta.kubernetes.io/azure-load-balancer-internal-subnet': props.internalLoadBalancerSubnet }
            : {}),
        },
      },
      type: behindIngress ? kplus.ServiceType.CLUSTER_IP : kplus.ServiceType.LOAD_BALANCER,
      ports: [{ name: 'http', port: 80, targetPort: port }],
    });
    // Canary: stable and canary share the Service (no track in the selector); blue/green: the live colour only.
    const liveSelector = liveTracks.length === 1 && plan.tracks.length > 1 ? { ...selectorBase, [TRACK_LABEL]: liveTracks[0] } : selectorBase;
    for (const [k, v] of Object.entries(liveSelector)) service.selectLabel(k, v);
    this.services.push({ service, expectedTracks: liveTracks });

    if (plan.previewTrack) {
      const preview = new kplus.Service(this, 'PreviewService', {
        metadata: { name: `${name}-preview`, namespace },
        type: kplus.ServiceType.CLUSTER_IP,
        ports: [{ name: 'http', port: 80, targetPort: port }],
      });
      for (const [k, v] of Object.entries({ ...selectorBase, [TRACK_LABEL]: plan.previewTrack })) preview.selectLabel(k, v);
      this.services.push({ service: preview, expectedTracks: [plan.previewTrack] });
    }

    new KubeNetworkPolicy(this, 'DenyIngress', {
      metadata: { name: 'default-deny-ingress', namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
    new KubeNetworkPolicy(this, 'AllowHttp', {
      metadata: { name: `${name}-allow-http`, namespace },
      spec: {
        podSelector: { matchLabels: selectorBase },
        policyTypes: ['Ingress'],
        ingress: [{
          ports: [{ port: IntOrString.fromNumber(port), protocol: 'TCP' }],
          from: props.httpAllowedFromNamespaces?.map((ns) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } })),
        }],
      },
    });

    this.node.addValidation({
      validate: () => [
        ...imageTagProblems(plan.tracks),
        ...canaryProblems(props.release, props.autoscaling?.minReplicas ?? replicas),
        ...autoscalingProblems(plan.tracks),
        ...disruptionBudgetProblems(maxUnavailableDuringDisruption),
        ...capacityProblems(plan.tracks, { cpuMillis: resources.cpuRequestMillis, memoryMiB: resources.memoryRequestMiB }, props.poolCapacity),
        ...selectorProblems(this.serviceExpectations(), this.deployments.map(({ track, deployment }) => ({
          track, podLabels: ApiObject.of(deployment).toJson().spec.template.metadata.labels,
        }))),
      ].map((problem) => `${props.context}: ${problem}`),
    });
  }

  /** Each Service's selector as it will be synthesized, with the tracks it must select. */
  private serviceExpectations(): ServiceExpectation[] {
    return this.services.map(({ service, expectedTracks }) => ({
      service: service.name,
      selector: ApiObject.of(service).toJson().spec.selector ?? {},
      expectedTracks,
    }));
  }
}

import { Construct } from 'constructs';
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IntOrString, KubePodDisruptionBudget } from 'cdk8s-plus-28/lib/imports/k8s';
import { parseImageVersion, type PercentOrCount } from '../../config';
import { READY_BEFORE_TRAFFIC_ANNOTATION, TRACK_LABEL, TRAFFIC_ANNOTATION } from './labels';
import type { Track } from './release-tracks';
import type { AppContract } from '../photo-view/contract';

/**
 * What the container image promises: where it listens, how it is probed, as whom it runs, where it
 * reads and writes, how it stops. The fields (and their meaning) are those of the app contract module,
 * which the image builds from too.
 */
export type ContainerContract = Pick<
  AppContract,
  | 'port'
  | 'livenessPath'
  | 'readinessPath'
  | 'uid'
  | 'settingsMountPath'
  | 'secretsMountPath'
  | 'tmpMountPath'
  | 'terminationGracePeriodSeconds'
  | 'preStopDelaySeconds'
>;

/** CPU and memory of one container. */
export interface ContainerResources {
  readonly cpuRequestMillis: number;
  readonly cpuLimitMillis: number;
  readonly memoryRequestMiB: number;
  readonly memoryLimitMiB: number;
}

/** What every track of a {@link WebApp} shares. */
export interface TrackTemplate {
  readonly name: string;
  readonly namespace: string;
  /** Labels the track's selector adds its track label to. */
  readonly selectorBase: Readonly<Record<string, string>>;
  /** `<registry>/<repository>`, without tag. */
  readonly imageRepository: string;
  readonly contract: ContainerContract;
  readonly resources: ContainerResources;
  readonly maxSurge: PercentOrCount;
  readonly maxUnavailable: PercentOrCount;
  readonly maxUnavailableDuringDisruption: PercentOrCount;
  readonly progressDeadline: Duration;
  readonly serviceAccount: kplus.IServiceAccount;
  readonly configMap: kplus.IConfigMap;
  /** The CSI volume's SecretProviderClass, and the synced Secret's variables (environment-mode secrets only). */
  readonly secrets?: { readonly providerClassName: string; readonly syncedSecretName: string; readonly environmentVariables: ReadonlyArray<string> };
  readonly nodeSelector?: { readonly key: string; readonly value: string };
  /** Plain environment variables from the platform (see WebAppProps.platformSettings). */
  readonly platformSettings?: Readonly<Record<string, string>>;
}

/** Properties of an {@link AppTrack}. */
export interface AppTrackProps {
  readonly track: Track;
  readonly template: TrackTemplate;
}

/**
 * Delays SIGTERM by a pre-stop `sleep`: endpoint removal reaches kube-proxy on every node only after the
 * pod is marked terminating, so the app keeps serving meanwhile. The sleep action (KEP-3960, on by
 * default since Kubernetes 1.30) needs no shell in the image. cdk8s-plus-28's 1.28 types lack it and
 * drop unknown fields after JSON patches, so it is added to the serialized Deployment.
 */
function withPreStopSleep(deployment: ApiObject, seconds: number): void {
  const serialize = deployment.toJson.bind(deployment);
  deployment.toJson = () => {
    const json = serialize();
    for (const container of json.spec.template.spec.containers) container.lifecycle = { ...container.lifecycle, preStop: { sleep: { seconds } } };
    return json;
  };
}

/** The part of a synthesized Deployment the checks read. */
interface DeploymentJson {
  readonly spec: { readonly template: { readonly metadata: { readonly labels: Record<string, string> } } };
}

const toPercentOrAbsolute = (v: PercentOrCount) =>
  'percent' in v ? kplus.PercentOrAbsolute.percent(v.percent) : kplus.PercentOrAbsolute.absolute(v.count);
const toIntOrString = (v: PercentOrCount) => ('percent' in v ? IntOrString.fromString(`${v.percent}%`) : IntOrString.fromNumber(v.count));

/** The Deployment of one release track, the HPA that owns its pod count (if any), and its PodDisruptionBudget. */
export class AppTrack extends Construct {
  public readonly deployment: kplus.Deployment;
  private readonly podLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: AppTrackProps) {
    super(scope, id);
    const { track, template: t } = props;
    const objectName = track.name === 'main' ? t.name : `${t.name}-${track.name}`;
    const selector: Record<string, string> = { ...t.selectorBase, [TRACK_LABEL]: track.name };
    const version = parseImageVersion(track.tag);
    // An invalid tag is reported by the WebApp's checks, with the environment named.
    const versionLabel: Record<string, string> = typeof version === 'string' ? {} : { 'app.kubernetes.io/version': version.tag };
    const traffic = { [TRAFFIC_ANNOTATION]: track.role };
    this.podLabels = { ...selector, 'app.kubernetes.io/component': 'web', ...versionLabel, 'azure.workload.identity/use': 'true' };

    this.deployment = this.addDeployment(objectName, selector, { ...selector, ...versionLabel }, traffic, props);
    // Bounds kplus would reject are reported by the WebApp's checks, with the environment named.
    if (track.scale.owner === 'autoscaler' && track.scale.autoscaling.minReplicas <= track.scale.autoscaling.maxReplicas) {
      const a = track.scale.autoscaling;
      new kplus.HorizontalPodAutoscaler(this, 'Autoscaler', {
        metadata: { name: objectName, namespace: t.namespace, annotations: traffic },
        target: this.deployment,
        minReplicas: a.minReplicas,
        maxReplicas: a.maxReplicas,
        metrics: [
          kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(a.cpuUtilizationPercent)),
          ...(a.memoryUtilizationPercent ? [kplus.Metric.resourceMemory(kplus.MetricTarget.averageUtilization(a.memoryUtilizationPercent))] : []),
        ],
      });
    }
    new KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: {
        name: objectName,
        namespace: t.namespace,
        annotations: { ...traffic, ...(track.role === 'serving' ? { [READY_BEFORE_TRAFFIC_ANNOTATION]: String(track.readyBeforeTraffic) } : {}) },
      },
      spec: {
        maxUnavailable: toIntOrString(t.maxUnavailableDuringDisruption),
        selector: { matchLabels: selector },
        // Pods that run but are not ready serve nothing; without this they block node drains, upgrades
        // and autoscaler scale-down. https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }

  /**
   * The pod labels as synthesized, for the Service selector check: the pod template's metadata, which is
   * what cdk8s-plus writes to spec.template.metadata (no JSON patch here touches it; a test holds the two
   * equal), without serializing the whole Deployment once more for the check.
   */
  public synthesizedPodLabels(): Readonly<Record<string, string>> {
    return (this.deployment.podMetadata.toJson() as DeploymentJson['spec']['template']['metadata']).labels;
  }

  private addDeployment(
    objectName: string,
    selector: Record<string, string>,
    labels: Record<string, string>,
    annotations: Record<string, string>,
    props: AppTrackProps,
  ) {
    const { track, template: t } = props;
    const c = t.contract;
    const deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name: objectName, namespace: t.namespace, labels, annotations },
      podMetadata: { labels: this.podLabels },
      select: false,
      // Only when the manifest owns the count; an HPA-owned Deployment never carries it (see Scale).
      replicas: track.scale.owner === 'manifest' ? track.scale.replicas : undefined,
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: toPercentOrAbsolute(t.maxSurge),
        maxUnavailable: toPercentOrAbsolute(t.maxUnavailable),
      }),
      progressDeadline: t.progressDeadline,
      terminationGracePeriod: Duration.seconds(c.terminationGracePeriodSeconds),
      serviceAccount: t.serviceAccount,
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user: c.uid, group: c.uid, fsGroup: c.uid },
      containers: [
        {
          name: t.name,
          image: `${t.imageRepository}:${track.tag}`,
          portNumber: c.port,
          // Tags are immutable (checked), so a cached image is the right image.
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          resources: {
            cpu: { request: kplus.Cpu.millis(t.resources.cpuRequestMillis), limit: kplus.Cpu.millis(t.resources.cpuLimitMillis) },
            memory: { request: Size.mebibytes(t.resources.memoryRequestMiB), limit: Size.mebibytes(t.resources.memoryLimitMiB) },
          },
          startup: kplus.Probe.fromHttpGet(c.livenessPath, { port: c.port, periodSeconds: Duration.seconds(2), failureThreshold: 30 }),
          readiness: kplus.Probe.fromHttpGet(c.readinessPath, { port: c.port, periodSeconds: Duration.seconds(5), failureThreshold: 3 }),
          liveness: kplus.Probe.fromHttpGet(c.livenessPath, { port: c.port, periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
          securityContext: {
            ensureNonRoot: true,
            user: c.uid,
            group: c.uid,
            privileged: false,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: [kplus.Capability.ALL] },
            seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
          },
          envFrom: [kplus.Env.fromConfigMap(t.configMap)],
          envVariables: this.environmentVariables(t),
        },
      ],
    });
    const container = deployment.containers[0];
    // Read-only root filesystem: the tmp mount is the one writable place.
    container.mount(c.tmpMountPath, kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));
    container.mount(c.settingsMountPath, kplus.Volume.fromConfigMap(this, 'SettingsVolume', t.configMap, { name: 'settings' }), { readOnly: true });
    if (t.secrets) {
      container.mount(
        c.secretsMountPath,
        kplus.Volume.fromCsi(this, 'SecretsVolume', 'secrets-store.csi.k8s.io', {
          name: 'secrets',
          readOnly: true,
          attributes: { secretProviderClass: t.secrets.providerClassName },
        }),
        { readOnly: true },
      );
    }
    deployment.select(kplus.LabelSelector.of({ labels: selector }));
    if (t.nodeSelector) deployment.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is(t.nodeSelector.key, t.nodeSelector.value)));
    ApiObject.of(deployment).addJsonPatch(
      JsonPatch.add('/spec/revisionHistoryLimit', 5),
      // The pod security restricted initiative (allowed users and groups: supplementalGroups MustRunAs
      // 1-65535) refuses pods without it; cdk8s-plus-28's PodSecurityContextProps has no such field.
      JsonPatch.add('/spec/template/spec/securityContext/supplementalGroups', [c.uid]),
      // Spread each revision's pods over nodes and zones; ScheduleAnyway lets the autoscaler catch up.
      JsonPatch.add(
        '/spec/template/spec/topologySpreadConstraints',
        ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({
          maxSkew: 1,
          topologyKey,
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: selector },
          matchLabelKeys: ['pod-template-hash'],
        })),
      ),
    );
    withPreStopSleep(ApiObject.of(deployment), c.preStopDelaySeconds);
    return deployment;
  }

  /** The platform's plain settings, and variables from the synced Secret for the secrets whose mode is `environment`. */
  private environmentVariables(t: TrackTemplate): Record<string, kplus.EnvValue> | undefined {
    const plain = Object.entries(t.platformSettings ?? {}).map(([name, value]) => [name, kplus.EnvValue.fromValue(value)]);
    const secrets = t.secrets;
    const synced =
      secrets && secrets.environmentVariables.length > 0 ? kplus.Secret.fromSecretName(this, 'SyncedSecret', secrets.syncedSecretName) : undefined;
    const fromSecret = synced
      ? secrets!.environmentVariables.map((variable) => [variable, kplus.EnvValue.fromSecretValue({ secret: synced, key: variable })])
      : [];
    const all = [...plain, ...fromSecret];
    return all.length > 0 ? Object.fromEntries(all) : undefined;
  }
}

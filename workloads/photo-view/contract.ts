/*
 * What the photo-view image and the Kubernetes manifests that run it agree on. The app
 * (workloads/photo-view/app) and the chart (workloads/charts/photo-view.ts) both import this file, so
 * neither can drift from the other. It imports nothing: the image build bundles it without any CDK.
 */

/** The runtime contract of one containerised web app. */
export interface AppContract {
  /** TCP port the app listens on inside the pod. */
  readonly port: number;
  /** Liveness: 200 while the process can serve at all. Also the startup probe. */
  readonly livenessPath: string;
  /** Readiness: 200 once configuration is loaded, 503 from the moment the app starts draining. */
  readonly readinessPath: string;
  /** UID and GID the image runs as (`USER` in the Dockerfile, `runAsUser`/`runAsGroup`/`fsGroup` in the pod). */
  readonly uid: number;
  /** Folder the settings ConfigMap is mounted at, one file per setting. */
  readonly settingsMountPath: string;
  /** Folder the Key Vault secrets are mounted at (Secrets Store CSI driver), one file per secret. */
  readonly secretsMountPath: string;
  /** The one writable folder (read-only root filesystem). */
  readonly tmpMountPath: string;
  /** Seconds between the pod's deletion and SIGKILL; the pre-stop delay and the drain fit into it. */
  readonly terminationGracePeriodSeconds: number;
  /**
   * Seconds the kubelet waits (pre-stop `sleep`) before sending SIGTERM, so kube-proxy on every node
   * and the Azure load balancer stop sending new connections to the pod before it stops listening.
   */
  readonly preStopDelaySeconds: number;
  /** Longest a request may take, headers and body included; must fit the drain window. */
  readonly requestTimeoutSeconds: number;
  /** Settings the app refuses to start without (environment variable or settings file). */
  readonly requiredSettings: ReadonlyArray<string>;
  /** Secrets the app refuses to start without (files in `secretsMountPath`). */
  readonly requiredSecrets: ReadonlyArray<string>;
  /** Secrets the app uses when present. */
  readonly optionalSecrets: ReadonlyArray<string>;
}

/** Seconds left after SIGKILL's deadline is reserved: the app must finish draining by then. */
export const DRAIN_MARGIN_SECONDS = 2;

/** How long the app may take to finish in-flight requests after SIGTERM. */
export function drainSeconds(contract: AppContract): number {
  return contract.terminationGracePeriodSeconds - contract.preStopDelaySeconds - DRAIN_MARGIN_SECONDS;
}

/**
 * Setting holding the Application Insights connection string; present = export traces and metrics,
 * authenticated as the pod's workload identity. Not a secret: the resource refuses telemetry without
 * an Entra ID token. The chart sets it from the platform, never from app.secretNames.
 */
export const APPLICATION_INSIGHTS_SETTING = 'APPLICATIONINSIGHTS_CONNECTION_STRING';

export const PHOTO_VIEW_CONTRACT: AppContract = {
  port: 8080,
  livenessPath: '/healthz',
  readinessPath: '/readyz',
  uid: 10001,
  settingsMountPath: '/etc/photo-view',
  secretsMountPath: '/mnt/secrets',
  tmpMountPath: '/tmp',
  // Kubernetes' default; 5 s pre-stop + up to 10 s of request + margin fit well inside it.
  terminationGracePeriodSeconds: 30,
  preStopDelaySeconds: 5,
  requestTimeoutSeconds: 10,
  requiredSettings: ['GALLERY_TITLE'],
  requiredSecrets: ['STORAGE_CONNECTION_STRING'],
  optionalSecrets: [],
};

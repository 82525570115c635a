import type { Logger } from './log';

/** The two functions of the Azure Monitor OpenTelemetry distro the app uses. */
export type AzureMonitorDistro = Pick<typeof import('@azure/monitor-opentelemetry'), 'useAzureMonitor' | 'shutdownAzureMonitor'>;

/** An Entra ID credential, as the distro's exporter takes it. */
export type TokenCredential = NonNullable<
  NonNullable<NonNullable<Parameters<AzureMonitorDistro['useAzureMonitor']>[0]>['azureMonitorExporterOptions']>['credential']
>;

/** Running telemetry: flush and stop it before the process exits. */
export interface Telemetry {
  shutdown(): Promise<void>;
}

const loadDistro = (): Promise<AzureMonitorDistro> => import('@azure/monitor-opentelemetry');
const workloadIdentity = async (): Promise<TokenCredential> => new (await import('@azure/identity')).WorkloadIdentityCredential();

/** Where the AKS workload identity webhook puts the pod's federated token (with AZURE_CLIENT_ID and AZURE_TENANT_ID). */
export const FEDERATED_TOKEN_VARIABLE = 'AZURE_FEDERATED_TOKEN_FILE';

/**
 * Traces and request metrics to Application Insights, only when its connection string is set. The
 * resource takes only Microsoft Entra ID-authenticated telemetry, so in a pod the exporter signs in as
 * the pod's workload identity (granted "Monitoring Metrics Publisher"); outside one (a local run) it
 * sends with the connection string alone. The distro (and its Node >= 22 requirement) is loaded
 * lazily, and must start before the HTTP server module loads so its instrumentation sees it. Any
 * failure is logged; the app runs on without telemetry rather than crash.
 * @see https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication
 */
export async function startTelemetry(
  connectionString: string | undefined,
  logger: Logger,
  env: Readonly<Record<string, string | undefined>> = process.env,
  load: () => Promise<AzureMonitorDistro> = loadDistro,
  credential: () => Promise<TokenCredential> = workloadIdentity,
): Promise<Telemetry | undefined> {
  if (!connectionString) {
    logger.log('info', 'telemetry off: no APPLICATIONINSIGHTS_CONNECTION_STRING setting');
    return undefined;
  }
  try {
    const distro = await load();
    const signedIn = env[FEDERATED_TOKEN_VARIABLE] ? { credential: await credential() } : {};
    distro.useAzureMonitor({ azureMonitorExporterOptions: { connectionString, ...signedIn } });
    const as = 'credential' in signedIn ? 'as the workload identity' : 'without Entra ID (no workload identity)';
    logger.log('info', `telemetry on: traces and request metrics go to Application Insights, ${as}`);
    return { shutdown: () => distro.shutdownAzureMonitor() };
  } catch (error) {
    // Not a credential any more, but nothing the log needs either.
    const message = String((error as Error)?.message ?? error)
      .split(connectionString)
      .join('[redacted]');
    logger.log('error', 'telemetry off: the Azure Monitor OpenTelemetry distro failed to start', { error: message });
    return undefined;
  }
}

import type { SecretValue } from './config';
import type { Logger } from './log';

/** The two functions of the Azure Monitor OpenTelemetry distro the app uses. */
export type AzureMonitorDistro = Pick<typeof import('@azure/monitor-opentelemetry'), 'useAzureMonitor' | 'shutdownAzureMonitor'>;

/** Running telemetry: flush and stop it before the process exits. */
export interface Telemetry {
  shutdown(): Promise<void>;
}

const loadDistro = (): Promise<AzureMonitorDistro> => import('@azure/monitor-opentelemetry');

/**
 * Traces and request metrics to Application Insights, only when its connection string secret file
 * exists. The distro (and its Node >= 22 requirement) is loaded lazily, and must start before the
 * HTTP server module loads so its instrumentation sees it. Any failure is logged; the app runs on
 * without telemetry rather than crash.
 */
export async function startTelemetry(
  connectionString: SecretValue | undefined,
  logger: Logger,
  load: () => Promise<AzureMonitorDistro> = loadDistro,
): Promise<Telemetry | undefined> {
  if (!connectionString) {
    logger.log('info', 'telemetry off: no APPLICATIONINSIGHTS_CONNECTION_STRING secret file');
    return undefined;
  }
  try {
    const distro = await load();
    distro.useAzureMonitor({ azureMonitorExporterOptions: { connectionString: connectionString.reveal() } });
    logger.log('info', 'telemetry on: traces and request metrics go to Application Insights');
    return { shutdown: () => distro.shutdownAzureMonitor() };
  } catch (error) {
    // An SDK message could quote the connection string; it never reaches the log.
    const message = String((error as Error)?.message ?? error)
      .split(connectionString.reveal())
      .join('[redacted]');
    logger.log('error', 'telemetry off: the Azure Monitor OpenTelemetry distro failed to start', { error: message });
    return undefined;
  }
}

/*
 * photo-view: entry point of the image (dist/main.cjs) and of `npm run app` (through ../local.ts, which
 * checks the command line). Configuration is checked first (a missing setting or secret stops the app
 * with a message naming it), telemetry starts before the HTTP server module loads, and SIGTERM drains
 * the server within the termination grace period.
 */
import { loadConfig, StartupError, type AppConfig } from './config';
import { jsonLogger, type Logger } from './log';
import { loadPhotos } from './photos';
import { startTelemetry } from './telemetry';

/** The configuration, or undefined after logging why the app cannot start. */
function configOrReason(): AppConfig | undefined {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    jsonLogger('info').log('error', error.message);
    return undefined;
  }
}

async function main(): Promise<void> {
  const config = configOrReason();
  if (!config) {
    process.exitCode = 1;
    return;
  }
  const logger: Logger = jsonLogger(config.logLevel);
  process.on('uncaughtException', (error) => {
    logger.log('error', 'uncaught exception', { error: String(error.stack ?? error) });
    process.exit(1);
  });

  const telemetry = await startTelemetry(config.applicationInsightsConnectionString, logger);
  const { createPhotoViewServer } = await import('./server');
  const app = createPhotoViewServer(config, logger);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log('info', 'signal received', { signal });
    const aborted = await app.drain();
    if (aborted > 0) logger.log('error', 'drain deadline reached: requests cut off', { aborted });
    await telemetry?.shutdown().catch((error: Error) => logger.log('warn', 'telemetry flush failed', { error: error.message }));
    logger.log('info', 'stopped', { aborted });
    process.exit(aborted > 0 ? 1 : 0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  await app.listen();
  try {
    app.ready(await loadPhotos(config.photosDir));
  } catch (error) {
    logger.log('error', 'photo-view cannot start: the photos could not be loaded', { error: String((error as Error).message) });
    process.exit(1);
  }
}

main().catch((error: Error) => {
  jsonLogger('info').log('error', 'photo-view failed', { error: String(error.stack ?? error) });
  process.exit(1);
});

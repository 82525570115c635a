import * as path from 'node:path';
import { inspect } from 'node:util';
import { loadConfig, SecretValue, StartupError } from '../../../workloads/photo-view/app/src/config';
import { startTelemetry, type AzureMonitorDistro } from '../../../workloads/photo-view/app/src/telemetry';
import { drainSeconds, PHOTO_VIEW_CONTRACT } from '../../../workloads/photo-view/contract';
import { APP_DIR, folderWith, LOCAL_SECRET, localConfig, memoryLogger } from './support';

const SETTINGS = { GALLERY_TITLE: 'From the file' };
const SECRET = 'DefaultEndpointsProtocol=https;AccountName=testaccount;AccountKey=test-key-do-not-log;EndpointSuffix=core.windows.net';

/** Loads a config from temporary settings and secrets folders. */
function load(settings: Record<string, string>, secrets: Record<string, string>, env: Record<string, string> = {}) {
  const settingsDir = folderWith(settings);
  const secretsDir = folderWith(secrets);
  try {
    return loadConfig({ APP_VERSION: '1.0.0', PHOTO_VIEW_SETTINGS_DIR: settingsDir.dir, PHOTO_VIEW_SECRETS_DIR: secretsDir.dir, ...env });
  } finally {
    settingsDir.remove();
    secretsDir.remove();
  }
}

const problemsOf = (fn: () => unknown): ReadonlyArray<string> => {
  try {
    fn();
  } catch (error) {
    if (error instanceof StartupError) return error.problems;
    throw error;
  }
  throw new Error('expected a StartupError');
};

describe('photo-view configuration', () => {
  it('reads a secret from its file in the secrets folder, and uses it without exposing it', () => {
    const config = load(SETTINGS, { STORAGE_CONNECTION_STRING: `${SECRET}\n` });
    expect(config.storageAccount).toBe('testaccount');
    expect(JSON.stringify(config)).not.toContain('test-key-do-not-log');
    expect(inspect(config)).not.toContain('test-key-do-not-log');
  });

  it('prints a secret value as [redacted] however it is shown', () => {
    const value = new SecretValue('test-key-do-not-log');
    expect([String(value), JSON.stringify({ value }), inspect(value)]).toEqual(['[redacted]', '{"value":"[redacted]"}', '[redacted]']);
    expect(value.reveal()).toBe('test-key-do-not-log');
  });

  it('ignores a secret given as an environment variable: secrets come from files only', () => {
    expect(problemsOf(() => load(SETTINGS, {}, { STORAGE_CONNECTION_STRING: SECRET }))).toEqual([
      expect.stringMatching(/^missing required secret STORAGE_CONNECTION_STRING: no non-empty file .*STORAGE_CONNECTION_STRING/),
    ]);
  });

  it('names a missing secret, a missing setting and a bad version together, and where each comes from', () => {
    const problems = problemsOf(() => load({}, { STORAGE_CONNECTION_STRING: '  \n' }, { APP_VERSION: '' }));
    expect(problems).toEqual([
      expect.stringContaining('missing required setting GALLERY_TITLE: set the environment variable GALLERY_TITLE or the file'),
      expect.stringContaining('missing required secret STORAGE_CONNECTION_STRING: no non-empty file'),
      expect.stringContaining('APP_VERSION = "": must be the image\'s version'),
    ]);
    expect(problems[1]).toContain("Key Vault as 'storage-connection-string'");
  });

  it('rejects a storage connection string without an account, without printing it', () => {
    const problems = problemsOf(() => load(SETTINGS, { STORAGE_CONNECTION_STRING: 'AccountKey=secret-do-not-print' }));
    expect(problems).toEqual([
      'secret STORAGE_CONNECTION_STRING is not an Azure Storage connection string: it has neither AccountName=... nor BlobEndpoint=https://<account>.... (value not shown)',
    ]);
    expect(problems.join()).not.toContain('secret-do-not-print');
  });

  it('accepts a SAS connection string, naming the account from its blob endpoint', () => {
    const sas = 'BlobEndpoint=https://sasaccount.blob.core.windows.net/;SharedAccessSignature=sv=2024-11-04&sig=do-not-log';
    expect(load(SETTINGS, { STORAGE_CONNECTION_STRING: sas }).storageAccount).toBe('sasaccount');
  });

  it('takes a setting from the environment variable (the ConfigMap via envFrom) over the file', () => {
    expect(load(SETTINGS, { STORAGE_CONNECTION_STRING: SECRET }).galleryTitle).toBe('From the file');
    expect(load(SETTINGS, { STORAGE_CONNECTION_STRING: SECRET }, { GALLERY_TITLE: 'From env' }).galleryTitle).toBe('From env');
  });

  it.each([
    [{ LOG_LEVEL: 'verbose' }, 'setting LOG_LEVEL = "verbose": must be one of debug, info, warn, error'],
    [
      { REQUEST_TIMEOUT_MS: '60000' },
      `setting REQUEST_TIMEOUT_MS = "60000": must be an integer from 100 to ${drainSeconds(PHOTO_VIEW_CONTRACT) * 1000} (the drain window after SIGTERM)`,
    ],
    [{ PORT: 'http' }, 'PORT = "http": must be an integer from 0 to 65535'],
  ])('rejects %j', (env, message) => {
    expect(problemsOf(() => load(SETTINGS, { STORAGE_CONNECTION_STRING: SECRET }, env))).toEqual([message]);
  });

  it('defaults to the contract: port, mount paths, request timeout; 127.0.0.1 unless HOST says otherwise', () => {
    const config = loadConfig({ APP_VERSION: '1.0.0', GALLERY_TITLE: 'x' }, { ...PHOTO_VIEW_CONTRACT, requiredSecrets: [] });
    expect(config).toMatchObject({
      port: PHOTO_VIEW_CONTRACT.port,
      host: '127.0.0.1',
      requestTimeoutMs: PHOTO_VIEW_CONTRACT.requestTimeoutSeconds * 1000,
    });
    expect(problemsOf(() => loadConfig({ APP_VERSION: '1.0.0', GALLERY_TITLE: 'x' }))).toEqual([
      expect.stringContaining(`no non-empty file ${path.join(PHOTO_VIEW_CONTRACT.secretsMountPath, 'STORAGE_CONNECTION_STRING')}`),
    ]);
  });

  it('ships a local secret that is visibly fake', () => {
    expect(LOCAL_SECRET).toContain('AccountKey=FAKE-LOCAL-ONLY-NOT-A-REAL-KEY');
    expect(localConfig().storageAccount).toBe('photoviewlocal');
    // The photos sit next to the code's folder, as in the image (dist/main.cjs, photos/).
    const { PHOTO_VIEW_PHOTOS_DIR: _photos, ...env } = {
      PHOTO_VIEW_PHOTOS_DIR: '',
      APP_VERSION: '1.0.0',
      PHOTO_VIEW_SETTINGS_DIR: path.join(APP_DIR, 'local/settings'),
      PHOTO_VIEW_SECRETS_DIR: path.join(APP_DIR, 'local/secrets'),
    };
    expect(path.relative(APP_DIR, loadConfig(env).photosDir)).toBe('photos');
  });
});

describe('contract', () => {
  it('leaves time to finish the longest request after the pre-stop delay, inside the grace period', () => {
    expect(drainSeconds(PHOTO_VIEW_CONTRACT)).toBeGreaterThanOrEqual(PHOTO_VIEW_CONTRACT.requestTimeoutSeconds);
    expect(PHOTO_VIEW_CONTRACT.preStopDelaySeconds).toBeLessThan(PHOTO_VIEW_CONTRACT.terminationGracePeriodSeconds);
  });
});

describe('telemetry', () => {
  const connectionString = 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/';
  const inPod = { AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token' };
  const distro = () => ({ useAzureMonitor: jest.fn(), shutdownAzureMonitor: jest.fn(async () => undefined) });

  it('reads the connection string as a setting, not from the secrets folder', () => {
    expect(
      load(SETTINGS, { STORAGE_CONNECTION_STRING: SECRET, APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString })
        .applicationInsightsConnectionString,
    ).toBeUndefined();
    expect(
      load({ ...SETTINGS, APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString }, { STORAGE_CONNECTION_STRING: SECRET })
        .applicationInsightsConnectionString,
    ).toBe(connectionString);
  });

  it('without a connection string, never loads the distro and exports nothing', async () => {
    const logger = memoryLogger();
    const load = jest.fn<Promise<AzureMonitorDistro>, []>();
    expect(await startTelemetry(undefined, logger, inPod, load)).toBeUndefined();
    expect(load).not.toHaveBeenCalled();
    expect(logger.lines).toEqual([{ level: 'info', msg: 'telemetry off: no APPLICATIONINSIGHTS_CONNECTION_STRING setting', fields: undefined }]);
  });

  it('in a pod with workload identity, exports as that identity (the resource refuses anything else) and shuts down', async () => {
    const started = distro();
    const credential = { getToken: jest.fn() };
    const logger = memoryLogger();
    const telemetry = await startTelemetry(
      connectionString,
      logger,
      inPod,
      async () => started,
      async () => credential,
    );
    expect(started.useAzureMonitor).toHaveBeenCalledWith({ azureMonitorExporterOptions: { connectionString, credential } });
    expect(logger.lines.map((l) => l.msg)).toEqual(['telemetry on: traces and request metrics go to Application Insights, as the workload identity']);
    await telemetry?.shutdown();
    expect(started.shutdownAzureMonitor).toHaveBeenCalled();
  });

  it('outside a pod (no federated token), sends with the connection string alone', async () => {
    const started = distro();
    const credential = jest.fn();
    await startTelemetry(connectionString, memoryLogger(), {}, async () => started, credential);
    expect(started.useAzureMonitor).toHaveBeenCalledWith({ azureMonitorExporterOptions: { connectionString } });
    expect(credential).not.toHaveBeenCalled();
  });

  it('logs a distro that fails to load or start, without the connection string, and carries on', async () => {
    const logger = memoryLogger();
    const failing = async (): Promise<AzureMonitorDistro> => {
      throw new Error(`cannot use ${connectionString} on this Node version`);
    };
    expect(await startTelemetry(connectionString, logger, {}, failing)).toBeUndefined();
    expect(logger.lines).toEqual([
      {
        level: 'error',
        msg: 'telemetry off: the Azure Monitor OpenTelemetry distro failed to start',
        fields: { error: 'cannot use [redacted] on this Node version' },
      },
    ]);
  });
});

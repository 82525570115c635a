import * as fs from 'node:fs';
import * as path from 'node:path';
import { APPLICATION_INSIGHTS_SETTING, drainSeconds, PHOTO_VIEW_CONTRACT, type AppContract } from '../../contract';
import { LOG_LEVELS, type LogLevel } from './log';

/** A secret read from a file. Printing, logging or serialising it shows "[redacted]", never the value. */
export class SecretValue {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The value itself: call this only where the secret is used. */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[redacted]';
  }
}

/** Everything the app runs with, checked before it listens. */
export interface AppConfig {
  /** Image version, baked into the image at build time (APP_VERSION). */
  readonly version: string;
  readonly host: string;
  readonly port: number;
  readonly galleryTitle: string;
  readonly logLevel: LogLevel;
  readonly requestTimeoutMs: number;
  /** Longest the app drains after SIGTERM before it gives up on in-flight requests. */
  readonly drainTimeoutMs: number;
  readonly photosDir: string;
  /** Account named by the storage connection string (not secret; the key in it is). */
  readonly storageAccount: string;
  /** Present when the Application Insights connection string setting is (not a secret: ingestion needs Entra ID). */
  readonly applicationInsightsConnectionString?: string;
}

/** Where the app looks for its inputs; each can be overridden for local runs. */
export const ENVIRONMENT_VARIABLES = {
  settingsDir: 'PHOTO_VIEW_SETTINGS_DIR',
  secretsDir: 'PHOTO_VIEW_SECRETS_DIR',
  photosDir: 'PHOTO_VIEW_PHOTOS_DIR',
} as const;

/** A configuration problem at startup; the message names every missing or bad setting and secret. */
export class StartupError extends Error {
  constructor(public readonly problems: ReadonlyArray<string>) {
    super(`photo-view cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'StartupError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function readFileIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The account an Azure Storage connection string names (key or SAS form), or '' if it names none. */
function storageAccountOf(connectionString: string): string {
  const part = (name: string) => new RegExp(`(?:^|;)\\s*${name}=([^;]+)`, 'i').exec(connectionString)?.[1]?.trim();
  return part('AccountName') ?? /^https:\/\/([a-z0-9]{3,24})\./.exec(part('BlobEndpoint') ?? '')?.[1] ?? '';
}

/**
 * Reads and checks the configuration: settings from environment variables (the ConfigMap's `envFrom`)
 * or, failing that, the file of the same name in the settings folder (the ConfigMap mounted as files);
 * secrets only from files in the secrets folder. Every problem is reported at once, by name; no secret
 * value ever appears in a message.
 */
export function loadConfig(
  env: Env,
  contract: AppContract = PHOTO_VIEW_CONTRACT,
  defaultPhotosDir = path.resolve(__dirname, '../photos'),
): AppConfig {
  const problems: string[] = [];
  const settingsDir = env[ENVIRONMENT_VARIABLES.settingsDir] || contract.settingsMountPath;
  const secretsDir = env[ENVIRONMENT_VARIABLES.secretsDir] || contract.secretsMountPath;

  const setting = (name: string): string | undefined => {
    const value = env[name] ?? readFileIfPresent(path.join(settingsDir, name));
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const secret = (name: string): SecretValue | undefined => {
    const value = readFileIfPresent(path.join(secretsDir, name))?.trim();
    return value ? new SecretValue(value) : undefined;
  };

  for (const name of contract.requiredSettings) {
    if (setting(name) === undefined) {
      problems.push(
        `missing required setting ${name}: set the environment variable ${name} or the file ${path.join(settingsDir, name)} (app.settings.${name} in the environment file)`,
      );
    }
  }
  for (const name of contract.requiredSecrets) {
    if (secret(name) === undefined) {
      problems.push(
        `missing required secret ${name}: no non-empty file ${path.join(secretsDir, name)} (app.secretNames in the environment file; ` +
          `the value lives in Key Vault as '${name.toLowerCase().replace(/_/g, '-')}')`,
      );
    }
  }

  const version = env.APP_VERSION?.trim() ?? '';
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,127}$/.test(version)) {
    problems.push(
      `APP_VERSION = ${JSON.stringify(env.APP_VERSION ?? null)}: must be the image's version, e.g. 1.5.0 (set by the Dockerfile's APP_VERSION build argument)`,
    );
  }

  const port = Number(env.PORT ?? contract.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT = ${JSON.stringify(env.PORT)}: must be an integer from 0 to 65535`);

  const logLevel = (setting('LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`setting LOG_LEVEL = ${JSON.stringify(logLevel)}: must be one of ${LOG_LEVELS.join(', ')}`);

  // A request must be able to finish inside the drain window, or a rolling update cuts it off.
  const drainTimeoutMs = drainSeconds(contract) * 1000;
  const requestTimeoutMs = Number(setting('REQUEST_TIMEOUT_MS') ?? contract.requestTimeoutSeconds * 1000);
  if (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs < 100 || requestTimeoutMs > drainTimeoutMs) {
    problems.push(
      `setting REQUEST_TIMEOUT_MS = ${JSON.stringify(setting('REQUEST_TIMEOUT_MS'))}: must be an integer from 100 to ${drainTimeoutMs} (the drain window after SIGTERM)`,
    );
  }

  const storage = secret('STORAGE_CONNECTION_STRING');
  const storageAccount = storage ? storageAccountOf(storage.reveal()) : '';
  if (storage && !storageAccount) {
    problems.push(
      'secret STORAGE_CONNECTION_STRING is not an Azure Storage connection string: it has neither AccountName=... nor BlobEndpoint=https://<account>.... (value not shown)',
    );
  }

  if (problems.length > 0) throw new StartupError(problems);
  return {
    version,
    host: env.HOST || '127.0.0.1',
    port,
    galleryTitle: setting('GALLERY_TITLE') ?? '',
    logLevel,
    requestTimeoutMs,
    drainTimeoutMs,
    photosDir: env[ENVIRONMENT_VARIABLES.photosDir] || defaultPhotosDir,
    storageAccount,
    applicationInsightsConnectionString: setting(APPLICATION_INSIGHTS_SETTING),
  };
}

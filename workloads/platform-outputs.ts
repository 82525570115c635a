import * as fs from 'node:fs';
import { ConfigError, GUID } from '../config';

/** Values the workloads need from the platform stack that only exist once it is deployed. */
export interface PlatformOutputs {
  /** Client ID of the app's workload identity (output `app_identity_client_id`). */
  readonly appIdentityClientId: string;
  /**
   * Application Insights connection string (output `application_insights_connection_string`), when
   * the environment has it. Not a secret: the resource takes only Entra ID-authenticated telemetry.
   */
  readonly applicationInsightsConnectionString?: string;
}

/** Written into manifests while the platform is not deployed yet; `npm run synth` says when it is used. */
export const UNDEPLOYED_CLIENT_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Reads `platform-outputs/<env>.json`, as written by
 * `npx cdktf output platform-<env> --outputs-file platform-outputs/<env>.json` (or `cdktf deploy --outputs-file`).
 * Returns undefined when the file does not exist (platform not deployed, or outputs not fetched).
 */
export function readPlatformOutputs(file: string, environment: string, stackName: string): PlatformOutputs | undefined {
  if (!fs.existsSync(file)) return undefined;
  const fix = `regenerate it with: npx cdktf output ${stackName} --outputs-file ${file}`;
  let outputs: Record<string, Record<string, unknown>>;
  try {
    outputs = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError([{ file, environment, path: '', message: `not valid JSON (${(error as Error).message}); ${fix}` }]);
  }
  const clientId = outputs?.[stackName]?.app_identity_client_id;
  if (typeof clientId !== 'string' || !GUID.test(clientId)) {
    throw new ConfigError([{ file, environment, path: `${stackName}.app_identity_client_id`, value: clientId, message: `must be a GUID; ${fix}` }]);
  }
  const connectionString = outputs[stackName].application_insights_connection_string;
  if (connectionString !== undefined && (typeof connectionString !== 'string' || !/(^|;)IngestionEndpoint=https:\/\//i.test(connectionString))) {
    // The value is not echoed: it is a connection string, even if no longer a credential.
    throw new ConfigError([
      {
        file,
        environment,
        path: `${stackName}.application_insights_connection_string`,
        message: `must be an Application Insights connection string with an IngestionEndpoint; ${fix}`,
      },
    ]);
  }
  return { appIdentityClientId: clientId, applicationInsightsConnectionString: connectionString };
}

import * as fs from 'node:fs';

/** Values the workloads need from the platform stack that only exist once it is deployed. */
export interface PlatformOutputs {
  /** Client ID of the app's workload identity (output `app_identity_client_id`). */
  readonly appIdentityClientId: string;
}

/** Written into manifests while the platform is not deployed yet; `npm run synth` warns when it is used. */
export const UNDEPLOYED_CLIENT_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Reads `platform-outputs/<env>.json`, as written by
 * `npx cdktf output platform-<env> --outputs-file platform-outputs/<env>.json`.
 * Returns undefined when the file does not exist (platform not deployed, or outputs not fetched).
 */
export function readPlatformOutputs(file: string, stackName: string): PlatformOutputs | undefined {
  if (!fs.existsSync(file)) return undefined;
  let outputs: Record<string, Record<string, unknown>>;
  try {
    outputs = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message}); regenerate it with npx cdktf output ${stackName} --outputs-file ${file}`);
  }
  const clientId = outputs?.[stackName]?.app_identity_client_id;
  if (typeof clientId !== 'string' || !/^[0-9a-f-]{36}$/i.test(clientId)) {
    throw new Error(`${file}: ${stackName}.app_identity_client_id must be a GUID (got ${JSON.stringify(clientId)}); regenerate it with npx cdktf output ${stackName} --outputs-file ${file}`);
  }
  return { appIdentityClientId: clientId };
}

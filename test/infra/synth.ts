import { Testing } from '../../infra/cdktf';
import type { EnvironmentConfig } from '../../config';
import { PlatformStack } from '../../infra/stacks/platform-stack';

/** Synthesized Terraform JSON of an environment's platform stack: the raw string (for cdktf matchers) and parsed. */
export function synthPlatform(environment: EnvironmentConfig) {
  const stack = new PlatformStack(Testing.app(), { environment });
  const text = Testing.synth(stack, true);
  return { stack, text, json: JSON.parse(text) as { resource: Record<string, Record<string, any>>; [k: string]: any } };
}

/** The single resource of a type (fails when there are several). */
export function only(json: { resource: Record<string, Record<string, any>> }, type: string): any {
  const resources = Object.values(json.resource[type] ?? {});
  if (resources.length !== 1) throw new Error(`expected one ${type}, found ${resources.length}`);
  return resources[0];
}

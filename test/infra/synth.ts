import { Testing } from '../../infra/cdktf';
import type { EnvironmentConfig } from '../../config';
import { PlatformStack } from '../../infra/stacks/platform-stack';
import { AppsStack } from '../../infra/stacks/apps-stack';

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

/** Terraform JSON of an environment's apps stack and the objects its kubernetes_manifest resources apply. */
export function synthAppsManifests(environment: EnvironmentConfig) {
  const app = Testing.app();
  const platform = new PlatformStack(app, { environment });
  const stack = new AppsStack(app, { environment, platform });
  const json = JSON.parse(Testing.synth(stack, true));
  return Object.values<{ manifest: Record<string, unknown> & { kind: string; apiVersion: string; metadata: { name: string } } }>(
    json.resource.kubernetes_manifest,
  ).map((r) => r.manifest);
}

import { Testing } from '../../infra/cdktf';
import { terraformTestApp } from '../support/test-apps';
import type { EnvironmentConfig } from '../../config';
import { PlatformStack } from '../../infra/stacks/platform-stack';
import { AppsStack } from '../../infra/stacks/apps-stack';
import { chartInputs, type Manifest } from '../workloads/synth';
import { memoize } from '../support/memo';

/*
 * Synthesized stacks, memoized per worker by their input (test/support/memo.ts): the JSON text is kept
 * and every call parses its own copy, so a test may change what it gets. The stack constructs are shared
 * between the calls with the same input: read them, never add to them.
 */

type PlatformJson = { resource: Record<string, Record<string, any>>; [k: string]: any };

const platformStack = memoize((environment: EnvironmentConfig) => {
  const stack = new PlatformStack(terraformTestApp(), { environment });
  return { stack, text: Testing.synth(stack, true) };
});

/** Synthesized Terraform JSON of an environment's platform stack: the raw string (for cdktf matchers) and parsed. */
export function synthPlatform(environment: EnvironmentConfig) {
  const { stack, text } = platformStack(environment);
  return { stack, text, json: JSON.parse(text) as PlatformJson };
}

/** The single resource of a type (fails when there are several). */
export function only(json: { resource: Record<string, Record<string, any>> }, type: string): any {
  const resources = Object.values(json.resource[type] ?? {});
  if (resources.length !== 1) throw new Error(`expected one ${type}, found ${resources.length}`);
  return resources[0];
}

/** A synthesized kubernetes_manifest resource. */
export interface ManifestResource {
  manifest: Manifest;
  depends_on?: string[];
  wait?: { rollout?: boolean; fields?: Record<string, string> };
  timeouts?: { create: string; update: string };
  lifecycle?: { create_before_destroy: boolean };
}

/** The apps stack's Terraform JSON, as far as these tests read it. */
export interface AppsStackJson {
  resource: { kubernetes_manifest: Record<string, ManifestResource> };
  [block: string]: any;
}

type AppsProps = Partial<ConstructorParameters<typeof AppsStack>[1]>;

// The apps stack holds the photo-view chart: its inputs are part of the key. `inputs` is only part of the key.
const appsStack = memoize((env: EnvironmentConfig, props: AppsProps, _inputs: ReturnType<typeof chartInputs>) => {
  const app = terraformTestApp();
  const platform = new PlatformStack(app, { environment: env });
  const stack = new AppsStack(app, { environment: env, platform, ...props });
  return { stack, platform, text: Testing.synth(stack, true) };
});

/** An environment's apps stack (beside its platform stack) and its Terraform JSON. */
export function synthApps(env: EnvironmentConfig, props: AppsProps = {}) {
  const { stack, platform, text } = appsStack(env, props, chartInputs());
  const json = JSON.parse(text) as AppsStackJson;
  const manifests = Object.values(json.resource.kubernetes_manifest);
  return { stack, platform, json, manifests, text: JSON.stringify(json) };
}

/** Terraform JSON of an environment's apps stack and the objects its kubernetes_manifest resources apply. */
export function synthAppsManifests(environment: EnvironmentConfig) {
  return synthApps(environment).manifests.map((r) => r.manifest);
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { compareObjects } from './kubernetes';
import { byLevel, type Change, type DiffReport, type EnvironmentSummary, type JsonObject, type Risk } from './model';
import { compareStack, type StackJson } from './terraform';
import { isObject } from './values';

/** What one `npm run synth --outdir DIR` wrote: stacks and Kubernetes objects by environment. */
export interface SynthOutput {
  readonly stacks: ReadonlyMap<string, StackJson>;
  readonly objects: ReadonlyMap<string, JsonObject[]>;
}

/** Stacks are `<layer>-<environment>`; environment names have no hyphen (config/load.ts). */
export const environmentOfStack = (stack: string) => stack.slice(stack.indexOf('-') + 1);
const MANIFEST_FILE = /-([a-z][a-z0-9]*)\.k8s\.ya?ml$/;

/** Reads `<dir>/cdktf.out/stacks/<stack>/cdk.tf.json` and `<dir>/dist/*.k8s.yaml`. */
export function readSynthOutput(dir: string): SynthOutput {
  const stacksDir = path.join(dir, 'cdktf.out', 'stacks');
  const stacks = new Map<string, StackJson>();
  for (const stack of fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).sort() : []) {
    const file = path.join(stacksDir, stack, 'cdk.tf.json');
    if (fs.existsSync(file)) stacks.set(stack, JSON.parse(fs.readFileSync(file, 'utf8')) as StackJson);
  }
  const distDir = path.join(dir, 'dist');
  const objects = new Map<string, JsonObject[]>();
  for (const file of fs.existsSync(distDir) ? fs.readdirSync(distDir).sort() : []) {
    const env = MANIFEST_FILE.exec(file)?.[1];
    if (!env) continue;
    const docs = parseAllDocuments(fs.readFileSync(path.join(distDir, file), 'utf8')).map((d) => d.toJS() as unknown);
    objects.set(env, [...(objects.get(env) ?? []), ...docs.filter((d): d is JsonObject => isObject(d as JsonObject))]);
  }
  return { stacks, objects };
}

const environmentsOf = (output: SynthOutput) => new Set([...[...output.stacks.keys()].map(environmentOfStack), ...output.objects.keys()]);

/** Compares two synth outputs, per environment, both layers. */
export function compareOutputs(base: SynthOutput, head: SynthOutput, refs: Pick<DiffReport, 'base' | 'head'>): DiffReport {
  const before = environmentsOf(base);
  const after = environmentsOf(head);
  const names = [...new Set([...before, ...after])].sort();
  const stacks = [...new Set([...base.stacks.keys(), ...head.stacks.keys()])].sort();

  const changes: Change[] = [];
  for (const env of names) {
    for (const stack of stacks.filter((s) => environmentOfStack(s) === env)) {
      changes.push(...compareStack({ environment: env, stack, base: base.stacks.get(stack), head: head.stacks.get(stack) }));
    }
    changes.push(...compareObjects(env, base.objects.get(env) ?? [], head.objects.get(env) ?? []));
  }

  const environments: EnvironmentSummary[] = names.map((name) => ({
    name,
    status: !before.has(name) ? 'added' : !after.has(name) ? 'removed' : changes.some((c) => c.environment === name) ? 'changed' : 'unchanged',
    stacks: stacks.filter((s) => environmentOfStack(s) === name),
  }));

  // The list at the top stays short: an added or removed environment is one line, not one per resource.
  const whole = new Set(environments.filter((e) => e.status === 'added' || e.status === 'removed').map((e) => e.name));
  const environmentRisks: Risk[] = environments
    .filter((e) => whole.has(e.name))
    .map((e) => {
      const count = (layer: string) => changes.filter((c) => c.environment === e.name && c.layer === layer).length;
      const what = `${count('terraform')} Terraform resources in ${e.stacks.join(', ') || 'no stack'}, ${count('kubernetes')} Kubernetes objects`;
      return e.status === 'added'
        ? {
            kind: 'environment-added',
            level: 'medium',
            environment: e.name,
            address: e.name,
            message: `environment ${e.name} is added: ${what} created`,
          }
        : {
            kind: 'environment-removed',
            level: 'high',
            environment: e.name,
            address: e.name,
            message: `environment ${e.name} is removed: ${what} destroyed`,
          };
    });
  const seen = new Set<string>();
  const changeRisks = changes
    .filter((c) => !whole.has(c.environment))
    .flatMap((c) => c.risks)
    .filter((r) => {
      const key = `${r.environment} ${r.kind} ${r.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
  return { ...refs, environments, risks: [...environmentRisks, ...changeRisks].sort(byLevel), changes };
}

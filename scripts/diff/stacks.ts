import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * `npm run diff -- --stacks`: the stacks a pull request's review must plan, so the review plans what
 * changed instead of every stack of every environment (.github/scripts/plan-stacks.ts plans them).
 */

/** The stacks one synth wrote: each stack's JSON (normalized) and the stacks it depends on (cdktf.out/manifest.json). */
export interface SynthStacks {
  readonly json: ReadonlyMap<string, string>;
  readonly dependencies: ReadonlyMap<string, ReadonlyArray<string>>;
}

interface Manifest {
  readonly stacks?: Record<string, { readonly dependencies?: ReadonlyArray<string>; readonly synthesizedStackPath?: string }>;
}

/** Reads `<dir>/cdktf.out/manifest.json` and each stack's cdk.tf.json it names. */
export function readSynthStacks(dir: string): SynthStacks {
  const out = path.join(dir, 'cdktf.out');
  const manifestFile = path.join(out, 'manifest.json');
  const manifest = fs.existsSync(manifestFile) ? (JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest) : {};
  const json = new Map<string, string>();
  const dependencies = new Map<string, ReadonlyArray<string>>();
  for (const [stack, entry] of Object.entries(manifest.stacks ?? {})) {
    const file = path.join(out, entry.synthesizedStackPath ?? path.join('stacks', stack, 'cdk.tf.json'));
    // Parsed and written again: formatting is not a change, any value (metadata included) is.
    json.set(stack, JSON.stringify(JSON.parse(fs.readFileSync(file, 'utf8'))));
    dependencies.set(stack, entry.dependencies ?? []);
  }
  return { json, dependencies };
}

/**
 * What to plan: every stack of the head whose JSON differs from the base's (new stacks included), and
 * every stack that depends on one of those, directly or not (the apps stack reads its platform stack's
 * cluster, so a platform change can change its plan), sorted. `removed`: stacks of the base the head no
 * longer has. They are not planned: the head holds no configuration for them, and no workflow destroys
 * them (the offline diff reports the removal as a high risk).
 */
export function stacksToPlan(base: SynthStacks, head: SynthStacks): { readonly plan: string[]; readonly removed: string[] } {
  const selected = new Set([...head.json].filter(([stack, json]) => base.json.get(stack) !== json).map(([stack]) => stack));
  // Dependents of dependents too: repeat until nothing is added.
  for (let grew = true; grew;) {
    grew = false;
    for (const [stack, needs] of head.dependencies) {
      if (!selected.has(stack) && needs.some((n) => selected.has(n))) {
        selected.add(stack);
        grew = true;
      }
    }
  }
  return { plan: [...selected].sort(), removed: [...base.json.keys()].filter((s) => !head.json.has(s)).sort() };
}

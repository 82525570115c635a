import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument, isSeq, isMap } from 'yaml';
import { loadEnvironments, type LoadOptions } from '../config/load';
import { namingContext, registryLoginServer } from '../config/naming';
import type { EnvironmentConfig } from '../config/schema';
import type { EnvironmentFacts } from './engine';
import type { WaiverEntry } from './waivers';

/** Line of each entry of `waivers:` in an environment file, so findings about a waiver point at it. */
function waiverLines(file: string): number[] {
  const lines = new LineCounter();
  const doc = parseDocument(fs.readFileSync(file, 'utf8'), { lineCounter: lines });
  const waivers = isMap(doc.contents) ? doc.contents.get('waivers', true) : undefined;
  return isSeq(waivers) ? waivers.items.map((item) => lines.linePos((item as { range?: [number] }).range?.[0] ?? 0).line) : [];
}

/** What the policy needs from one environment's config: its registry, the secrets it asks for, its waivers. */
export function environmentFacts(env: EnvironmentConfig, file: string): EnvironmentFacts {
  const lines = fs.existsSync(file) ? waiverLines(file) : [];
  const waivers: WaiverEntry[] = env.waivers.map((w, i) => ({ ...w, environment: env.name, source: { file, line: lines[i] ?? 1 } }));
  return {
    name: env.name,
    file,
    registries: [registryLoginServer(namingContext(env))],
    secretEnvironmentVariables: env.app.secretNames,
    activeColour: env.app.release.strategy === 'blueGreen' ? env.app.release.active : undefined,
    waivers,
  };
}

/** Facts of every environment in a folder of environment files (none when the folder does not exist). */
export function loadEnvironmentFacts(dir: string, options: Pick<LoadOptions, 'warn'> = {}): EnvironmentFacts[] {
  if (!fs.existsSync(dir)) return [];
  const files = new Map(
    fs
      .readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => [f.replace(/\.ya?ml$/, ''), path.join(dir, f)]),
  );
  return loadEnvironments(dir, options).map((env) => environmentFacts(env, files.get(env.name) ?? path.join(dir, `${env.name}.yaml`)));
}

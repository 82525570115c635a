import * as fs from 'node:fs';
import * as path from 'node:path';
import { listEntryLines, loadEnvironments, type LoadOptions } from '../config/load';
import { namingContext, registryLoginServer } from '../config/naming';
import type { EnvironmentConfig } from '../config/schema';
import type { EnvironmentFacts } from './engine';
import type { WaiverEntry } from './waivers';

/** What the policy needs from one environment's config: its registry, the secrets it asks for, its waivers. */
export function environmentFacts(env: EnvironmentConfig, file: string): EnvironmentFacts {
  // Lines only where there are waivers to point at (the parse of the file is reused when it is unchanged).
  const lines = env.waivers.length > 0 && fs.existsSync(file) ? listEntryLines(file, 'waivers') : [];
  const waivers: WaiverEntry[] = env.waivers.map((w, i) => ({ ...w, environment: env.name, source: { file, line: lines[i] ?? 1 } }));
  return {
    name: env.name,
    file,
    registries: [registryLoginServer(namingContext(env))],
    secretEnvironmentVariables: env.app.secretNames,
    activeColour: env.app.release.strategy === 'blueGreen' ? env.app.release.active : undefined,
    waivers,
    config: env,
  };
}

/** Facts of every environment in a folder of environment files (none when the folder does not exist). */
export function loadEnvironmentFacts(dir: string, options: Pick<LoadOptions, 'warn' | 'only'> = {}): EnvironmentFacts[] {
  if (!fs.existsSync(dir)) return [];
  const files = new Map(
    fs
      .readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => [f.replace(/\.ya?ml$/, ''), path.join(dir, f)]),
  );
  return loadEnvironments(dir, options).map((env) => environmentFacts(env, files.get(env.name) ?? path.join(dir, `${env.name}.yaml`)));
}

import * as path from 'node:path';
import * as fs from 'node:fs';
import { ConfigError, parseEnvironment, type EnvironmentConfig } from '../../config';
import { readYaml } from '../support/yaml';

/**
 * The test fixtures' environments (dev, staging, prod): tests of behaviour build on these, never on the
 * user's environments/ folder, which users replace (test/user-environments.test.ts checks that one).
 */
export const ENVIRONMENTS_DIR = path.resolve(__dirname, '../fixtures/environments');
/** Every fixture environment. */
export const ENVIRONMENT_NAMES = fs
  .readdirSync(ENVIRONMENTS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();

/** Raw data of a fixture environment file. */
export function rawEnvironment(name: string): Record<string, any> {
  return readYaml(path.join(ENVIRONMENTS_DIR, `${name}.yaml`));
}

function merge(base: any, patch: any): any {
  if (patch === undefined) return base;
  // An object of another kind (release strategy, network mode) replaces the old one; others merge field by field.
  const differs = (key: string) => patch?.[key] && base?.[key] && patch[key] !== base[key];
  const sameKind = !differs('strategy') && !differs('mode');
  if (patch && typeof patch === 'object' && !Array.isArray(patch) && base && typeof base === 'object' && sameKind) {
    const out = { ...base };
    for (const [k, v] of Object.entries(patch)) out[k] = merge(base[k], v);
    return out;
  }
  return patch;
}

/** A fixture environment with some fields changed, validated like a file would be. */
export function environment(name: string, patch: Record<string, any> = {}): EnvironmentConfig {
  return parseEnvironment(name, merge(rawEnvironment(name), patch), `environments/${name}.yaml`);
}

/** The message of the ConfigError that `fn` throws. */
export function configErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

import type { EnvironmentConfig } from './schema';
import { isSecretName, secretLikeness, secretShape } from './secret-rules';
import type { ConfigProblem } from './validate';

/**
 * Refuses secrets anywhere in an environment file: they would be stored in git, in a ConfigMap, in tags
 * on every Azure resource and in the pull request's diff, in plain text. The rules are config/secret-rules.ts;
 * messages name the field (or, when a name itself looks secret, its parent) and never the value.
 */

export { entropy, secretLikeness, secretShape } from './secret-rules';

const HOW_SETTING = (name: string) =>
  `settings are stored in plain text in a ConfigMap and in git. Put the value in Key Vault and list '${name}' in app.secretNames instead (see docs/configuration.md, "Secrets")`;
const HOW_TAG =
  'tags are readable by anyone who can read the resource. Remove it; secrets belong in Key Vault, read by the app through app.secretNames';
const HOW_FIELD =
  'this field is stored in plain text in git and in the synthesized output. Remove it; secrets belong in Key Vault, read by the app through app.secretNames';

/** The free-form records whose entry names say what a value is: a secret-like name (DB_PASSWORD) makes its value secret. */
const NAMED_RECORDS = ['app.settings', 'tags'];

/** The entry name a field path lies under in a named record ('' for the record itself), or undefined outside them. */
function namedEntryOf(path: string): string | undefined {
  const record = NAMED_RECORDS.find((r) => `${path}.`.startsWith(`${r}.`));
  return record === undefined ? undefined : path.slice(record.length + 1).split('.')[0];
}

/** Whether a field path is, or lies under, an entry of a named record whose name says it holds a secret. */
export function isSecretEntry(path: string): boolean {
  const entry = namedEntryOf(path);
  return entry !== undefined && entry !== '' && isSecretName(entry);
}

/** Every secret-looking value (or name) in the environment, one problem each. */
export function secretProblems(env: EnvironmentConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, why: string, how: string) => problems.push({ path, sensitive: true, message: `looks like a secret (${why}); ${how}` });
  const named = (record: Readonly<Record<string, string>>, at: string, how: (name: string) => string) => {
    for (const [name, value] of Object.entries(record)) {
      const nameShape = secretShape(name);
      if (nameShape) add(at, `a name is ${nameShape}`, how('the name'));
      else {
        const why = secretLikeness(name, value);
        if (why) add(`${at}.${name}`, why, how(name));
      }
    }
  };
  named(env.app.settings, 'app.settings', HOW_SETTING);
  named(env.tags, 'tags', () => HOW_TAG);
  walk(env, [], (path, text, isKey) => {
    if (namedEntryOf(path.join('.')) !== undefined) return; // checked by name above
    const why = secretShape(text);
    if (why) add((isKey ? path.slice(0, -1) : path).join('.') || '(file)', isKey ? `a name is ${why}` : why, HOW_FIELD);
  });
  return problems;
}

/** Calls `visit` with every string (values, and keys of records) in a config value. */
function walk(value: unknown, path: string[], visit: (path: string[], text: string, isKey: boolean) => void): void {
  if (typeof value === 'string') visit(path, value, false);
  else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, String(i)], visit));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      visit([...path, k], k, true);
      walk(v, [...path, k], visit);
    }
  }
}

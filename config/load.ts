import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { environmentSchema, type EnvironmentConfig } from './schema';
import { configWarnings, crossFieldProblems, type ConfigProblem } from './validate';

/** Environment names come from file names and end up in every resource name. */
const ENVIRONMENT_FILE = /^([a-z][a-z0-9]{1,11})\.ya?ml$/;

/** Bad input from a user (a file, a flag, an environment variable): reported as its message, without a stack trace. */
export class InputError extends Error {
  public readonly isInputError = true;
}

/** Every problem in one or more environment files, in one message. */
export class ConfigError extends InputError {
  constructor(public readonly problems: ReadonlyArray<{ file: string; environment: string } & ConfigProblem & { value?: unknown }>) {
    super(
      'Invalid environment configuration:\n' +
        problems
          .map((p) => `  ${p.file} (environment '${p.environment}'): ${p.path || '(file)'}` +
            `${p.value === undefined ? '' : ` = ${JSON.stringify(p.value)}`}: ${p.message}`)
          .join('\n'),
    );
    this.name = 'ConfigError';
  }
}

function valueAt(input: unknown, keys: ReadonlyArray<PropertyKey>): unknown {
  return keys.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), input);
}

/** Validates one environment's raw data; `file` is only used in messages. */
export function parseEnvironment(name: string, input: unknown, file: string): EnvironmentConfig {
  const result = environmentSchema.safeParse(input);
  const where = { file, environment: name };
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => ({
      ...where,
      path: issue.path.join('.'),
      value: issue.code === 'unrecognized_keys' ? undefined : valueAt(input, issue.path),
      message: issue.message,
    })));
  }
  const env: EnvironmentConfig = { ...result.data, name };
  const problems = crossFieldProblems(env);
  if (problems.length > 0) {
    throw new ConfigError(problems.map((p) => ({ ...where, ...p, value: valueAt(env, p.path.split(".")) })));
  }
  return env;
}

/** Reads and validates one `environments/<name>.yaml`. */
export function loadEnvironmentFile(file: string): EnvironmentConfig {
  const base = path.basename(file);
  const match = ENVIRONMENT_FILE.exec(base);
  if (!match) {
    throw new ConfigError([{ file, environment: base, path: '', message: `file name must be <environment>.yaml where <environment> is 2-12 lowercase letters or digits, starting with a letter` }]);
  }
  const doc = parseDocument(fs.readFileSync(file, 'utf8'), { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => ({ file, environment: match[1], path: '', message: `YAML syntax: ${e.message}` })));
  }
  const env = parseEnvironment(match[1], doc.toJS(), file);
  for (const w of configWarnings(env)) console.error(`warning: ${file} (environment '${env.name}'): ${w.path} = ${JSON.stringify(w.value)}: ${w.message}`);
  return env;
}

/** Reads and validates every environment in `dir`; reports the problems of all files at once. */
export function loadEnvironments(dir: string): EnvironmentConfig[] {
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (files.length === 0) throw new Error(`no environment files (*.yaml) in ${dir}`);
  const problems: ConfigError['problems'][number][] = [];
  const envs: EnvironmentConfig[] = [];
  for (const file of files) {
    try {
      envs.push(loadEnvironmentFile(path.join(dir, file)));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return envs;
}

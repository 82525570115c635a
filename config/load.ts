import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import { environmentSchema, type EnvironmentConfig, type SchemaOutput } from './schema';
import { configWarnings, crossFieldProblems, placeholderIdWarnings, type ConfigProblem } from './validate';
import { deployOrderProblems, deployRunnerProblems } from './deploy-order';
import { runnerNetworkProblems } from './runner-networks';
import { printable } from './printable';
import { containsSecretShape, secretShape } from './secret-rules';
import { isSecretEntry } from './secrets';

/** Environment names come from file names and end up in every resource name. */
const ENVIRONMENT_FILE = /^([a-z][a-z0-9]{1,11})\.ya?ml$/;

/** YAML aliases an environment file may use; more is a resource-exhaustion attack ("billion laughs"), not config. */
export const MAX_YAML_ALIASES = 20;

/** Bad input from a user (a file, a flag, an environment variable): reported as its message, without a stack trace. */
export class InputError extends Error {
  public readonly isInputError = true;
}

/** One problem in one environment file; `value` is printed unless the problem is `sensitive`. */
export type FileProblem = { file: string; environment: string } & ConfigProblem & { value?: unknown };

/** Every problem in one or more environment files, in one message. */
export class ConfigError extends InputError {
  constructor(public readonly problems: ReadonlyArray<FileProblem>) {
    super('Invalid environment configuration:\n' + problems.map(describeProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Longest value a message shows; a longer one is cut (a 200 KB value is not a useful error line). */
const MAX_SHOWN_VALUE = 200;

/**
 * A problem as one line. The value is left out when the problem is `sensitive`, when the field's name says
 * it holds a secret (app.settings.DB_PASSWORD: whatever the value's type) or when the value has a secret's
 * shape; so is any quoted part of the message that has one, and the hidden value wherever the message
 * repeats it. Field names with a secret's shape are replaced. Control characters are escaped (printable).
 */
function describeProblem(p: FileProblem): string {
  const keys = p.path.split('.');
  const hidden = p.sensitive === true || isSecretEntry(p.path) || containsSecretShape(p.value);
  let value = p.value === undefined || hidden ? '' : ` = ${JSON.stringify(p.value)}`;
  if (value.length > MAX_SHOWN_VALUE) value = `${value.slice(0, MAX_SHOWN_VALUE)}... (cut)`;
  const at = keys.map((key) => (secretShape(key) ? '(a name that looks like a secret)' : key)).join('.');
  let message = p.message.replace(/'([^']*)'|"([^"]*)"/g, (quoted, single?: string, double?: string) =>
    secretShape(single ?? double ?? '') ? "'(a value that looks like a secret)'" : quoted,
  );
  if (hidden && ['string', 'number', 'bigint'].includes(typeof p.value) && String(p.value).length >= 4) {
    message = message.split(String(p.value)).join('(the value)');
  }
  return printable(`  ${p.file} (environment '${p.environment}'): ${at || '(file)'}${value}: ${message}`);
}

function valueAt(input: unknown, keys: ReadonlyArray<PropertyKey>): unknown {
  return keys.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), input);
}

/** Validates one environment's raw data; `file` is only used in messages. */
export function parseEnvironment(name: string, input: unknown, file: string): EnvironmentConfig {
  return checkedEnvironment(name, schemaOutput(name, input, file), file);
}

/** What the schema makes of an environment's raw data, or a ConfigError naming every problem. */
function schemaOutput(name: string, input: unknown, file: string): SchemaOutput {
  const result = environmentSchema().safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        file,
        environment: name,
        path: issue.path.join('.'),
        // Not the whole file (an issue at its top level), and not a mapping's keys.
        value: issue.code === 'unrecognized_keys' || issue.path.length === 0 ? undefined : valueAt(input, issue.path),
        message: issue.message,
      })),
    );
  }
  return result.data;
}

/** The environment from the schema's output, after the checks across fields. */
function checkedEnvironment(name: string, data: SchemaOutput, file: string): EnvironmentConfig {
  const env: EnvironmentConfig = { ...data, name };
  const problems = [...crossFieldProblems(env), ...deployRunnerProblems(env)];
  if (problems.length > 0) {
    throw new ConfigError(problems.map((p) => ({ file, environment: name, ...p, value: valueAt(env, p.path.split('.')) })));
  }
  return env;
}

/** A problem with an environment file as a whole (no field). */
function fileProblem(file: string, environment: string, message: string): ConfigError {
  return new ConfigError([{ file, environment, path: '', message }]);
}

/**
 * The text of a file that must be UTF-8. A UTF-16 file or a stray byte (a Latin-1 'é' from an old
 * editor) is refused with where it is, instead of silently becoming U+FFFD; the content is never printed.
 */
function readUtf8(file: string, environment: string, bytes: Buffer): string {
  const problem = (message: string) => fileProblem(file, environment, message);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.includes(0)) {
    throw problem('the file is UTF-16 (or binary), not UTF-8 text; save it as UTF-8');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, at).toString('latin1').split('\n').length;
    throw problem(
      `the file is not UTF-8: byte 0x${bytes[at].toString(16).toUpperCase().padStart(2, '0')} on line ${line} ` +
        `is not valid UTF-8 (a Latin-1 or Windows-1252 character?); save the file as UTF-8`,
    );
  }
}

/** Offset of the first byte that does not start or continue a UTF-8 sequence (0 when only the decoder can tell). */
function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const continuation = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (continuation < 0) return i;
    for (let k = 1; k <= continuation; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += continuation + 1;
  }
  return 0;
}

/** What parsing an environment file gives, before the checks across fields. */
interface ParsedFile {
  /** The schema's output. */
  readonly data: SchemaOutput;
  /** Line of each entry of each top-level list, e.g. `waivers`. */
  readonly listLines: Readonly<Record<string, number[]>>;
}

/**
 * Environment files already parsed in this process, by path and content: one synth runs the infra and
 * workloads apps and the policy gate in one process, and each loads every file.
 */
const parsed = new Map<string, { readonly bytes: Buffer; readonly env: EnvironmentConfig; readonly listLines: ParsedFile['listLines'] }>();

/** Reads and validates one `environments/<name>.yaml`. */
export function loadEnvironmentFile(file: string): EnvironmentConfig {
  const base = path.basename(file);
  const match = ENVIRONMENT_FILE.exec(base);
  if (!match) {
    throw new ConfigError([
      {
        file,
        environment: base,
        path: '',
        message: `file name must be <environment>.yaml where <environment> is 2-12 lowercase letters or digits, starting with a letter`,
      },
    ]);
  }
  const environment = match[1];
  const problem = (message: string) => fileProblem(file, environment, message);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) {
    const link = fs.lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()
      ? ` (a symbolic link to '${fs.readlinkSync(file)}', which does not exist)`
      : '';
    throw problem(`the file does not exist${link}`);
  }
  if (!stat.isFile()) throw problem('is a directory, not an environment file; rename or remove it');
  // A link committed in a pull request could point at any file on the machine that runs synth.
  if (fs.lstatSync(file).isSymbolicLink())
    throw problem(`is a symbolic link (to '${fs.readlinkSync(file)}'); keep environment files as regular files`);

  const bytes = fs.readFileSync(file);
  const key = `${path.resolve(file)}\0${environment}`;
  const known = parsed.get(key);
  // A copy, so no app can change what another one reads.
  if (known?.bytes.equals(bytes)) return structuredClone(known.env);
  const { data, listLines } = parseFile(file, environment, bytes);
  const env = checkedEnvironment(environment, data, file);
  parsed.set(key, { bytes, env: structuredClone(env), listLines });
  return env;
}

/** Parses an environment file's YAML and checks it against the schema. */
function parseFile(file: string, environment: string, bytes: Buffer): ParsedFile {
  const lines = new LineCounter();
  const doc = parseDocument(readUtf8(file, environment, bytes), { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        return { file, environment, path: '', message: `YAML syntax: line ${line}, column ${col}: ${yamlProblem(e.code)}` };
      }),
    );
  }
  let input: unknown;
  try {
    input = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    throw fileProblem(
      file,
      environment,
      `YAML aliases (*name) expand to more than ${MAX_YAML_ALIASES} copies; write the values out instead (${error.message})`,
    );
  }
  if (input === null || input === undefined)
    throw fileProblem(file, environment, 'the file is empty; it needs the settings of an environment (see README, "Add an environment")');
  return { data: schemaOutput(environment, input, file), listLines: topLevelListLines(doc, lines) };
}

/**
 * What a YAML error code means. The parser's own messages (and its pretty code frame) can quote the
 * offending source, which may be a secret, so only the code's meaning is shown.
 * @see https://eemeli.org/yaml/#errors
 */
const YAML_PROBLEMS: Readonly<Record<YAMLError['code'], string>> = {
  ALIAS_PROPS: 'an alias (*name) cannot have an anchor or tag',
  BAD_ALIAS: 'an alias (*name) refers to no anchor (&name) before it',
  BAD_DIRECTIVE: 'a % directive is not valid',
  BAD_DQ_ESCAPE: 'a double-quoted string has an invalid escape sequence (use \\\\ for a backslash, or single quotes)',
  BAD_INDENT: 'the indentation is wrong (use spaces, aligned with the sibling keys)',
  BAD_PROP_ORDER: 'anchors and tags must come after the - or ? indicator',
  BAD_SCALAR_START: 'a plain value cannot start with this character; quote the value',
  BLOCK_AS_IMPLICIT_KEY: 'a block value cannot be a key',
  BLOCK_IN_FLOW: 'a block value cannot be inside [ ] or { }',
  DUPLICATE_KEY: 'a key is repeated in the same mapping; keep one',
  IMPOSSIBLE: 'the YAML parser hit an internal error',
  KEY_OVER_1024_CHARS: 'a key is longer than 1024 characters',
  MISSING_CHAR: 'a character is missing (a closing quote or bracket, a comma, or a space after :)',
  MULTILINE_IMPLICIT_KEY: 'a key spans several lines; a missing : or a stray quote?',
  MULTIPLE_ANCHORS: 'a value has more than one anchor',
  MULTIPLE_DOCS: 'the file has more than one YAML document (---); keep one',
  MULTIPLE_TAGS: 'a value has more than one tag',
  NON_STRING_KEY: 'a key is not a string',
  RESOURCE_EXHAUSTION: 'aliases expand to too much data',
  TAB_AS_INDENT: 'a tab is used for indentation; use spaces',
  TAG_RESOLVE_FAILED: 'a !tag is unknown; remove it or quote the value',
  UNEXPECTED_TOKEN: 'unexpected content here (a missing quote, colon or indentation?); quote values that contain : # or start with [ { * & !',
  BAD_COLLECTION_TYPE: 'a !tag does not fit the kind of value it is on',
};

const yamlProblem = (code: YAMLError['code']) => YAML_PROBLEMS[code] ?? `YAML error ${code}`;

/** Line of each entry of each top-level list of a parsed file. */
function topLevelListLines(doc: Document, lines: LineCounter): Record<string, number[]> {
  const found: Record<string, number[]> = {};
  if (!isMap(doc.contents)) return found;
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key) && typeof pair.key.value === 'string' && isSeq(pair.value)) {
      found[pair.key.value] = pair.value.items.map((item) => lines.linePos((item as { range?: [number] }).range?.[0] ?? 0).line);
    }
  }
  return found;
}

/**
 * Line of each entry of the top-level list `key` in an environment file (for findings about a waiver), from
 * the parse loadEnvironmentFile made of the same bytes, or from a new one when the file changed since.
 */
export function listEntryLines(file: string, key: string): number[] {
  const bytes = fs.readFileSync(file);
  const memo = parsed.get(`${path.resolve(file)}\0${ENVIRONMENT_FILE.exec(path.basename(file))?.[1]}`);
  if (memo?.bytes.equals(bytes)) return [...(memo.listLines[key] ?? [])];
  const lines = new LineCounter();
  return topLevelListLines(parseDocument(bytes.toString('utf8'), { lineCounter: lines }), lines)[key] ?? [];
}

/** What `loadEnvironments` reads, and how strictly. */
export interface LoadOptions {
  /** Only these environments (file names without extension). @default every file in the folder */
  readonly only?: ReadonlyArray<string>;
  /**
   * With `only`: still check every file and what spans files (deploy order, shared runner networks), and
   * return only `only`'s environments; for one share of a synth of the whole folder. @default false
   */
  readonly checkFolder?: boolean;
  /** Warnings (placeholder IDs) become errors; for deploy paths. @default false */
  readonly strict?: boolean;
  /** Where warnings go. @default console.error */
  readonly warn?: (message: string) => void;
  /**
   * The date to warn about AKS support on (a Kubernetes version near or past its end). Warnings only:
   * what loads never depends on it. @default no such warnings
   */
  readonly today?: Date;
}

/** Warnings already printed in this process: infra and workloads load the same files in one synth. */
const warned = new Set<string>();

/** Reads and validates every environment in `dir` (or those in `only`); reports the problems of all files at once. */
export function loadEnvironments(dir: string, options: LoadOptions = {}): EnvironmentConfig[] {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) {
    throw new InputError(
      `environments folder '${dir}' ${stat ? 'is not a folder' : 'does not exist'}; create it with one <environment>.yaml per environment (see README, "Add an environment"), or set ENVIRONMENTS_DIR`,
    );
  }
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  if (files.length === 0) {
    throw new InputError(`no environment files (<environment>.yaml) in '${dir}'; add one (see README, "Add an environment")`);
  }
  const byName = new Map<string, string[]>();
  for (const file of files) byName.set(file.replace(/\.ya?ml$/, ''), [...(byName.get(file.replace(/\.ya?ml$/, '')) ?? []), file]);
  const problems: FileProblem[] = [];
  for (const [environment, both] of byName) {
    if (both.length > 1) {
      problems.push({
        file: both.map((f) => path.join(dir, f)).join(' and '),
        environment,
        path: '',
        message: 'two files define this environment; keep one (.yaml)',
      });
    }
  }
  if (options.only) {
    const unknown = options.only.filter((name) => !byName.has(name));
    if (unknown.length > 0) {
      throw new InputError(
        printable(`unknown environment(s) ${unknown.map((u) => `'${u}'`).join(', ')}; environments in '${dir}': ${[...byName.keys()].join(', ')}`),
      );
    }
  }
  const envs: EnvironmentConfig[] = [];
  const wanted = (name: string) => !options.only || options.only.includes(name);
  for (const file of files.filter((f) => options.checkFolder || wanted(f.replace(/\.ya?ml$/, '')))) {
    try {
      const env = loadEnvironmentFile(path.join(dir, file));
      if (!wanted(env.name)) {
        envs.push(env); // checked across files below, not returned and not warned about (another share's)
        continue;
      }
      const where = { file: path.join(dir, file), environment: env.name };
      const warn = (text: string) => {
        if (!warned.has(text)) (options.warn ?? console.error)(text);
        warned.add(text);
      };
      for (const w of options.today ? configWarnings(env, options.today) : []) warn(`warning:${describeProblem({ ...where, ...w }).slice(1)}`);
      const placeholders = placeholderIdWarnings(env).map((w) => ({ ...where, ...w, value: valueAt(env, w.path.split('.')) }));
      if (options.strict) problems.push(...placeholders);
      else if (placeholders.length > 0) {
        // One line per file: the example files have several placeholders each.
        warn(
          `warning: ${where.file} (environment '${env.name}'): ${placeholders.map((w) => w.path).join(', ')}: ` +
            `${placeholders.length === 1 ? 'is a placeholder' : 'are placeholders'}, not real IDs; fine for synth, refused by --strict (deploy)`,
        );
      }
      envs.push(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  // The deploy order and shared runner networks span files: checked when the whole folder is loaded (a
  // deploy of one environment reads only its own file), and once every file is valid on its own.
  if ((!options.only || options.checkFolder) && problems.length === 0) {
    const byName = new Map(files.map((f) => [f.replace(/\.ya?ml$/, ''), path.join(dir, f)]));
    problems.push(...deployOrderProblems(envs, byName), ...runnerNetworkProblems(envs, byName));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return envs.filter((env) => wanted(env.name));
}

const STRICT_VALUES = ['0', '1', 'false', 'true'];

/**
 * The environments an app synthesizes, as the process environment says: ENVIRONMENTS_DIR (default
 * `environments`), SYNTH_ENVIRONMENTS (comma-separated names, set by `npm run synth -- --env`, and for each share of a
 * large synth, one of which also sets SYNTH_CHECK_FOLDER=1) and SYNTH_STRICT (set by `--strict`). Shared by the infra and workloads apps.
 */
export function loadEnvironmentsFromProcess(env: NodeJS.ProcessEnv = process.env): EnvironmentConfig[] {
  const strict = env.SYNTH_STRICT ?? '0';
  if (!STRICT_VALUES.includes(strict)) {
    throw new InputError(`SYNTH_STRICT='${strict}' is not allowed; SYNTH_STRICT must be '1' or 'true' (or '0' / 'false')`);
  }
  return loadEnvironments(env.ENVIRONMENTS_DIR ?? 'environments', {
    only: env.SYNTH_ENVIRONMENTS ? env.SYNTH_ENVIRONMENTS.split(',').filter(Boolean) : undefined,
    // Set by synth.mjs for its own share of a whole-folder synth: that share checks the whole folder.
    checkFolder: env.SYNTH_CHECK_FOLDER === '1',
    strict: strict === '1' || strict === 'true',
    // The one clock read of synth: it warns about AKS support dates; its output never depends on them.
    today: new Date(),
  });
}

/** An enumerated environment variable (STATE_BACKEND, KUBELOGIN_LOGIN): its value, its default when unset, an InputError otherwise. */
export function enumVariable<const T extends readonly [string, ...string[]]>(
  name: string,
  allowed: T,
  fallback: T[number],
  env: NodeJS.ProcessEnv = process.env,
): T[number] {
  const value = env[name];
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    const others = allowed.filter((a) => a !== fallback).map((a) => `'${a}'`);
    throw new InputError(`${name}='${value}' is not allowed; use '${fallback}' (default) or ${others.join(' or ')}`);
  }
  return value;
}

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../config/load';
import { newFindings, readJsonReport } from './baseline';
import { failing, validate, type Report, type ValidateOptions } from './engine';
import { loadEnvironmentFacts } from './environments';
import { findInputFiles, readInputFile } from './inputs';
import { renderHuman } from './report/human';
import { toJsonReport } from './report/json';
import { toSarif } from './report/sarif';
import { utcDate } from './waivers';

/*
 * npm run validate [-- [--format human|json|sarif] [--output FILE] [--environment NAME] [--registry HOST[,HOST]]
 *                      [--today YYYY-MM-DD] [--baseline REPORT.json] [FILE|FOLDER ...]]
 * Without files: the synthesized output (cdktf.out/ and dist/), synthesizing first if there is none.
 * Exit code 1 when an error finding is not waived (with --baseline: when a new one is not).
 */
const USAGE =
  'usage: npm run validate -- [--format human|json|sarif] [--output FILE] [--environment NAME] [--registry HOST[,HOST]] [--today YYYY-MM-DD] [--baseline REPORT.json] [FILE|FOLDER ...]';
const FLAGS = ['--format', '--output', '--environment', '--today', '--baseline', '--registry'] as const;
type Flag = (typeof FLAGS)[number];

export interface CliOptions {
  readonly flags: Partial<Record<Flag, string>>;
  readonly paths: string[];
}

export function parseArgs(args: ReadonlyArray<string>): CliOptions {
  const flags: Partial<Record<Flag, string>> = {};
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if ((FLAGS as ReadonlyArray<string>).includes(arg)) {
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) throw new InputError(`${arg} needs a value\n${USAGE}`);
      flags[arg as Flag] = value;
    } else if (arg.startsWith('--')) {
      throw new InputError(`unknown option '${arg}'\n${USAGE}`);
    } else {
      paths.push(arg);
    }
  }
  if (flags['--format'] && !['human', 'json', 'sarif'].includes(flags['--format'])) {
    throw new InputError(`--format '${flags['--format']}' is not allowed; use human (default), json or sarif`);
  }
  if (flags['--today'] && !/^\d{4}-\d{2}-\d{2}$/.test(flags['--today'])) {
    throw new InputError(`--today '${flags['--today']}' is not a date; use YYYY-MM-DD`);
  }
  return { flags, paths };
}

/** cdk8s-plus major in package.json (cdk8s-plus-28 -> 28): the Kubernetes API level the manifests are built for. */
function cdk8sPlusMinor(): number | undefined {
  if (!fs.existsSync('package.json')) return undefined;
  const dependencies = Object.keys(
    (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {},
  );
  const match = dependencies.map((d) => /^cdk8s-plus-(\d+)$/.exec(d)).find(Boolean);
  return match ? Number(match[1]) : undefined;
}

const PROJECT_OUTPUT = ['cdktf.out', 'dist'];

/**
 * Validates files or folders with the environments' config and waivers: what `npm run validate` does,
 * for code (the PR review diff calls it on the base and head outputs, then `newFindings`).
 */
export function validatePaths(
  paths: ReadonlyArray<string>,
  options: Omit<ValidateOptions, 'environments'> & { environmentsDir?: string; warn?: (text: string) => void } = {},
): Report {
  const files = findInputFiles(paths).map(readInputFile);
  if (files.length === 0) throw new InputError(`no Kubernetes YAML (*.yaml, *.yml) or Terraform JSON (*.tf.json) in ${paths.join(', ')}`);
  return validate(files, {
    cdk8sPlusMinor: cdk8sPlusMinor(),
    ...options,
    environments: loadEnvironmentFacts(options.environmentsDir ?? 'environments', { warn: options.warn }),
  });
}

/** What the CLI prints: results to `out`, progress and problems to `err`. */
export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly isTerminal: boolean;
}

/** Runs `npm run validate` with these arguments; returns the exit code. Bad input throws an InputError. */
export function runValidate(args: ReadonlyArray<string>, io: CliOutput): number {
  const started = performance.now();
  const { flags, paths } = parseArgs(args);
  if (paths.length === 0 && PROJECT_OUTPUT.some((dir) => !fs.existsSync(dir))) {
    io.err('validate: no synthesized output yet; running npm run synth first');
    const synth = spawnSync(process.execPath, ['scripts/synth.mjs'], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (synth.status !== 0) return 1;
  }
  const environmentsDir = process.env.ENVIRONMENTS_DIR ?? 'environments';
  const environments = loadEnvironmentFacts(environmentsDir, { warn: io.err });
  if (flags['--environment'] && !environments.some((e) => e.name === flags['--environment'])) {
    io.err(`validate: --environment '${flags['--environment']}' has no file in ${environmentsDir}/; its files are checked without config or waivers`);
  }
  const report = validatePaths(paths.length > 0 ? paths : PROJECT_OUTPUT, {
    environmentsDir,
    defaultEnvironment: flags['--environment'],
    today: flags['--today'] ?? utcDate(new Date()),
    registries: flags['--registry']
      ?.split(',')
      .map((r) => r.trim())
      .filter(Boolean),
  });

  const baseline = flags['--baseline'] ? readJsonReport(flags['--baseline']) : undefined;
  const fresh = baseline ? new Set(newFindings(report.findings, baseline.findings).map((f) => f.fingerprint)) : undefined;
  const shown = fresh ? { ...report, findings: report.findings.filter((f) => fresh.has(f.fingerprint)) } : report;
  const format = flags['--format'] ?? 'human';
  const text =
    format === 'json'
      ? JSON.stringify(toJsonReport(shown, fresh), null, 2)
      : format === 'sarif'
        ? JSON.stringify(
            toSarif(shown, { environmentFiles: new Map(environments.flatMap((e) => (e.file ? [[e.name, e.file] as const] : []))) }),
            null,
            2,
          )
        : renderHuman(shown, {
            colour: !flags['--output'] && io.isTerminal && !process.env.NO_COLOR,
            elapsedMs: Math.round(performance.now() - started),
          });
  if (flags['--output']) {
    fs.mkdirSync(path.dirname(path.resolve(flags['--output'])), { recursive: true });
    fs.writeFileSync(flags['--output'], `${text}\n`);
    const failed = failing(shown.findings).length;
    io.err(`validate: wrote ${flags['--output']} (${shown.findings.length} findings, ${failed} failing; dates judged on ${report.today})`);
  } else {
    io.out(text);
  }
  return failing(shown.findings).length > 0 ? 1 : 0;
}

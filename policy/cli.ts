import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../config/load';
import { commandLineOrExitCode, parseArgs, quoted, type ParsedArgs } from '../scripts/usage.mjs';
import { newFindings, readJsonReport } from './baseline';
import { failing, validate, type Report, type ValidateOptions } from './engine';
import { loadEnvironmentFacts } from './environments';
import { findInputFiles, readInputFile } from './inputs';
import { renderHuman } from './report/human';
import { toJsonReport } from './report/json';
import { toSarif } from './report/sarif';
import { utcDate } from './waivers';

const USAGE = `usage: npm run validate -- [--format human|json|sarif] [--output FILE] [--env NAME] [--registry HOSTS] [--today YYYY-MM-DD]
                            [--baseline REPORT.json] [--help] [FILE|FOLDER ...]

Checks Kubernetes YAML and Terraform JSON against the guardrails, with the config and waivers of the
environments in environments/ (or ENVIRONMENTS_DIR). Without files: the synthesized output (cdktf.out/ and
dist/), synthesizing first if there is none. Exit code 1 when an error finding is not waived (with
--baseline: when a new one is not).

  --format F        human (default; colour on a terminal), json or sarif (code scanning)
  --output FILE     write the report there instead of to stdout
  --env NAME        the environment of files whose names name none
  --registry HOSTS  container registries images may come from, comma-separated
  --today DATE      the date waivers and the AKS support calendar are judged on (default: today, UTC)
  --baseline FILE   a --format json report of the base: show and fail on new findings only
  --help            this text`;
const OPTIONS = {
  '--format': ['human', 'json', 'sarif'],
  '--output': 'value',
  '--env': 'value',
  '--registry': 'value',
  '--today': 'value',
  '--baseline': 'value',
} as const;

/** The command line, or the one-line error it makes. */
function parseCommandLine(args: ReadonlyArray<string>): ParsedArgs<typeof OPTIONS> {
  const parsed = parseArgs(args, OPTIONS, { operands: true });
  if (parsed.options?.today && !/^\d{4}-\d{2}-\d{2}$/.test(parsed.options.today)) {
    return { error: `--today ${quoted(parsed.options.today)} is not a date; use YYYY-MM-DD` };
  }
  return parsed;
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

/**
 * Runs `npm run validate` with these arguments; returns the exit code (--help and a bad command line are
 * answered through `io`: 0 and 2). Bad input (files, environment config) throws an InputError.
 */
export function runValidate(args: ReadonlyArray<string>, io: CliOutput): number {
  const started = performance.now();
  const commandLine = commandLineOrExitCode(parseCommandLine(args), USAGE, io);
  if (typeof commandLine === 'number') return commandLine;
  const { options, operands: paths } = commandLine;
  if (paths.length === 0 && PROJECT_OUTPUT.some((dir) => !fs.existsSync(dir))) {
    io.err('validate: no synthesized output yet; running npm run synth first');
    const synth = spawnSync(process.execPath, ['scripts/synth.mjs'], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (synth.status !== 0) return 1;
  }
  const environmentsDir = process.env.ENVIRONMENTS_DIR ?? 'environments';
  const environments = loadEnvironmentFacts(environmentsDir, { warn: io.err });
  if (options.env && !environments.some((e) => e.name === options.env)) {
    io.err(`validate: --env '${options.env}' has no file in ${environmentsDir}/; its files are checked without config or waivers`);
  }
  const report = validatePaths(paths.length > 0 ? paths : PROJECT_OUTPUT, {
    environmentsDir,
    defaultEnvironment: options.env,
    today: options.today ?? utcDate(new Date()),
    registries: options.registry
      ?.split(',')
      .map((r) => r.trim())
      .filter(Boolean),
  });

  const baseline = options.baseline ? readJsonReport(options.baseline) : undefined;
  const fresh = baseline ? new Set(newFindings(report.findings, baseline.findings).map((f) => f.fingerprint)) : undefined;
  const shown = fresh ? { ...report, findings: report.findings.filter((f) => fresh.has(f.fingerprint)) } : report;
  const format = options.format ?? 'human';
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
            colour: !options.output && io.isTerminal && !process.env.NO_COLOR,
            elapsedMs: Math.round(performance.now() - started),
          });
  if (options.output) {
    fs.mkdirSync(path.dirname(path.resolve(options.output)), { recursive: true });
    fs.writeFileSync(options.output, `${text}\n`);
    const failed = failing(shown.findings).length;
    io.err(`validate: wrote ${options.output} (${shown.findings.length} findings, ${failed} failing; dates judged on ${report.today})`);
  } else {
    io.out(text);
  }
  return failing(shown.findings).length > 0 ? 1 : 0;
}

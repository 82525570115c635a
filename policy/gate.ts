import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../config/load';
import { environmentOf, failing, validate, type EnvironmentFacts, type Report } from './engine';
import { loadEnvironmentFacts } from './environments';
import { findInputFiles, readInputFile, yamlUnit } from './inputs';
import type { Finding } from './model';
import { renderHuman } from './report/human';
import { isExpired, utcDate } from './waivers';

/*
 * The policy step of `npm run synth`: runs after both apps wrote into the staging folder and before it
 * is swapped in, so output that breaks an un-waived error rule is never written. A large synth checks
 * each share of the environments in the thread that synthesized it (checkOutput), then reports them
 * together (enforce), as one check of the whole output would.
 *
 * Synth must stay a function of the commit, so waivers hold here regardless of their date: whether
 * synth writes output never depends on the clock. Expiry is judged by `npm run validate` (CI runs it on
 * every pull request and push), which fails on an expired waiver; synth only prints a note.
 */

/** What checking (part of) the output found: plain data, so a worker thread can hand it over. */
export interface GateResult {
  /** Environments that had files, each with its first file (relative to the output folder): their order in a report. */
  readonly environments: ReadonlyArray<{ readonly name: string | undefined; readonly firstFile: string }>;
  readonly files: ReadonlyArray<string>;
  /** Un-waived error findings, in report order. */
  readonly errors: ReadonlyArray<Finding>;
  /** Expired waivers, one line each, by environment name. */
  readonly expired: ReadonlyArray<{ readonly environment: string; readonly text: string }>;
}

/** Where checkOutput reads, and which environments' facts it uses. */
export interface GateOptions {
  /** The folder holding cdktf.out/ and dist/. */
  readonly output: string;
  readonly environmentsDir: string;
  /** Only these environments' facts (a share's); @default every environment file */
  readonly only?: ReadonlyArray<string>;
  /**
   * The folder paths in findings are given in, when `output` is a staging folder: synth gives '.', so a
   * finding names the file the user opens (`cdktf.out/stacks/...`, `dist/...`), not the staging copy. @default output
   */
  readonly shownAs?: string;
}

/** Checks the synthesized files under `output` against the rules and the environments' waivers. */
export function checkOutput(options: GateOptions): GateResult {
  const outputs = ['cdktf.out', 'dist'].map((d) => path.join(options.output, d));
  const environments = loadEnvironmentFacts(options.environmentsDir, { only: options.only });
  // The apps stacks carry the same chart as dist/ (kubernetes_manifest per object); reading them instead
  // of parsing dist/ YAML again keeps synth fast. dist/ files of environments without them are read.
  const paths = findInputFiles(outputs);
  const names = environments.map((e) => e.name);
  const terraform = paths.filter((p) => p.endsWith('.json')).map(readInputFile);
  const covered = new Set(terraform.filter((f) => f.kubernetes.length > 0).map((f) => environmentOf(f.unit, names)));
  const yaml = paths.filter((p) => !p.endsWith('.json') && !covered.has(environmentOf(yamlUnit(p), names))).map(readInputFile);
  const report = validate([...terraform, ...yaml], { environments });
  const shown = (file: string) => path.join(options.shownAs ?? options.output, path.relative(options.output, file));
  const relative = (file: string) => path.relative(options.output, file);
  const firstFile = new Map<string | undefined, string>();
  for (const file of [...terraform, ...yaml]) {
    const environment = environmentOf(file.unit, names);
    const first = firstFile.get(environment);
    if (first === undefined || relative(file.file) < first) firstFile.set(environment, relative(file.file));
  }
  return {
    environments: report.environments.map((name) => ({ name, firstFile: firstFile.get(name) ?? '' })),
    files: report.files.map(relative),
    errors: failing(report.findings).map((f) => ({ ...f, source: { ...f.source, file: shown(f.source.file) } })),
    expired: expiredWaivers(environments),
  };
}

/** Expired waivers of environments, for the note synth prints (it never fails on them). */
export function expiredWaivers(environments: ReadonlyArray<EnvironmentFacts>): GateResult['expired'] {
  const today = utcDate(new Date());
  return environments.flatMap((e) =>
    e.waivers
      .filter((w) => isExpired(w, today))
      .map((w) => ({ environment: e.name, text: `${e.name}: ${w.rule} ${w.object} (expired ${w.expires})` })),
  );
}

/** The expired waivers of the environments a large synth with --env did not check (the note covers every environment file). */
export function expiredWaiversExcept(environmentsDir: string, checked: ReadonlyArray<string>): GateResult['expired'] {
  const files = fs.readdirSync(environmentsDir).filter((f) => /\.ya?ml$/.test(f));
  const names = [...new Set(files.map((f) => f.replace(/\.ya?ml$/, '')))].filter((n) => !checked.includes(n));
  return names.length > 0 ? expiredWaivers(loadEnvironmentFacts(environmentsDir, { only: names })) : [];
}

/** Refuses the output when any result has un-waived errors (one message for all of them); notes expired waivers. */
export function enforce(results: ReadonlyArray<GateResult>): void {
  // One report, ordered as one check of the whole output orders it: environments by their first file.
  const environments = results.flatMap((r) => r.environments).sort((a, b) => (a.firstFile < b.firstFile ? -1 : a.firstFile > b.firstFile ? 1 : 0));
  const order = new Map(environments.map((e, i) => [e.name, i]));
  const errors = results.flatMap((r) => r.errors).sort((a, b) => (order.get(a.environment) ?? 0) - (order.get(b.environment) ?? 0));
  if (errors.length > 0) {
    const report: Report = { findings: errors, environments: environments.map((e) => e.name), files: results.flatMap((r) => r.files) };
    throw new InputError(
      `Policy: ${errors.length} un-waived error finding(s); fix them or add a waiver to the environment file (docs/guardrails.md):\n` +
        renderHuman(report, { colour: false }),
    );
  }
  const expired = results
    .flatMap((r) => r.expired)
    .sort((a, b) => (a.environment < b.environment ? -1 : a.environment > b.environment ? 1 : 0))
    .map((e) => e.text);
  if (expired.length > 0) console.error(`note: expired waivers (npm run validate fails on them): ${expired.join('; ')}`);
}

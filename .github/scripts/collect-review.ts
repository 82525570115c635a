import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { DiffReport } from '../../scripts/diff/model';
import { stripAnsi } from './plan-summary';
import { fitToSchema, LIMITS, type Count, type ReviewData } from './review-data';

/** Where pr-review's steps left their output. */
export interface ReviewInputs {
  /** `npm run diff --output-dir DIR`: diff.json, exitcode, stderr.txt. */
  readonly offlineDiff?: string;
  readonly cdktfOut: string;
  readonly dist: string;
  /** The plans: `<stack>.txt` and `<stack>.exitcode` per stack (absent: no plan step ran). */
  readonly diffs?: string;
  /** The stacks not planned, `[{ "stack", "reason" }]` (default: `<diffs>/not-planned.json`). */
  readonly notPlanned?: string;
  /** Why no plan was made, when none was. */
  readonly noPlanReason?: string;
}

const readText = (file: string) => stripAnsi(fs.readFileSync(file, 'utf8'));
const errorLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

function counted(names: ReadonlyArray<string>): Count[] {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => ({ name, count }));
}

/**
 * `output` shortened to `limit` characters: its start and end, and from the middle the lines the comment's
 * summary reads (replaced and destroyed addresses, the `Plan:` line, errors).
 */
export function trimOutput(output: string, limit: number): string {
  if (output.length <= limit) return output;
  const head = output.slice(0, Math.floor(limit * 0.4));
  const tail = output.slice(output.length - Math.floor(limit * 0.4));
  const middle = output.slice(head.length, output.length - tail.length);
  const budget = limit - head.length - tail.length - 200;
  const kept: string[] = [];
  let used = 0;
  for (const line of middle.split('\n')) {
    if (!/# \S+ (?:must be replaced|will be replaced|will be destroyed)|Plan: \d+ to add|Error/.test(line) || used + line.length + 1 > budget)
      continue;
    kept.push(line);
    used += line.length + 1;
  }
  const cut = `\n… (${middle.length - used} characters cut here; the full output is in the run's artifact)\n`;
  return [head, cut, ...kept.map((l) => `${l}\n`), tail].join('');
}

function offlineDiff(dir: string): NonNullable<ReviewData['offlineDiff']> {
  const file = (name: string) => path.join(dir, name);
  const exitCode = fs.existsSync(file('exitcode')) ? Number(fs.readFileSync(file('exitcode'), 'utf8').trim()) : 0;
  const code = Number.isInteger(exitCode) && exitCode >= 0 && exitCode <= 255 ? exitCode : 255;
  if ((code === 0 || code === 1) && fs.existsSync(file('diff.json'))) {
    try {
      return { exitCode: code, report: JSON.parse(fs.readFileSync(file('diff.json'), 'utf8')) as DiffReport };
    } catch (error) {
      return { exitCode: code, error: `diff.json is not JSON: ${errorLine(error)}` };
    }
  }
  return { exitCode: code, error: fs.existsSync(file('stderr.txt')) ? readText(file('stderr.txt')).trim() || 'no output' : 'no output' };
}

function synthesized(cdktfOut: string, dist: string, errors: string[]): ReviewData['synthesized'] {
  const manifest = path.join(cdktfOut, 'manifest.json');
  if (!fs.existsSync(manifest)) return { ok: false, stacks: [], manifests: [] };
  const stackNames = Object.keys((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { stacks?: object }).stacks ?? {}).sort();
  const stacks = stackNames.map((name) => {
    try {
      const tf = JSON.parse(fs.readFileSync(path.join(cdktfOut, 'stacks', name, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, object> };
      const types = Object.entries(tf.resource ?? {}).flatMap(([type, byName]) =>
        Object.keys(byName).map(() => type.replace(/^(azurerm|kubernetes)_/, '')),
      );
      return { name, resources: types.length, types: counted(types) };
    } catch (error) {
      errors.push(`stack ${name}: ${errorLine(error)}`);
      return { name, resources: 0, types: [] };
    }
  });
  const files = fs.existsSync(dist)
    ? fs
        .readdirSync(dist)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
    : [];
  const manifests = files.map((file) => {
    const kinds = parseAllDocuments(fs.readFileSync(path.join(dist, file), 'utf8')).map((d) => String((d.toJS() as { kind?: string } | null)?.kind));
    return { file: `dist/${file}`, objects: kinds.length, kinds: counted(kinds) };
  });
  return { ok: true, stacks, manifests };
}

/** plan-stacks.ts's not-planned.json: `[{ "stack", "reason" }]`; a bare stack name is taken too. */
function notPlanned(file: string | undefined, errors: string[]): ReviewData['plans']['notPlanned'] {
  if (!file || !fs.existsSync(file)) return [];
  try {
    const list = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (!Array.isArray(list)) throw new Error('not a list');
    return list.map((item: unknown) => {
      if (typeof item === 'string') return { stack: item };
      const { stack, reason } = (item ?? {}) as { stack?: unknown; reason?: unknown };
      if (typeof stack !== 'string') throw new Error('an item has no stack name');
      return typeof reason === 'string' ? { stack, reason } : { stack };
    });
  } catch (error) {
    errors.push(`${path.basename(file)}: ${errorLine(error)}`);
    return [];
  }
}

function plans(inputs: ReviewInputs, errors: string[]): ReviewData['plans'] {
  const dir = inputs.diffs;
  const ran = dir !== undefined && fs.existsSync(dir);
  const stacks = ran
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.txt'))
        .sort()
        .map((file) => {
          const stack = file.replace(/\.txt$/, '');
          const exitFile = path.join(dir, `${stack}.exitcode`);
          const exitCode = fs.existsSync(exitFile) ? Number(fs.readFileSync(exitFile, 'utf8').trim()) : 1;
          const output = readText(path.join(dir, file));
          return {
            stack,
            exitCode: Number.isInteger(exitCode) && exitCode >= 0 && exitCode <= 255 ? exitCode : 1,
            output: trimOutput(output, LIMITS.plan),
          };
        })
    : [];
  const skipped = notPlanned(inputs.notPlanned ?? (dir ? path.join(dir, 'not-planned.json') : undefined), errors);
  return { ran, stacks, notPlanned: skipped, ...(inputs.noPlanReason === undefined ? {} : { reason: inputs.noPlanReason }) };
}

const bytes = (data: unknown) => Buffer.byteLength(JSON.stringify(data));

/**
 * The review's data from pr-review's output folders, fitted to review.json's limits (docs/diff.md):
 * when the whole is still too large, the values of created and deleted resources go first (the comment
 * shows only their count), then the plans are cut shorter, then the offline diff's report is left out.
 * `dropped`: fields the schema does not know, left out.
 */
export function collectReview(inputs: ReviewInputs): { readonly data: ReviewData; readonly dropped: string[] } {
  const errors: string[] = [];
  const raw: ReviewData = {
    version: 1,
    ...(inputs.offlineDiff ? { offlineDiff: offlineDiff(inputs.offlineDiff) } : {}),
    synthesized: (() => {
      try {
        return synthesized(inputs.cdktfOut, inputs.dist, errors);
      } catch (error) {
        errors.push(`synthesized output: ${errorLine(error)}`);
        return { ok: false, stacks: [], manifests: [] };
      }
    })(),
    plans: plans(inputs, errors),
    errors,
  };
  const dropped: string[] = [];
  let data = fitToSchema(raw, undefined, dropped) as ReviewData;
  const report = data.offlineDiff?.report;
  if (bytes(data) > LIMITS.bytes && report) {
    const changes = report.changes.map((c) =>
      c.action === 'create' || c.action === 'delete'
        ? { ...c, attributes: c.attributes.map(({ path: p, effect, basis }) => ({ path: p, effect, basis })) }
        : c,
    );
    data = { ...data, offlineDiff: { ...data.offlineDiff!, report: { ...report, changes } } };
  }
  if (bytes(data) > LIMITS.bytes) {
    data = { ...data, plans: { ...data.plans, stacks: data.plans.stacks.map((p) => ({ ...p, output: trimOutput(p.output, 4000) })) } };
  }
  if (bytes(data) > LIMITS.bytes && data.offlineDiff) {
    const error = `the offline diff's report is too large for review.json (over ${LIMITS.bytes} bytes); it is in the run's artifact`;
    data = { ...data, offlineDiff: { exitCode: data.offlineDiff.exitCode, error } };
  }
  return { data, dropped };
}

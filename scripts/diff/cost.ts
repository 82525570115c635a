import * as fs from 'node:fs';
import * as path from 'node:path';
import { estimateCost, type CostEstimate, type StackJson as CostStackJson } from '../../cost/estimate';
import { loadSnapshot, SNAPSHOT_FILE, type PriceSnapshot } from '../../cost/prices';
import { loadUsageFile, USAGE_FILE, usageFor, type UsageFile } from '../../cost/usage';
import { quoted } from '../usage.mjs';
import type { SynthOutput } from './compare';
import type { CostLineChange, CostRange, DiffReport, EnvironmentCost, UnpricedItem } from './model';

/*
 * The monthly cost of each environment before and after (cost/estimate.ts on both sides' synthesized
 * stacks), what `--fail-on cost:+20%` decides on, and how amounts read. Both sides are priced with the
 * head's snapshot, so a delta is what the change does, not a price refresh; each side has its own usage
 * assumptions (cost/usage.yaml). docs/diff.md, "Cost".
 */

/** The price snapshot both sides are priced with, and each side's usage file. */
export interface CostInputs {
  readonly prices: PriceSnapshot;
  readonly usage: { readonly before: UsageFile; readonly after: UsageFile };
}

/**
 * The head tree's cost/price-snapshot.json and cost/usage.yaml (the checkout's when the head predates them), and the
 * base tree's usage file (the head's when the base has none or it does not parse: the base is not what is
 * under review). Throws an Error naming the file when the head's do not parse.
 */
export function loadCostInputs(baseTree: string, headTree: string, checkout: string): CostInputs {
  const inHead = (file: string) => (fs.existsSync(path.join(headTree, file)) ? path.join(headTree, file) : path.join(checkout, file));
  let prices: PriceSnapshot;
  let after: UsageFile;
  try {
    prices = loadSnapshot(inHead(SNAPSHOT_FILE));
    after = loadUsageFile(inHead(USAGE_FILE));
  } catch (error) {
    // Named from the tree's top (cost/price-snapshot.json), not by the temporary folder the diff made.
    const message = (error as Error).message.replaceAll(`${headTree}${path.sep}`, '').replaceAll(`${checkout}${path.sep}`, '');
    throw new Error(message, { cause: error });
  }
  let before = after;
  try {
    if (fs.existsSync(path.join(baseTree, USAGE_FILE))) before = loadUsageFile(path.join(baseTree, USAGE_FILE));
  } catch {
    // Priced with the head's usage, as when the base has no usage file.
  }
  return { prices, usage: { before, after } };
}

type Stacks = { readonly platform: CostStackJson; readonly apps?: CostStackJson };

/** An environment's stacks in one synth output; undefined when it has no platform stack there. */
function stacksOf(output: SynthOutput, environment: string): Stacks | undefined {
  const platform = output.stacks.get(`platform-${environment}`) as CostStackJson | undefined;
  return platform && { platform, apps: output.stacks.get(`apps-${environment}`) as CostStackJson | undefined };
}

/** The estimate's lines by id (an id seen twice gets `#2`, so no line hides another). */
function linesById(estimate: CostEstimate | undefined): Map<string, { description: string; range: CostRange }> {
  const byId = new Map<string, { description: string; range: CostRange }>();
  for (const line of estimate?.lines ?? []) {
    let id = line.id;
    for (let n = 2; byId.has(id); n++) id = `${line.id}#${n}`;
    byId.set(id, { description: line.description, range: { min: line.monthlyMin, max: line.monthlyMax } });
  }
  return byId;
}

const sameRange = (a: CostRange | null, b: CostRange | null) => a?.min === b?.min && a?.max === b?.max;

/** Both sides' estimates of one environment, compared line by line; the unpriced items of each side, named. */
export function compareCost(before: CostEstimate | undefined, after: CostEstimate | undefined, prices: PriceSnapshot): EnvironmentCost {
  const old = linesById(before);
  const now = linesById(after);
  const lines: CostLineChange[] = [];
  for (const id of new Set([...now.keys(), ...old.keys()])) {
    const b = old.get(id);
    const a = now.get(id);
    const line = { id, description: (a ?? b)!.description, before: b?.range ?? null, after: a?.range ?? null };
    if (!sameRange(line.before, line.after) || b?.description !== a?.description) lines.push(line);
  }
  const unpricedBefore = new Map((before?.unpriced ?? []).map((u) => [u.id, u]));
  const unpricedAfter = new Map((after?.unpriced ?? []).map((u) => [u.id, u]));
  const unpriced: UnpricedItem[] = [
    ...[...unpricedAfter.values()].map((u) => ({ id: u.id, what: u.what, why: u.why, side: unpricedBefore.has(u.id) ? 'both' : 'after' }) as const),
    ...[...unpricedBefore.values()]
      .filter((u) => !unpricedAfter.has(u.id))
      .map((u) => ({ id: u.id, what: u.what, why: u.why, side: 'before' }) as const),
  ];
  const totals = (e: CostEstimate | undefined) => (e ? { min: e.min, max: e.max, partial: e.partial } : null);
  return { before: totals(before), after: totals(after), currency: prices.currencyCode, pricesAsOf: prices.pricesAsOf, lines, unpriced };
}

/** The report with each environment's cost (and nothing else changed). */
export function withCost(report: DiffReport, base: SynthOutput, head: SynthOutput, inputs: CostInputs): DiffReport {
  const estimate = (output: SynthOutput, usage: UsageFile, name: string) => {
    const stacks = stacksOf(output, name);
    return stacks && estimateCost(stacks, usageFor(usage, name), inputs.prices);
  };
  return {
    ...report,
    environments: report.environments.map((e) => {
      const before = estimate(base, inputs.usage.before, e.name);
      const after = estimate(head, inputs.usage.after, e.name);
      return before || after ? { ...e, cost: compareCost(before, after, inputs.prices) } : e;
    }),
  };
}

/** A `--fail-on cost:…` item: a rise of more than `amount` percent, or more than `amount` in the snapshot's currency a month. */
export interface CostThreshold {
  readonly item: string;
  readonly amount: number;
  readonly percent: boolean;
}

const THRESHOLD = /^cost:\+?(\d+(?:\.\d+)?)(%?)$/;

/** `--fail-on` items starting with `cost:` as thresholds; an error names the first malformed one. */
export function parseCostThresholds(items: ReadonlyArray<string>): { readonly thresholds: CostThreshold[] } | { readonly error: string } {
  const thresholds: CostThreshold[] = [];
  for (const item of items.filter((i) => i.startsWith('cost:'))) {
    const m = THRESHOLD.exec(item);
    if (!m)
      return {
        error: `--fail-on ${quoted(item)} is not a cost threshold; write cost:+20% (a monthly cost rising more than 20 %) or cost:+500 (more than 500 in the price snapshot's currency)`,
      };
    thresholds.push({ item, amount: Number(m[1]), percent: m[2] === '%' });
  }
  return { thresholds };
}

/**
 * The environments whose monthly min or max rises by more than a threshold, one line each. An added
 * environment rises from 0. What the head leaves unpriced and the base priced is a rise nobody can
 * measure: it matches too, as does a cost that could not be computed at all.
 */
export function costGate(report: DiffReport, thresholds: ReadonlyArray<CostThreshold>): string[] {
  if (thresholds.length === 0) return [];
  if (report.costError !== undefined) return [`cost not computed (${thresholds.map((t) => t.item).join(', ')}): ${report.costError}`];
  const hits: string[] = [];
  for (const env of report.environments) {
    const cost = env.cost;
    if (!cost?.after) continue;
    for (const t of thresholds) {
      for (const bound of ['min', 'max'] as const) {
        const before = cost.before?.[bound] ?? 0;
        const after = cost.after[bound];
        const rise = round(after - before);
        const over = t.percent ? (before > 0 ? round((rise / before) * 100) > t.amount : rise > 0) : rise > t.amount;
        if (over)
          hits.push(
            `${env.name}: monthly ${bound} ${money(before)} → ${money(after)} ${cost.currency} (${signed(rise)}${before > 0 ? `, ${signed(round((rise / before) * 100), 1)} %` : ''}) rises more than ${t.item.slice(5)}`,
          );
      }
      const newly = cost.unpriced.filter((u) => u.side === 'after');
      if (newly.length)
        hits.push(
          `${env.name}: ${t.item} cannot be checked: unpriced after the change, priced or absent before: ${newly.map((u) => u.what).join('; ')}`,
        );
    }
  }
  return [...new Set(hits)];
}

/** Money to a millionth, as the estimate rounds it: no float noise in a difference. */
const round = (amount: number) => Math.round(amount * 1e6) / 1e6;

/** An amount as it reads: grouped, whole above 100, else up to 2 decimals; the same on every machine (en-US). */
export function money(amount: number, decimals = Math.abs(amount) >= 100 ? 0 : 2): string {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: decimals }).format(amount);
}

/** `+28`, `-812`, `±0`. */
export function signed(amount: number, decimals?: number): string {
  const shown = money(Math.abs(amount), decimals);
  return shown === '0' ? '±0' : `${amount > 0 ? '+' : '-'}${shown}`;
}

/** `812–1,204`, or `73` when min and max agree. */
export function range(r: CostRange): string {
  return money(r.min) === money(r.max) ? money(r.min) : `${money(r.min)}–${money(r.max)}`;
}

/** `(+28 / +446)`, or `(+73)` when min and max move alike. */
export function delta(before: CostRange | null, after: CostRange | null): string {
  const min = signed(round((after?.min ?? 0) - (before?.min ?? 0)));
  const max = signed(round((after?.max ?? 0) - (before?.max ?? 0)));
  return min === max ? `(${min})` : `(${min} / ${max})`;
}

/** One line per environment, plain text: `812–1,204 USD/month → 840–1,650 (+28 / +446); partial: …`. */
export function costHeadline(cost: EnvironmentCost): string {
  const unit = `${cost.currency}/month`;
  const main = !cost.before
    ? `new: ${range(cost.after!)} ${unit}`
    : !cost.after
      ? `${range(cost.before)} ${unit} → removed ${delta(cost.before, null)}`
      : sameRange(cost.before, cost.after)
        ? `${range(cost.after)} ${unit}, unchanged`
        : `${range(cost.before)} ${unit} → ${range(cost.after)} ${delta(cost.before, cost.after)}`;
  const partial = cost.before?.partial === true || cost.after?.partial === true;
  return partial ? `${main}; partial: ${cost.unpriced.length} unpriced, not counted` : main;
}

/** Whether anything in the environment's cost changed: a total, a line or what is unpriced. */
export const costChanged = (cost: EnvironmentCost) =>
  !sameRange(cost.before, cost.after) || cost.lines.length > 0 || cost.unpriced.some((u) => u.side !== 'both');

/** A line's before or after for a table: its range, or `–` on the side without it. */
export const lineRange = (r: CostRange | null) => (r ? range(r) : '–');

/*
 * The committed price snapshot (cost/price-snapshot.json): rows in the shape of the Azure Retail Prices API
 * (https://prices.azure.com/api/retail/prices), one currency for the file, each row with the OData $filter
 * that fetches it, when it was read and where from. `npm run prices -- --refresh` rebuilds it from the API
 * (cost/refresh.ts); docs/cost.md says what it holds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';

/** The snapshot's file, from the project root (npm scripts and jest run there). */
export const SNAPSHOT_FILE = 'cost/price-snapshot.json';

/** The API's region for meters priced the same everywhere (e.g. 'Standard Private Endpoint'). */
export const GLOBAL_REGION = 'Global';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?Z)?$/, 'an ISO date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)');

const entrySchema = z.strictObject({
  /** The API's meter GUID; null where the published source that a hand-sourced row comes from names none. */
  meterId: z.string().min(1).nullable(),
  serviceName: z.string().min(1),
  productName: z.string().min(1),
  skuName: z.string(),
  meterName: z.string().min(1),
  /** An Azure region (`westeurope`), 'Global', or '' for the API's region-less meters. */
  armRegionName: z.string(),
  armSkuName: z.string(),
  unitOfMeasure: z.string().min(1),
  /** The row applies from this many units on (tiered meters have one row per tier). */
  tierMinimumUnits: z.number().min(0),
  retailPrice: z.number().min(0),
  effectiveStartDate: isoDate.nullable(),
  /** When the row was read: from the API by a refresh, or from its published source by hand. */
  fetchedAt: isoDate,
  /** The OData $filter (priceType eq 'Consumption' included) that returns this row from the API. */
  filter: z.string().min(1),
  /** Where the figure comes from: the API's URL, or the published page or file it was taken from, with its date. */
  source: z.string().min(1),
});

const snapshotSchema = z.strictObject({
  /** One currency for every row (the API's currencyCode; USD unless `--currency`). */
  currencyCode: z.string().regex(/^[A-Z]{3}$/),
  /**
   * 'refreshed': built by `npm run prices -- --refresh` from the API, covering every VM size and region the schema
   * allows. 'hand-sourced': figures taken by hand from published sources, covering only what could be sourced.
   */
  coverage: z.enum(['refreshed', 'hand-sourced']),
  entries: z.array(entrySchema),
});

export type PriceEntry = z.infer<typeof entrySchema>;
export type PriceSnapshotFile = z.infer<typeof snapshotSchema>;

/** A validated snapshot, with the date its prices are as of: its oldest row's fetchedAt. */
export interface PriceSnapshot extends PriceSnapshotFile {
  readonly pricesAsOf: string;
}

/** A snapshot that does not validate: the file and every problem, one per line. */
export class PriceSnapshotError extends Error {
  readonly isInputError = true;
  constructor(message: string) {
    super(message);
    this.name = 'PriceSnapshotError';
  }
}

/** Sort key of a row: the file keeps rows in this order, so a refresh's diff reads row by row. */
export function entryKey(e: PriceEntry): string {
  return [
    e.serviceName,
    e.productName,
    e.armSkuName,
    e.meterName,
    e.skuName,
    e.armRegionName,
    String(e.tierMinimumUnits).padStart(12, '0'),
    e.meterId ?? '',
  ]
    .join('\u0000')
    .toLowerCase();
}

/** Rows sorted by entryKey, duplicates (same row twice) dropped. */
export function sortEntries(entries: ReadonlyArray<PriceEntry>): PriceEntry[] {
  const unique = new Map<string, PriceEntry>();
  for (const e of entries) unique.set(`${entryKey(e)}\u0000${e.retailPrice}`, e);
  return [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
}

/** A snapshot from its parsed JSON; throws a PriceSnapshotError naming every problem. */
export function parseSnapshot(data: unknown, file = SNAPSHOT_FILE): PriceSnapshot {
  const parsed = snapshotSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new PriceSnapshotError(`${file} is not a valid price snapshot:\n${problems.join('\n')}`);
  }
  const snapshot = parsed.data;
  const problems: string[] = [];
  const keys = snapshot.entries.map(entryKey);
  keys.forEach((key, i) => {
    if (i > 0 && keys[i - 1] > key)
      problems.push(`  entries.${i}: out of order (the file keeps rows sorted; npm run prices -- --refresh writes it so)`);
    if (i > 0 && keys[i - 1] === key && snapshot.entries[i - 1].retailPrice === snapshot.entries[i].retailPrice)
      problems.push(`  entries.${i}: the same row as entries.${i - 1}`);
  });
  if (problems.length > 0) throw new PriceSnapshotError(`${file} is not a valid price snapshot:\n${problems.join('\n')}`);
  const dates = snapshot.entries.map((e) => e.fetchedAt.slice(0, 10)).sort();
  return { ...snapshot, pricesAsOf: dates[0] ?? 'never' };
}

/** The snapshot in `file` (default cost/price-snapshot.json, from the working directory). */
export function loadSnapshot(file = SNAPSHOT_FILE): PriceSnapshot {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(file), 'utf8');
  } catch (error) {
    throw new PriceSnapshotError(`cannot read the price snapshot ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PriceSnapshotError(`${file} is not JSON: ${(error as Error).message}`);
  }
  return parseSnapshot(data, file);
}

/** The file's text for a snapshot: rows sorted, two-space JSON (the formatter leaves it as it is), a final newline. */
export function snapshotText(snapshot: PriceSnapshotFile): string {
  const out: PriceSnapshotFile = { currencyCode: snapshot.currencyCode, coverage: snapshot.coverage, entries: sortEntries(snapshot.entries) };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Writes the snapshot atomically: a temporary file beside it, then a rename, so a failed run leaves the old file. */
export function writeSnapshot(snapshot: PriceSnapshotFile, file = SNAPSHOT_FILE): void {
  const target = path.resolve(file);
  const temporary = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, snapshotText(snapshot));
  try {
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

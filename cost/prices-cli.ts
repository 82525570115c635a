/*
 * `npm run prices -- [--refresh] [--currency CODE] [--file FILE] [--help]`: what the price snapshot holds, or
 * (--refresh) a new snapshot from the Azure Retail Prices API, written atomically (docs/cost.md).
 */
import { loadSnapshot, PriceSnapshotError, SNAPSHOT_FILE, writeSnapshot, type PriceSnapshot, type PriceSnapshotFile } from './prices';
import { refreshSnapshot, RETAIL_PRICES_URL, type FetchLike } from './refresh';
import { commandLineOrExitCode, parseArgs, quoted } from '../scripts/usage.mjs';

export const USAGE = `usage: npm run prices -- [--refresh] [--currency CODE] [--file FILE] [--help]

Prints what the price snapshot (${SNAPSHOT_FILE}) holds: rows by service, currency, and the date its prices
are as of. The cost estimate (cost/estimate.ts) prices the synthesized stacks from it.

  --refresh        rebuild the snapshot from ${RETAIL_PRICES_URL}: every Linux VM size of
                   config/vm-sizes.ts in every region of config/azure-facts.ts, and the meters of the other
                   resources (pay-as-you-go rows only; no Windows, Spot or Low Priority rows); the file is
                   replaced only when every query succeeded
  --currency CODE  the currency of a refresh (ISO 4217, e.g. EUR; default USD)
  --file FILE      another snapshot file (default ${SNAPSHOT_FILE})
  --help           this text`;

const OPTIONS = { '--refresh': 'flag', '--currency': 'value', '--file': 'value' } as const;

/** The text summary of a snapshot: one line per service. */
export function renderSummary(snapshot: PriceSnapshot, file: string): string {
  const byService = new Map<string, number>();
  for (const e of snapshot.entries) byService.set(e.serviceName, (byService.get(e.serviceName) ?? 0) + 1);
  const regions = new Set(snapshot.entries.map((e) => e.armRegionName)).size;
  const width = Math.max(0, ...[...byService.keys()].map((s) => s.length));
  return [
    `${file}: ${snapshot.entries.length} prices in ${snapshot.currencyCode}, ${regions} regions, as of ${snapshot.pricesAsOf} (${snapshot.coverage})`,
    ...[...byService.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([service, n]) => `  ${service.padEnd(width)}  ${n}`),
  ]
    .map((line) => `${line}\n`)
    .join('');
}

/** Runs the command; returns the exit code (--help 0, a bad command line 2). A failed refresh throws and leaves the file. */
export async function runPrices(
  args: ReadonlyArray<string>,
  io: { out: (text: string) => void; err: (text: string) => void },
  deps: { fetch: FetchLike; now?: () => Date } = { fetch: (url) => fetch(url) },
): Promise<number> {
  const lines = { out: (line: string) => io.out(`${line}\n`), err: (line: string) => io.err(`${line}\n`) };
  const commandLine = commandLineOrExitCode(parseArgs(args, OPTIONS), USAGE, lines);
  if (typeof commandLine === 'number') return commandLine;
  const { options } = commandLine;
  const file = options.file ?? SNAPSHOT_FILE;
  if (options.currency !== undefined && !/^[A-Z]{3}$/.test(options.currency)) {
    return commandLineOrExitCode({ error: `--currency ${quoted(options.currency)} is not an ISO 4217 code such as USD or EUR` }, USAGE, lines);
  }
  if (!options.refresh) {
    if (options.currency !== undefined)
      return commandLineOrExitCode({ error: '--currency applies to --refresh (a snapshot holds one currency)' }, USAGE, lines);
    io.out(renderSummary(loadSnapshot(file), file));
    return 0;
  }
  const started = Date.now();
  const snapshot: PriceSnapshotFile = await refreshSnapshot({
    fetch: deps.fetch,
    currency: options.currency ?? 'USD',
    now: deps.now?.(),
    onProgress: (done, total, kept) => {
      if (done === total || done % 20 === 0) io.err(`queried ${done}/${total}, ${kept} prices kept\n`);
    },
  });
  if (snapshot.entries.length === 0) throw new PriceSnapshotError(`the API returned no prices; ${file} is left as it was`);
  writeSnapshot(snapshot, file);
  io.out(renderSummary(loadSnapshot(file), file));
  io.err(`refreshed in ${Math.round((Date.now() - started) / 1000)} s\n`);
  return 0;
}

// `npm run prices`: `node scripts/run-app.mjs cost/prices-cli.ts ARGS` (the entry is the first argument).
if (process.argv[2]?.endsWith('cost/prices-cli.ts')) {
  runPrices(process.argv.slice(3), { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error((error as { isInputError?: boolean }).isInputError ? `npm run prices: ${(error as Error).message}` : error);
      process.exitCode = 1;
    },
  );
}

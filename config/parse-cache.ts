import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';

/*
 * Environment files checked in an earlier run. Parsing a file's YAML and checking it against the schema
 * (and building the schema first) is about a tenth of a warm synth, for files that rarely change. This
 * keeps what that step gives for a file's exact bytes: the schema's output and the lines of its
 * top-level lists. The checks across fields (crossFieldProblems) still run on every load.
 *
 * Only a bundled synth uses it: scripts/bundle.mjs names the folder, inside the bundle's own cache entry,
 * while an app runs (see PARSE_CACHE_GLOBAL). That entry's name is a hash of all of the code, so a kept
 * result never outlives the code that made it. Each file holds a SHA-256 of its content and is written under a temporary name and
 * renamed: a damaged file is parsed again, never trusted, and concurrent runs see a whole file or none.
 */

/**
 * Where the folder is named: `globalThis[Symbol.for(PARSE_CACHE_GLOBAL)]`, set by scripts/bundle.mjs around
 * each app of a bundled synth (a global, not an environment variable: nobody names one by hand, no child
 * process inherits it). Unset: nothing is kept.
 */
export const PARSE_CACHE_GLOBAL = 'aks-environments.parse-cache-dir';

/** Files kept per bundle: each edit of an environment file adds one. */
const KEEP_FILES = 64;

const HASH_BYTES = 32;

/** What parsing and checking one environment file gives, before its name is added. */
export interface ParsedFile {
  /** The schema's output. */
  readonly data: unknown;
  /** Line of each entry of each top-level list, e.g. `waivers`. */
  readonly listLines: Readonly<Record<string, number[]>>;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();

function cacheFile(bytes: Uint8Array): string | undefined {
  const dir = (globalThis as Record<symbol, unknown>)[Symbol.for(PARSE_CACHE_GLOBAL)];
  if (typeof dir !== 'string' || dir === '') return undefined;
  // V8's version too: the serialization format is V8's.
  const key = createHash('sha256').update(`${process.versions.v8}\0`).update(bytes).digest('hex').slice(0, 32);
  return path.join(dir, `${key}.bin`);
}

/** What an earlier run kept for a file of exactly these bytes, or undefined (none, damaged, or no folder). */
export function readParsed(bytes: Uint8Array): ParsedFile | undefined {
  const file = cacheFile(bytes);
  if (!file) return undefined;
  try {
    const stored = fs.readFileSync(file);
    const payload = stored.subarray(HASH_BYTES);
    if (stored.length <= HASH_BYTES || !sha256(payload).equals(stored.subarray(0, HASH_BYTES))) return undefined;
    return deserialize(payload) as ParsedFile;
  } catch {
    return undefined;
  }
}

/** Keeps what parsing a file of these bytes gave, when a bundled synth runs; a failure to write only costs the next run a parse. */
export function storeParsed(bytes: Uint8Array, parsed: ParsedFile): void {
  const file = cacheFile(bytes);
  if (!file) return;
  try {
    const payload = serialize(parsed);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${process.hrtime.bigint()}.tmp`;
    fs.writeFileSync(temporary, Buffer.concat([sha256(payload), payload]));
    fs.renameSync(temporary, file);
    prune(path.dirname(file), path.basename(file));
  } catch {
    // A folder removed meanwhile, or a read-only one: the next run parses again.
  }
}

/** Removes the oldest files beyond KEEP_FILES (never the one just written), and temporary files of runs that died. */
function prune(dir: string, written: string): void {
  const names = fs.readdirSync(dir).filter((name) => name !== written);
  if (names.length < KEEP_FILES) return;
  const stat = (name: string) => fs.statSync(path.join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const byAge = names.map((name) => ({ name, mtime: stat(name) })).sort((a, b) => b.mtime - a.mtime);
  for (const { name } of byAge.slice(KEEP_FILES - 1)) fs.rmSync(path.join(dir, name), { force: true });
}

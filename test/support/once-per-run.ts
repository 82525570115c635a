import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { memoKey } from './memo';

/*
 * A folder made once per jest run and shared by every worker thread that asks for it with the same input
 * (the in-process synth output, the e2e tier's `npm run synth`): the first caller makes it, the others use
 * it. It lives in the run's TMPDIR (temp-dir.cjs), so nothing is reused across runs.
 * - The first caller claims the input (an atomic mkdir), makes the folder under a temporary name and
 *   renames it into place whole; a later caller that finds it uses it, one that comes while it is being
 *   made waits for it. A caller that finds the maker failed, or waits longer than `waitMs`, makes its own.
 * - The input is part of the name (memo.ts's key, hashed): different input, different folder.
 * - The folder is shared and must be read only (copy it to change it): a digest of its files is taken when
 *   it is made and checked on every call, so a test that wrote into it fails the next caller, not silently
 *   a later assertion.
 */
const WAIT_MS = 120_000;
const POLL_MS = 20;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** A digest of every file under `dir`: relative paths and contents. */
export function folderDigest(dir: string): string {
  const hash = createHash('sha256');
  const files = fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
  for (const file of files) hash.update(`${file}\0`).update(sha256(fs.readFileSync(path.join(dir, file))));
  return hash.digest('hex');
}

interface Paths {
  /** The folder, once it is complete. */
  readonly folder: string;
  /** Created by the caller that makes it. */
  readonly claim: string;
  /** Written by that caller when making failed. */
  readonly failed: string;
}

function pathsOf(name: string, input: unknown): Paths {
  const base = path.join(os.tmpdir(), `${name}-${sha256(memoKey(input)).slice(0, 16)}`);
  return { folder: base, claim: `${base}.claim`, failed: `${base}.failed` };
}

/** Digests of the folders made in this thread or found made, keyed by folder. */
const digests = new Map<string, string>();

function checked(folder: string): string {
  const recorded = digests.get(folder) ?? fs.readFileSync(`${folder}.sha256`, 'utf8');
  if (folderDigest(folder) !== recorded) {
    throw new Error(`${folder} was changed after it was made: it is shared by the test files of this run; copy it before changing it`);
  }
  digests.set(folder, recorded);
  return folder;
}

function claimed(paths: Paths): boolean {
  try {
    fs.mkdirSync(paths.claim);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Moves a finished `temporary` folder into place, digest first, so a caller that sees the folder finds its digest. */
function publish(paths: Paths, temporary: string): string {
  const digest = folderDigest(temporary);
  fs.writeFileSync(`${paths.folder}.sha256.tmp`, digest);
  fs.renameSync(`${paths.folder}.sha256.tmp`, `${paths.folder}.sha256`);
  fs.renameSync(temporary, paths.folder);
  digests.set(paths.folder, digest);
  return paths.folder;
}

type State = 'made' | 'failed' | 'pending';
const state = (paths: Paths): State => (fs.existsSync(paths.folder) ? 'made' : fs.existsSync(paths.failed) ? 'failed' : 'pending');

/** A folder of its own for a caller that could not use the shared one. */
const ownFolder = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `${name}-own-`));

export interface OncePerRunOptions {
  /** How long a caller waits for another one making the folder before it makes its own. */
  readonly waitMs?: number;
}

type Step = { readonly make: string } | { readonly sleepMs: number };

/** The steps of one call, the same for a synchronous and an asynchronous `make`; returns the folder. */
function* steps(name: string, input: unknown, waitMs: number): Generator<Step, string, void> {
  const paths = pathsOf(name, input);
  if (state(paths) === 'made') return checked(paths.folder);
  if (claimed(paths)) {
    const temporary = ownFolder(name);
    try {
      yield { make: temporary };
    } catch (error) {
      fs.writeFileSync(paths.failed, String(error));
      throw error;
    }
    return publish(paths, temporary);
  }
  for (const deadline = Date.now() + waitMs; state(paths) === 'pending' && Date.now() < deadline;) yield { sleepMs: POLL_MS };
  if (state(paths) === 'made') return checked(paths.folder);
  const own = ownFolder(name);
  yield { make: own };
  digests.set(own, folderDigest(own));
  return checked(own);
}

/**
 * The folder `make(dir)` fills for `input`, made once per run by the first caller in any worker thread. A
 * caller that waits for another sleeps its thread: it is a test file's beforeAll, with nothing else to do.
 */
export function oncePerRun(name: string, input: unknown, make: (dir: string) => void, { waitMs = WAIT_MS }: OncePerRunOptions = {}): string {
  const run = steps(name, input, waitMs);
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let step = run.next(); ;) {
    if (step.done) return step.value;
    if ('sleepMs' in step.value) {
      Atomics.wait(sleeper, 0, 0, step.value.sleepMs);
      step = run.next();
      continue;
    }
    try {
      make(step.value.make);
    } catch (error) {
      step = run.throw(error);
      continue;
    }
    step = run.next();
  }
}

/** oncePerRun for an asynchronous `make` (one that runs a process); a caller waits on the event loop. */
export async function oncePerRunAsync(
  name: string,
  input: unknown,
  make: (dir: string) => Promise<void>,
  { waitMs = WAIT_MS }: OncePerRunOptions = {},
): Promise<string> {
  const run = steps(name, input, waitMs);
  for (let step = run.next(); ;) {
    if (step.done) return step.value;
    if ('sleepMs' in step.value) {
      const ms = step.value.sleepMs;
      await new Promise((resolve) => setTimeout(resolve, ms));
      step = run.next();
      continue;
    }
    try {
      await make(step.value.make);
    } catch (error) {
      step = run.throw(error);
      continue;
    }
    step = run.next();
  }
}

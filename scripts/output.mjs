// How `npm run synth` replaces cdktf.out/ and dist/ without ever leaving half of one.
//
// Each run synthesizes into its own staging folder, `.synth-staging-<pid>/new/`. Only when everything
// succeeded does it take a short lock (`.synth.lock`) and swap each folder: rename the old one into the
// staging folder, rename the new one into place, and delete the old one after the lock is released. A
// rename is atomic, so a folder is always the complete old or the complete new output. A run killed
// between the two renames leaves the folder missing; the next run (even one that fails) finishes that
// swap from the killed run's staging folder under the same lock, then removes the leftovers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { isAlive } from './bundle.mjs';

export const OUTPUTS = ['cdktf.out', 'dist'];
const STAGING_PREFIX = '.synth-staging-';
const LOCK = '.synth.lock';
/** A swap takes milliseconds; a lock held this long belongs to a stuck process. */
const LOCK_TIMEOUT_MS = 60_000;

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const exists = (file) => fs.existsSync(file);

/** This run's staging folder in `root`; output goes to `<staging>/new/<folder>`. */
export function createStaging(root) {
  const dir = path.join(root, `${STAGING_PREFIX}${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true }); // left by an earlier process with the same id
  fs.mkdirSync(path.join(dir, 'new'), { recursive: true });
  return dir;
}

export function removeStaging(staging) {
  fs.rmSync(staging, { recursive: true, force: true });
}

/** Runs `fn` holding the output lock of `root`; waits while another run holds it, breaks it when its owner is dead. */
export function withLock(root, fn, log = console.error) {
  const lock = path.join(root, LOCK);
  const started = Date.now();
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(readText(lock) ?? '', 10);
    if (!isAlive(owner)) {
      breakStaleLock(lock, owner);
      continue;
    }
    if (Date.now() - started > LOCK_TIMEOUT_MS) {
      throw Object.assign(
        new Error(
          `another synth (pid ${owner}) has held ${lock} for over ${LOCK_TIMEOUT_MS / 1000} s; ` +
            `if that process is stuck, stop it (kill ${owner}) and run again`,
        ),
        { isInputError: true },
      );
    }
    if (!announced) log(`waiting for another synth (pid ${owner}) to finish writing ${root === '.' ? 'the output' : root}`);
    announced = true;
    sleep(20);
  }
  try {
    return fn();
  } finally {
    if (Number.parseInt(readText(lock) ?? '', 10) === process.pid) fs.rmSync(lock, { force: true });
  }
}

function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Moves a dead owner's lock aside; if another run took the lock in the meantime, puts that one back. */
function breakStaleLock(lock, deadOwner) {
  const aside = `${lock}.stale-${process.pid}`;
  try {
    fs.renameSync(lock, aside);
  } catch (error) {
    if (error.code === 'ENOENT') return; // another run broke it first
    throw error;
  }
  const owner = Number.parseInt(readText(aside) ?? '', 10);
  if (owner !== deadOwner && isAlive(owner)) {
    try {
      fs.linkSync(aside, lock);
    } catch {
      // A third run took the lock in the meantime; it holds it now (releases check the owner's pid).
    }
  }
  fs.rmSync(aside, { force: true });
}

/** Replaces `target` by `next` with two renames; the old folder goes to `aside` (deleted with the staging folder). */
function replaceFolder(target, next, aside) {
  fs.mkdirSync(path.dirname(aside), { recursive: true });
  fs.rmSync(aside, { recursive: true, force: true });
  if (exists(target)) fs.renameSync(target, aside);
  fs.renameSync(next, target);
}

/**
 * Under the lock, before any swap: finishes the swap of a run that was killed after its output was
 * complete (so cdktf.out/ and dist/ stay from the same run), and removes staging folders of runs that are
 * no longer alive. Returns what it restored, for the log.
 */
export function recoverAndClean(root) {
  const restored = [];
  for (const name of fs.readdirSync(root)) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const pid = Number(name.slice(STAGING_PREFIX.length));
    if (pid === process.pid || isAlive(pid)) continue;
    const staging = path.join(root, name);
    if (exists(path.join(staging, 'complete'))) {
      for (const folder of OUTPUTS) {
        const next = path.join(staging, 'new', folder);
        if (!exists(next)) continue; // swapped in before the kill
        replaceFolder(path.join(root, folder), next, path.join(staging, 'old', `${folder}-recovered`));
        restored.push(`${folder}/`);
      }
    }
    fs.rmSync(staging, { recursive: true, force: true });
  }
  for (const name of fs.readdirSync(root)) {
    if (name.startsWith(`${LOCK}.stale-`) && !isAlive(Number(name.split('-').pop()))) fs.rmSync(path.join(root, name), { force: true });
  }
  return restored;
}

/**
 * Under the lock: swaps each staged folder into `root`. Returns the folders replaced; on an error,
 * `error.replaced` says which were replaced before it.
 */
export function swapIn(root, staging) {
  fs.writeFileSync(path.join(staging, 'complete'), '');
  const replaced = [];
  try {
    for (const folder of OUTPUTS) {
      const next = path.join(staging, 'new', folder);
      if (!exists(next)) continue;
      replaceFolder(path.join(root, folder), next, path.join(staging, 'old', folder));
      replaced.push(folder);
    }
  } catch (error) {
    error.replaced = replaced;
    throw error;
  }
  return replaced;
}

/** Links (or copies) a file tree; cheap, and the original stays whole until it is swapped out. */
export function linkTree(from, to) {
  const stat = fs.lstatSync(from);
  if (stat.isDirectory()) {
    fs.mkdirSync(to, { recursive: true });
    for (const name of fs.readdirSync(from)) linkTree(path.join(from, name), path.join(to, name));
  } else if (stat.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(from), to);
  } else {
    try {
      fs.linkSync(from, to);
    } catch {
      fs.copyFileSync(from, to);
    }
  }
}

/** Writes cdktf's manifest.json as cdktf does (json-stable-stringify, cdktf's own copy), so a merged one is byte-identical to a full synth's. */
function writeCdktfManifest(project, cdktfOut, manifest) {
  const cdktf = createRequire(path.join(project, 'package.json')).resolve('cdktf');
  const stringify = createRequire(cdktf)('json-stable-stringify');
  fs.writeFileSync(path.join(cdktfOut, 'manifest.json'), stringify(manifest, { space: 2 }));
}

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

/** Moves the stacks and manifests of partial outputs (one per worker) into one output with one cdktf manifest. */
export function mergeParts(project, parts, into) {
  fs.mkdirSync(path.join(into, 'cdktf.out', 'stacks'), { recursive: true });
  fs.mkdirSync(path.join(into, 'dist'), { recursive: true });
  let manifest;
  for (const part of parts) {
    const partManifest = readJson(path.join(part, 'cdktf.out', 'manifest.json'));
    manifest = manifest ? { ...manifest, stacks: { ...manifest.stacks, ...partManifest.stacks } } : partManifest;
    for (const stack of fs.readdirSync(path.join(part, 'cdktf.out', 'stacks'))) {
      fs.renameSync(path.join(part, 'cdktf.out', 'stacks', stack), path.join(into, 'cdktf.out', 'stacks', stack));
    }
    for (const file of fs.readdirSync(path.join(part, 'dist'))) fs.renameSync(path.join(part, 'dist', file), path.join(into, 'dist', file));
  }
  writeCdktfManifest(project, path.join(into, 'cdktf.out'), manifest);
}

/** With --env: the staged output (`next`) gets the other environments' stacks and manifests from the current output in `root`. */
export function keepOtherEnvironments(project, root, next) {
  const current = (folder) => path.join(root, folder);
  if (exists(path.join(current('cdktf.out'), 'stacks'))) {
    const oldManifest = readJson(path.join(current('cdktf.out'), 'manifest.json'));
    const newManifest = readJson(path.join(next, 'cdktf.out', 'manifest.json'));
    for (const stack of fs.readdirSync(path.join(current('cdktf.out'), 'stacks'))) {
      if (newManifest.stacks[stack]) continue;
      linkTree(path.join(current('cdktf.out'), 'stacks', stack), path.join(next, 'cdktf.out', 'stacks', stack));
      if (oldManifest.stacks?.[stack]) newManifest.stacks[stack] = oldManifest.stacks[stack];
    }
    writeCdktfManifest(project, path.join(next, 'cdktf.out'), newManifest);
  }
  if (exists(current('dist'))) {
    fs.mkdirSync(path.join(next, 'dist'), { recursive: true });
    const fresh = new Set(fs.readdirSync(path.join(next, 'dist')));
    for (const file of fs.readdirSync(current('dist'))) {
      if (!fresh.has(file)) linkTree(path.join(current('dist'), file), path.join(next, 'dist', file));
    }
  }
}

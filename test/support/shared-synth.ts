import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * `npm run synth` (scripts/synth.mjs) into a temporary folder, once per test file, for the e2e test files
 * that read its output (synth, pr-comment, policy/project, synth-output). The folder is in the run's TMPDIR
 * (see temp-dir.cjs), so nothing is reused across runs. Unit tests start no processes: they read
 * test/support/synth-output.ts instead.
 */
export const ROOT = path.resolve(__dirname, '../..');

/** Set in the synth's environment; must not appear anywhere it writes or prints. */
export const SYNTH_SECRET = 'DefaultEndpointsProtocol=https;AccountKey=s3cr3t-Value-That-Must-Never-Leak==';

export interface SynthRun {
  /** Holds cdktf.out/ and dist/. */
  readonly outdir: string;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs scripts/synth.mjs with the given arguments and extra environment variables. */
function runSynth(args: string[], env: Record<string, string> = {}): Promise<Omit<SynthRun, 'outdir'>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/synth.mjs', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let shared: Promise<SynthRun> | undefined;

/** The test file's one successful-or-not `npm run synth`, with secrets in its environment; run by the first call. */
export function sharedSynth(): Promise<SynthRun> {
  shared ??= (async () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shared-synth-')), 'out');
    const run = await runSynth(['--outdir', outdir], { STORAGE_CONNECTION_STRING: SYNTH_SECRET, ARM_CLIENT_SECRET: SYNTH_SECRET });
    return { outdir, ...run };
  })();
  return shared;
}

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * `npm run synth` (scripts/synth.mjs) into a temporary folder, once per jest run, shared by every e2e test
 * file that reads its output (synth, pr-comment, policy/project, synth-output). The first file to ask runs
 * it; the others wait for its result. The folder is in the run's TMPDIR (see temp-dir.ts), so nothing is
 * reused across runs. Unit tests start no processes: they read test/support/synth-output.ts instead.
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

const WAIT_MS = 120_000;

/** The run's one successful-or-not `npm run synth`, with secrets in its environment. */
export async function sharedSynth(): Promise<SynthRun> {
  const dir = path.join(os.tmpdir(), 'shared-synth');
  const resultFile = path.join(dir, 'result.json');
  let owner = true;
  try {
    fs.mkdirSync(dir); // atomic: exactly one caller creates it
  } catch {
    owner = false;
  }
  if (owner) {
    const outdir = path.join(dir, 'out');
    const run = await runSynth(['--outdir', outdir], { STORAGE_CONNECTION_STRING: SYNTH_SECRET, ARM_CLIENT_SECRET: SYNTH_SECRET });
    fs.writeFileSync(`${resultFile}.tmp`, JSON.stringify({ outdir, ...run }));
    fs.renameSync(`${resultFile}.tmp`, resultFile);
  }
  const deadline = Date.now() + WAIT_MS;
  while (!fs.existsSync(resultFile)) {
    if (Date.now() > deadline) throw new Error(`no shared synth result in ${dir} after ${WAIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return JSON.parse(fs.readFileSync(resultFile, 'utf8')) as SynthRun;
}

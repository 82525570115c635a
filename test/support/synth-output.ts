import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * What `npm run synth` writes for the shipped environments (cdktf.out/ and dist/), made in this process
 * by the two CDK apps themselves: infra/main.ts and workloads/main.ts, required as the synth bundle runs
 * them, with the output folders in the variables synth.mjs sets. For unit tests of what reads that output
 * (the diff's comparison, validate); they start no process. Without the policy gate and the atomic swap,
 * which belong to the synth process and are tested in the e2e tier, where synth-output.e2e.test.ts also
 * holds this output byte-equal to `npm run synth`'s.
 *
 * Node runs a module once per module cache, so the apps run once per worker thread (jest-light-runner
 * shares the cache between the worker's test files), into one folder in the run's TMPDIR: read it,
 * never write to it (copy it first).
 */
const ROOT = path.resolve(__dirname, '../..');
const APPS = ['infra/main.ts', 'workloads/main.ts'];

let outdir: string | undefined;

/** The folder holding cdktf.out/ and dist/ of every shipped environment, synthesized in this process. */
export function synthOutput(): string {
  if (outdir) return outdir;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-output-'));
  const variables: Record<string, string> = {
    CDKTF_OUTDIR: path.join(dir, 'cdktf.out'),
    CDK8S_OUTDIR: path.join(dir, 'dist'),
    // `npm run synth` runs in the repository root; this process may have started elsewhere.
    ENVIRONMENTS_DIR: process.env.ENVIRONMENTS_DIR ?? path.join(ROOT, 'environments'),
  };
  const saved = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  // The apps' notes (no platform outputs yet) are for people running synth; the e2e synth tests read them.
  const consoleError = console.error;
  Object.assign(process.env, variables);
  console.error = () => undefined;
  try {
    // oxlint-disable-next-line typescript/no-require-imports -- the apps run when loaded, as in the synth bundle
    for (const app of APPS) require(path.join(ROOT, app));
  } finally {
    console.error = consoleError;
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  outdir = dir;
  return dir;
}

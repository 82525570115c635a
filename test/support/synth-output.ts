import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chartInputs } from '../workloads/synth';
import { memoize } from './memo';

/*
 * What `npm run synth` writes for the shipped environments (cdktf.out/ and dist/), made in the test process
 * by the two CDK apps themselves: infra/main.ts and workloads/main.ts, required as the synth bundle runs
 * them, with the output folders in the variables synth.mjs sets. For unit tests of what reads that output
 * (the diff's comparison, validate); they start no process. Without the policy gate and the atomic swap,
 * which belong to the synth process and are tested in the e2e tier, where synth-output.e2e.test.ts also
 * holds this output byte-equal to `npm run synth`'s.
 *
 * Made once per test file and input (memo.ts), in a new folder in the run's TMPDIR: read it, never write to
 * it (copy it first). Its input is everything the apps read: the process environment, the environment files
 * and the chart's module inputs (test/workloads/synth.ts); any difference synthesizes again.
 */
const ROOT = path.resolve(__dirname, '../..');
const APPS = ['infra/main.ts', 'workloads/main.ts'].map((app) => path.join(ROOT, app));

/** Runs the two apps into `dir`, with `variables` set for the time of the run. */
function runApps(dir: string, environmentsDir: string): void {
  const variables: Record<string, string> = {
    CDKTF_OUTDIR: path.join(dir, 'cdktf.out'),
    CDK8S_OUTDIR: path.join(dir, 'dist'),
    // `npm run synth` runs in the repository root; this process may have started elsewhere.
    ENVIRONMENTS_DIR: environmentsDir,
  };
  const saved = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  // The apps' notes (no platform outputs yet) are for people running synth; the e2e synth tests read them.
  const consoleError = console.error;
  Object.assign(process.env, variables);
  console.error = () => undefined;
  try {
    // The apps run when loaded, as in the synth bundle: each synth loads them (and what they load) afresh.
    jest.isolateModules(() => {
      // oxlint-disable-next-line typescript/no-require-imports -- see the line above
      for (const app of APPS) require(app);
    });
  } finally {
    console.error = consoleError;
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** The environment files the apps read, by name. */
function environmentFiles(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [e.name, fs.readFileSync(path.join(dir, e.name), 'utf8')])
      .sort(),
  );
}

/** What the synth output is made from, besides the code: the key of its memo. */
export function synthOutputInput() {
  const environmentsDir = process.env.ENVIRONMENTS_DIR ?? path.join(ROOT, 'environments');
  return { env: { ...process.env }, environmentsDir, environments: environmentFiles(environmentsDir), chart: chartInputs() };
}

const synthesized = memoize((input: ReturnType<typeof synthOutputInput>) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-output-'));
  runApps(dir, input.environmentsDir);
  return dir;
});

/** The folder holding cdktf.out/ and dist/ of every shipped environment, synthesized in the test process. */
export function synthOutput(): string {
  return synthesized(synthOutputInput());
}

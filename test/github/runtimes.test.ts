import * as fs from 'node:fs';
import * as path from 'node:path';
import { readYaml } from '../support/yaml';

/*
 * Supported runtimes: the workflows run the Node LTS named in .nvmrc, ci.yml also runs the suite on the
 * LTS before and the release after it, and every action is pinned to a commit of a release that runs on
 * Node 24 (GitHub removed Node 20 from its runners in September 2026).
 */
const ROOT = path.resolve(__dirname, '../..');
const DIR = path.join(ROOT, '.github/workflows');
const files = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.yml'))
  .sort();
const text = (file: string) => fs.readFileSync(path.join(DIR, file), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  env?: Record<string, string>;
  steps?: Step[];
  strategy?: { matrix?: Record<string, unknown[]> };
}
interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}
const workflow = (file: string) => readYaml(path.join(DIR, file)) as Workflow;
const jobsOf = (file: string) => Object.entries(workflow(file).jobs);

const nvmrc = fs.readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim();

/** First major release of each action that runs on Node 24 (its action.yml says `using: node24`). */
const NODE24_MAJOR: Record<string, number> = {
  'actions/checkout': 5,
  'actions/setup-node': 5,
  'actions/upload-artifact': 6,
  'actions/download-artifact': 5,
  'actions/github-script': 8,
  'hashicorp/setup-terraform': 4,
  'azure/login': 3,
  'github/codeql-action/upload-sarif': 4,
  // A composite action; v3 moved both of its inner steps (predicate, actions/attest) to node24.
  'actions/attest-build-provenance': 3,
};

/** Every `uses:` of an action (not of a reusable workflow: local, or this repository's at main), with its version comment. */
function actionRefs(file: string) {
  return [...text(file).matchAll(/uses:\s*([^\s@]+)@(\S+)(?:\s+#\s*(\S+))?/g)]
    .filter((m) => !m[1].startsWith('./') && !m[1].includes('/.github/workflows/'))
    .map((m) => ({ file, action: m[1], ref: m[2], version: m[3] }));
}

/** The lowest Node release that every installed package's `engines.node` accepts (package-lock.json). */
function lockfileNodeFloor(): string {
  // oxlint-disable-next-line typescript/no-require-imports -- semver ships no types of its own here
  const semver = require('semver') as { satisfies: (version: string, range: string) => boolean };
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { engines?: { node?: string } }>;
  };
  const ranges = Object.values(lock.packages).flatMap((p) => (typeof p.engines?.node === 'string' ? [p.engines.node] : []));
  for (let major = 18; major <= 30; major++) {
    for (let minor = 0; minor <= 30; minor++) {
      const version = `${major}.${minor}.0`;
      if (ranges.every((range) => semver.satisfies(version, range))) return version;
    }
  }
  throw new Error('no Node release satisfies every engines.node in package-lock.json');
}

describe('supported runtimes', () => {
  it("package.json's engines names the Node release the installed packages need (no EBADENGINE on npm ci)", () => {
    const { engines } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(engines.node).toBe(`>=${lockfileNodeFloor()}`);
  });

  it('.nvmrc names an even (LTS) Node major of at least 24', () => {
    expect(nvmrc).toMatch(/^\d+$/);
    expect(Number(nvmrc) % 2).toBe(0);
    expect(Number(nvmrc)).toBeGreaterThanOrEqual(24);
  });

  it.each(files)('%s sets up Node from .nvmrc (ci.yml: a matrix around it)', (file) => {
    for (const [name, job] of jobsOf(file)) {
      for (const step of (job.steps ?? []).filter((s) => s.uses?.startsWith('actions/setup-node@'))) {
        const matrix = job.strategy?.matrix?.node;
        if (matrix) {
          expect([name, step.with?.['node-version']]).toEqual([name, '${{ matrix.node }}']);
          expect(matrix.map(String)).toEqual([String(Number(nvmrc) - 2), nvmrc, String(Number(nvmrc) + 2)]);
        } else {
          expect([name, step.with?.['node-version-file'], step.with?.['node-version']]).toEqual([name, '.nvmrc', undefined]);
        }
      }
    }
  });

  it('ci.yml runs the suite on Node 22, 24 and 26 and keeps one artifact, from the .nvmrc version', () => {
    const build = workflow('ci.yml').jobs.build;
    expect(build.strategy?.matrix?.node).toEqual([22, 24, 26]);
    const upload = build.steps?.find((s) => s.uses?.startsWith('actions/upload-artifact@')) as Step & { if?: string };
    expect(upload.if).toBe(`matrix.node == ${nvmrc}`);
  });

  it.each(files)('%s pins every action by full SHA to a Node 24 release, the version in a comment', (file) => {
    for (const { action, ref, version } of actionRefs(file)) {
      expect([action, ref]).toEqual([action, expect.stringMatching(/^[0-9a-f]{40}$/)]);
      expect([action, version]).toEqual([action, expect.stringMatching(/^v\d+\.\d+\.\d+$/)]);
      expect(Object.keys(NODE24_MAJOR)).toContain(action);
      expect(Number(version?.slice(1).split('.')[0])).toBeGreaterThanOrEqual(NODE24_MAJOR[action]);
    }
  });

  it('pins each action to the same commit and version in every workflow', () => {
    const refs = files.flatMap(actionRefs);
    const byAction = new Map<string, Set<string>>();
    for (const r of refs) byAction.set(r.action, (byAction.get(r.action) ?? new Set()).add(`${r.ref} # ${r.version}`));
    for (const [action, pins] of byAction) expect([action, pins.size]).toEqual([action, 1]);
  });

  it.each(files)('%s turns off the cdktf CLI version check wherever it runs cdktf', (file) => {
    const wf = workflow(file);
    for (const [name, job] of Object.entries(wf.jobs)) {
      const runsCdktf = (job.steps ?? []).some((s) => /\bcdktf\s/.test(s.run ?? ''));
      if (runsCdktf) expect([name, { ...wf.env, ...job.env }.CHECKPOINT_DISABLE]).toEqual([name, '1']);
    }
  });
});

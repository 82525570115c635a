import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyReviewed, reviewPlan, type PlanRecord } from '../../.github/scripts/reviewed-plan';

/*
 * Apply what was reviewed, with the real terraform (1.11) on stacks laid out as cdktf.out/ lays them out.
 * terraform_data is built into Terraform, so nothing is downloaded.
 */
jest.setTimeout(60_000);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'reviewed-plan-'));
const cdktfOut = path.join(root, 'cdktf.out');
const reviewed = path.join(root, 'reviewed');
const summary = path.join(root, 'summary.md');

function writeStack(stack: string, input: string): void {
  const dir = path.join(cdktfOut, 'stacks', stack);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'cdk.tf.json'),
    JSON.stringify({
      terraform: { backend: { local: { path: path.join(root, `${stack}.tfstate`) } } },
      resource: { terraform_data: { config: { input } } },
      output: { value: { value: '${terraform_data.config.output}' } },
    }),
  );
}
const record = (stack: string) => JSON.parse(fs.readFileSync(path.join(reviewed, `${stack}.json`), 'utf8')) as PlanRecord;
const state = (stack: string) => fs.readFileSync(path.join(root, `${stack}.tfstate`), 'utf8');

describe('apply what was reviewed', () => {
  let errors: jest.SpyInstance;
  beforeEach(() => {
    errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    process.env.GITHUB_STEP_SUMMARY = summary;
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => {
    delete process.env.GITHUB_STEP_SUMMARY;
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('plans a stack for review: counts, a stable hash, the plan in the job summary', () => {
    writeStack('platform-dev', 'v1');
    expect(reviewPlan('platform-dev', reviewed, cdktfOut)).toBe(0);
    const first = record('platform-dev');
    expect(first).toMatchObject({
      stack: 'platform-dev',
      status: 'changes',
      add: 1,
      change: 0,
      destroy: 0,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(fs.readFileSync(path.join(reviewed, 'platform-dev.txt'), 'utf8')).toContain('terraform_data.config will be created');
    expect(fs.readFileSync(summary, 'utf8')).toContain('### Plan: `platform-dev`\n\n**1 to add, 0 to change, 0 to destroy.**');
    // Planning the same thing again (another timestamp) gives the same hash.
    expect(reviewPlan('platform-dev', reviewed, cdktfOut)).toBe(0);
    expect(record('platform-dev').hash).toBe(first.hash);
  });

  it('refuses to apply when the plan changed since it was reviewed, and applies nothing', () => {
    writeStack('platform-dev', 'v2');
    expect(applyReviewed('platform-dev', reviewed, cdktfOut)).toBe(1);
    expect(errors.mock.calls.join('\n')).toMatch(/platform-dev: the plan changed since it was reviewed .* Nothing was applied/);
    expect(fs.existsSync(path.join(root, 'platform-dev.tfstate'))).toBe(false);
  });

  it('applies the reviewed plan and writes the outputs as cdktf deploy --outputs-file does', () => {
    writeStack('platform-dev', 'v1');
    const outputs = path.join(root, 'platform-outputs', 'dev.json');
    expect(applyReviewed('platform-dev', reviewed, cdktfOut, { outputsFile: outputs })).toBe(0);
    expect(state('platform-dev')).toContain('"input"');
    expect(JSON.parse(fs.readFileSync(outputs, 'utf8'))).toEqual({ 'platform-dev': { value: 'v1' } });
    expect(reviewPlan('platform-dev', reviewed, cdktfOut)).toBe(0);
    expect(record('platform-dev').status).toBe('no-changes');
  });

  it('skips the apply of a reviewed plan without changes, with a one-line note', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const before = fs.statSync(path.join(root, 'platform-dev.tfstate')).mtimeMs;
    expect(record('platform-dev').status).toBe('no-changes');
    expect(applyReviewed('platform-dev', reviewed, cdktfOut)).toBe(0);
    expect(log.mock.calls.flat()).toContain('platform-dev: no changes, as reviewed; apply skipped');
    expect(fs.statSync(path.join(root, 'platform-dev.tfstate')).mtimeMs).toBe(before);
  });

  it('refuses to apply a stack nobody reviewed', () => {
    writeStack('apps-dev', 'a1');
    expect(applyReviewed('apps-dev', reviewed, cdktfOut)).toBe(1);
    expect(errors.mock.calls.join('\n')).toContain('apps-dev: no reviewed plan');
    expect(fs.existsSync(path.join(root, 'apps-dev.tfstate'))).toBe(false);
  });

  it('applies an apps stack planned after its platform only when the reviewed platform plan creates the cluster the apps plan could not find', () => {
    const notFound = 'Error: Managed Cluster (Subscription: "0"\n│ Resource Group Name: "rg"\n│ Managed Cluster Name: "aks") was not found';
    const apps = (error: string, clusterNotFound: boolean) =>
      fs.writeFileSync(
        path.join(reviewed, 'apps-dev.json'),
        JSON.stringify({
          stack: 'apps-dev',
          status: 'failed',
          add: 0,
          change: 0,
          destroy: 0,
          error,
          ...(clusterNotFound ? { clusterNotFound } : {}),
        }),
      );
    const platform = (extra: object) =>
      fs.writeFileSync(
        path.join(reviewed, 'platform-dev.json'),
        JSON.stringify({ stack: 'platform-dev', status: 'changes', add: 1, change: 0, destroy: 0, hash: 'x', ...extra }),
      );
    apps(notFound, true);
    // The platform plan has changes, but none creates the cluster: the apps plan failed for another reason.
    platform({});
    expect(applyReviewed('apps-dev', reviewed, cdktfOut, { deferredAfter: 'platform-dev' })).toBe(1);
    expect(errors.mock.calls.join('\n')).toContain('only when that reviewed plan creates the AKS cluster');
    // The platform plan creates the cluster, but the apps plan failed for another reason (a missing role, a bad manifest).
    platform({ createsCluster: true });
    apps('Error: Invalid index', false);
    expect(applyReviewed('apps-dev', reviewed, cdktfOut, { deferredAfter: 'platform-dev' })).toBe(1);
    expect(fs.existsSync(path.join(root, 'apps-dev.tfstate'))).toBe(false);
    // The one known case: no cluster yet, and the reviewed platform plan creates it.
    apps(notFound, true);
    expect(applyReviewed('apps-dev', reviewed, cdktfOut, { deferredAfter: 'platform-dev' })).toBe(0);
    expect(state('apps-dev')).toContain('"input"');
  });

  it('fails the review of an apps plan at once unless it may be planned after the platform plan that creates its cluster', () => {
    // terraform prints a failed precondition's message as an error, as it prints the data source's "not found".
    const failing = (stack: string, message: string) => {
      const dir = path.join(cdktfOut, 'stacks', stack);
      fs.mkdirSync(dir, { recursive: true });
      const resource = { terraform_data: { read: { lifecycle: { precondition: [{ condition: false, error_message: message }] } } } };
      fs.writeFileSync(
        path.join(dir, 'cdk.tf.json'),
        JSON.stringify({ terraform: { backend: { local: { path: path.join(root, `${stack}.tfstate`) } } }, resource }),
      );
    };
    const platform = (extra: object) =>
      fs.writeFileSync(
        path.join(reviewed, 'platform-qa.json'),
        JSON.stringify({ stack: 'platform-qa', status: 'changes', add: 1, change: 0, destroy: 0, hash: 'x', ...extra }),
      );
    const notFound = 'Managed Cluster (Subscription: "0" Resource Group Name: "rg" Managed Cluster Name: "aks") was not found.';
    failing('apps-qa', notFound);
    platform({ createsCluster: true });
    expect(reviewPlan('apps-qa', reviewed, cdktfOut, { deferredAfter: 'platform-qa' })).toBe(0);
    expect(record('apps-qa')).toMatchObject({ status: 'failed', clusterNotFound: true });
    // Without the option (or when the platform plan does not create the cluster) the same failure fails the review.
    expect(reviewPlan('apps-qa', reviewed, cdktfOut)).toBe(1);
    platform({});
    expect(reviewPlan('apps-qa', reviewed, cdktfOut, { deferredAfter: 'platform-qa' })).toBe(1);
    // Any other failure fails it, whatever the platform plan does.
    platform({ createsCluster: true });
    failing('apps-qa', 'The role assignment is missing.');
    expect(reviewPlan('apps-qa', reviewed, cdktfOut, { deferredAfter: 'platform-qa' })).toBe(1);
  });

  describe('with a terraform whose apply fails (a stand-in that runs the real one for everything else)', () => {
    const bin = path.join(root, 'bin');
    const real = spawnSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).stdout.trim();
    const path0 = process.env.PATH;
    beforeAll(() => {
      fs.mkdirSync(bin, { recursive: true });
      fs.writeFileSync(
        path.join(bin, 'terraform'),
        `#!/bin/sh\nfor a in "$@"; do [ "$a" = "$FAIL_COMMAND" ] && { echo "Error: $a failed" >&2; exit 1; }; done\nexec ${real} "$@"\n`,
        { mode: 0o755 },
      );
      process.env.PATH = `${bin}${path.delimiter}${path0}`;
    });
    afterAll(() => {
      process.env.PATH = path0;
      delete process.env.FAIL_COMMAND;
    });

    it('removes the saved plan, which holds sensitive values, when the apply fails', () => {
      writeStack('platform-qa', 'q1');
      expect(reviewPlan('platform-qa', reviewed, cdktfOut)).toBe(0);
      process.env.FAIL_COMMAND = 'apply';
      expect(applyReviewed('platform-qa', reviewed, cdktfOut)).toBe(1);
      expect(errors.mock.calls.join('\n')).toContain('Error: apply failed');
      expect(fs.readdirSync(path.join(cdktfOut, 'stacks', 'platform-qa')).filter((f) => f.endsWith('.tfplan'))).toEqual([]);
    });

    it('removes the saved plan when reading it back fails, in review and in apply', () => {
      const plans = () => fs.readdirSync(path.join(cdktfOut, 'stacks', 'platform-qa')).filter((f) => f.endsWith('.tfplan'));
      process.env.FAIL_COMMAND = 'show';
      expect(reviewPlan('platform-qa', reviewed, cdktfOut)).toBe(1);
      expect(plans()).toEqual([]);
      delete process.env.FAIL_COMMAND;
      expect(reviewPlan('platform-qa', reviewed, cdktfOut)).toBe(0);
      process.env.FAIL_COMMAND = 'show';
      expect(applyReviewed('platform-qa', reviewed, cdktfOut)).toBe(1);
      expect(errors.mock.calls.join('\n')).toContain('platform-qa: could not be planned');
      expect(fs.readdirSync(path.join(cdktfOut, 'stacks', 'platform-qa')).filter((f) => f.endsWith('.tfplan'))).toEqual([]);
    });
  });
});

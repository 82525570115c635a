import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSynthStacks, stacksToPlan, type SynthStacks } from '../../scripts/diff/stacks';

/*
 * `npm run diff -- --stacks`: which stacks a pull request's review plans. Small synth outputs written
 * here (a manifest and one cdk.tf.json per stack), no synth.
 */
type Stack = { readonly resource: Record<string, unknown>; readonly dependencies?: string[] };

/** Writes `<dir>/cdktf.out` as cdktf lays it out, and reads it back as `npm run diff -- --stacks` does. */
function synthOutput(stacks: Record<string, Stack>, indent = 2): SynthStacks {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stacks-'));
  const manifest: Record<string, unknown> = {};
  for (const [name, stack] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(dir, 'cdktf.out', 'stacks', name), { recursive: true });
    fs.writeFileSync(path.join(dir, 'cdktf.out', 'stacks', name, 'cdk.tf.json'), JSON.stringify({ resource: stack.resource }, null, indent));
    manifest[name] = { dependencies: stack.dependencies ?? [], synthesizedStackPath: `stacks/${name}/cdk.tf.json` };
  }
  fs.writeFileSync(path.join(dir, 'cdktf.out', 'manifest.json'), JSON.stringify({ stacks: manifest }));
  try {
    return readSynthStacks(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Two environments, each a platform stack and an apps stack that depends on it. */
const environments = (values: Record<string, string> = {}): Record<string, Stack> =>
  Object.fromEntries(
    ['dev', 'prod'].flatMap((env) => [
      [`platform-${env}`, { resource: { cluster: { sku: values[`platform-${env}`] ?? 'Free' } } }],
      [`apps-${env}`, { resource: { deployment: { replicas: values[`apps-${env}`] ?? '1' } }, dependencies: [`platform-${env}`] }],
    ]),
  );

describe('the stacks a pull request plans', () => {
  it('is nothing when no stack changed', () => {
    expect(stacksToPlan(synthOutput(environments()), synthOutput(environments()))).toEqual({ plan: [], removed: [] });
  });

  it('is a changed apps stack alone: nothing depends on it', () => {
    expect(stacksToPlan(synthOutput(environments()), synthOutput(environments({ 'apps-prod': '3' }))).plan).toEqual(['apps-prod']);
  });

  it('is a changed platform stack and the apps stack that depends on it, not the other environment', () => {
    expect(stacksToPlan(synthOutput(environments()), synthOutput(environments({ 'platform-dev': 'Standard' }))).plan).toEqual([
      'apps-dev',
      'platform-dev',
    ]);
  });

  it('follows dependencies of dependencies, from the manifest rather than the names', () => {
    const base = { ...environments(), 'dns-shared': { resource: { zone: { name: 'a' } } } };
    const head = {
      ...environments(),
      'dns-shared': { resource: { zone: { name: 'b' } } },
      'platform-dev': { resource: { cluster: { sku: 'Free' } }, dependencies: ['dns-shared'] },
    };
    // Only dns-shared's JSON differs; platform-dev depends on it and apps-dev on platform-dev. Prod is untouched.
    expect(stacksToPlan(synthOutput(base), synthOutput(head)).plan).toEqual(['apps-dev', 'dns-shared', 'platform-dev']);
  });

  it('includes the stacks of an added environment and names the removed ones apart', () => {
    const base = Object.fromEntries(Object.entries(environments()).filter(([name]) => name.endsWith('-prod')));
    expect(stacksToPlan(synthOutput(base), synthOutput(environments())).plan).toEqual(['apps-dev', 'platform-dev']);
    expect(stacksToPlan(synthOutput(environments()), synthOutput(base))).toEqual({ plan: [], removed: ['apps-dev', 'platform-dev'] });
  });

  it('ignores formatting: the same values written another way are no change', () => {
    expect(stacksToPlan(synthOutput(environments(), 2), synthOutput(environments(), 0)).plan).toEqual([]);
  });
});

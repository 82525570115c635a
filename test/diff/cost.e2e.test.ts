import type { DiffReport } from '../../scripts/diff/model';
import { GitFixture } from './git-fixture';

/*
 * `npm run diff -- --fail-on cost:…` through the command line, on a real git repository: one diff run (two
 * synths) where dev goes from the Free to the Standard AKS tier, which the committed snapshot prices
 * (the uptime SLA, $0.10 an hour: +73 USD a month on both bounds).
 */
jest.setTimeout(240_000);

describe('npm run diff --fail-on cost', () => {
  const repo = new GitFixture();
  const base = repo.git('rev-parse', 'HEAD');
  // The Standard tier needs a system pool of 2 (config/validate.ts); its VM size has no price in the snapshot, on either side.
  repo.setEnvironment('dev', { 'kubernetes.skuTier': 'Standard', 'kubernetes.systemPool.minCount': 2 });
  repo.commit('dev on the Standard tier');
  const run = repo.diff('--base', base, '--format', 'json', '--fail-on', 'cost:+20%,high');
  const report = JSON.parse(run.stdout || '{}') as DiffReport;
  afterAll(() => repo.remove());

  it('exits 1 when an environment rises by more than the threshold, naming it, after printing the diff', () => {
    const dev = report.environments.find((e) => e.name === 'dev')?.cost;
    expect(dev?.lines).toContainEqual(expect.objectContaining({ id: 'aks-tier:aks-photoview-dev-weu', after: { min: 73, max: 73 } }));
    expect(dev!.after!.max - dev!.before!.max).toBeCloseTo(73, 6);
    expect(run.stderr).toContain('npm run diff: --fail-on high,cost:+20% matched:');
    expect(run.stderr).toMatch(/^ {2}dev: monthly (min|max) [\d,.]+ → [\d,.]+ USD \(\+73, \+\d+(\.\d)? %\) rises more than \+20%$/m);
    expect(run.stderr).not.toMatch(/^ {2}(prod|staging):/m);
    expect(run.status).toBe(1);
  });

  it('refuses a malformed threshold with one line, before synthesizing anything', () => {
    const bad = repo.diff('--base', base, '--fail-on', 'replace,cost:+20 percent');
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toEqual([
      "npm run diff: --fail-on 'cost:+20 percent' is not a cost threshold; write cost:+20% (a monthly cost rising more than 20 %) or cost:+500 (more than 500 in the price snapshot's currency) (npm run diff -- --help lists the options)",
    ]);
  });

  it('documents the threshold in --help', () => {
    const help = repo.diff('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('cost:+N% (percent) or cost:+N');
  });
});

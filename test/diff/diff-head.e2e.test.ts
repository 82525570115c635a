import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DiffReport } from '../../scripts/diff/model';
import { GitFixture, type DiffRun } from './git-fixture';

/*
 * `npm run diff -- --head <ref>` end to end, on a real git repository: the head is a commit, synthesized
 * from a checkout of it like the base, whatever the working tree holds; and the build cache the two
 * sides share, kept in the checkout from run to run.
 */
jest.setTimeout(240_000);

describe('npm run diff --head', () => {
  const repo = new GitFixture();
  const base = repo.git('rev-parse', 'HEAD');
  repo.git('checkout', '--quiet', '-b', 'changes');
  repo.setEnvironment('dev', { 'app.release.tag': '1.5.0' });
  const head = repo.commit('changes');
  repo.git('checkout', '--quiet', 'main');
  // Not committed: a diff of --head leaves the working tree out.
  repo.setEnvironment('staging', { 'app.release.greenTag': '1.6.0' });

  const cache = path.join(repo.dir, '.build/cache/diff');
  /** The shared cache's files with their modification times: a build rewrites them. */
  const cacheState = () =>
    fs
      .readdirSync(cache, { recursive: true })
      .map(String)
      .sort()
      .map((f) => `${f} ${fs.statSync(path.join(cache, f)).mtimeMs}`);

  const json: DiffRun = repo.diff('--head', 'changes', '--format', 'json');
  const report = JSON.parse(json.stdout || '{}') as DiffReport;
  const afterFirst = cacheState();
  const text: DiffRun = repo.diff('--head', 'changes');
  const afterSecond = cacheState();

  afterAll(() => repo.remove());

  it('compares the merge base of the head ref with main to that commit', () => {
    expect(json.stderr).toBe('');
    expect(json.status).toBe(0);
    expect(report.base).toEqual({ ref: 'merge base with main', commit: base });
    expect(report.head).toEqual({ ref: 'changes', commit: head });
  });

  it('synthesizes the commit, not the working tree', () => {
    expect(report.environments.map((e) => [e.name, e.status])).toEqual([
      ['dev', 'changed'],
      ['prod', 'unchanged'],
      ['staging', 'unchanged'],
    ]);
    const deployment = report.changes.find((c) => c.environment === 'dev' && c.address === 'Deployment/photo-view/photo-view');
    expect(deployment?.attributes).toContainEqual(expect.objectContaining({ path: 'metadata.labels["app.kubernetes.io/version"]', new: '1.5.0' }));
  });

  it('names the head ref and its commit in the output', () => {
    expect(text.status).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe(`npm run diff: merge base with main (${base.slice(0, 7)}) → changes (${head.slice(0, 7)})`);
  });

  it('shares one build between both sides and keeps it for the next run', () => {
    // Base and head differ only in environment files: one bundle, built by the first run, reused by the second.
    expect(afterFirst.filter((f) => f.startsWith('index-'))).toHaveLength(1);
    expect(afterFirst.filter((f) => /bundle\.cjs /.test(f))).toHaveLength(1);
    expect(afterSecond).toEqual(afterFirst);
  });

  it('leaves the working tree as it was', () => {
    expect(repo.git('status', '--porcelain')).toBe('M environments/staging.yaml');
    expect(fs.existsSync(path.join(repo.dir, 'dist'))).toBe(false);
  });

  it('rejects a --head that is no commit with exit code 2, naming it', () => {
    const bad = repo.diff('--head', 'no-such-ref');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--head 'no-such-ref' is not a commit");
  });

  it('exits 3 when the head fails to synth, naming the head', () => {
    repo.git('checkout', '--quiet', '-b', 'broken', base);
    repo.setEnvironment('dev', { 'kubernetes.userPool.minCount': 99 });
    const broken = repo.commit('broken');
    repo.git('checkout', '--quiet', 'main');
    const failed = repo.diff('--base', base, '--head', 'broken');
    expect(failed.status).toBe(3);
    expect(failed.stderr).toContain(`synth of the head broken (${broken.slice(0, 7)}) failed`);
    expect(failed.stdout).toBe('');
  });
});

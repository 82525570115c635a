import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * Synth is a pure function of the commit: the same sources and config give byte-identical cdktf.out/
 * and dist/ at any time, in any time zone, from any folder. Run for real (`scripts/synth.mjs`) under two
 * fake clocks years apart, once in this checkout and once in a copy elsewhere, with a blue/green config
 * that has just switched colours (the case a clock used to decide).
 */
const ROOT = path.resolve(__dirname, '../..');
const FAKE_CLOCK = path.join(ROOT, 'test/support/fake-clock.cjs');

const files = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();

/** Runs `npm run synth`'s script in `cwd` under a fake clock; resolves to the output files' bytes by relative path. */
async function synth(cwd: string, outdir: string, environments: string, clock: { now: string; tz: string }) {
  await promisify(execFile)(process.execPath, ['scripts/synth.mjs', '--outdir', outdir], {
    cwd,
    env: { ...process.env, ENVIRONMENTS_DIR: environments, FAKE_NOW: clock.now, TZ: clock.tz, NODE_OPTIONS: `--require ${FAKE_CLOCK}` },
  });
  return Object.fromEntries(files(outdir).map((f) => [path.relative(outdir, f), fs.readFileSync(f)]));
}

describe('synth is a pure function of the commit', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'determinism-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('gives byte-identical cdktf.out/ and dist/ under two clocks, two time zones and two folders, right after a blue/green switch', async () => {
    const environments = path.join(tmp, 'environments');
    fs.cpSync(path.join(ROOT, 'test/fixtures/environments'), environments, { recursive: true });
    const staging = path.join(environments, 'staging.yaml');
    const switched = fs.readFileSync(staging, 'utf8').replace('active: blue', 'active: green');
    expect(switched).toContain('active: green');
    fs.writeFileSync(staging, switched);

    // A second checkout in another folder: the sources copied, the installed packages shared.
    const copy = path.join(tmp, 'elsewhere', 'checkout');
    const generated = new Set(['node_modules', '.git', 'cdktf.out', 'dist', '.build', 'coverage', '.state', 'platform-outputs']);
    for (const entry of fs.readdirSync(ROOT).filter((e) => !generated.has(e) && !e.startsWith('.synth-staging'))) {
      fs.cpSync(path.join(ROOT, entry), path.join(copy, entry), {
        recursive: true,
        filter: (source) => !source.split(path.sep).includes('node_modules'),
      });
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));

    const [first, second] = await Promise.all([
      // One clock inside the support window of the Kubernetes version the environments pin, one years past
      // the end of every version in config/kubernetes-versions.ts: synth warns then, and writes the same bytes.
      synth(ROOT, path.join(tmp, 'out-a'), environments, { now: '2026-11-23T12:00:00Z', tz: 'UTC' }),
      synth(copy, path.join(tmp, 'out-b'), environments, { now: '2029-02-12T03:30:00Z', tz: 'Pacific/Auckland' }),
    ]);

    expect(Object.keys(second)).toEqual(Object.keys(first));
    expect(Object.keys(first).filter((f) => f.startsWith('dist/'))).toHaveLength(3);
    for (const [file, bytes] of Object.entries(first)) expect([file, second[file].equals(bytes)]).toEqual([file, true]);
    // No absolute machine path in any output.
    for (const bytes of Object.values(first)) expect(bytes.toString('utf8')).not.toMatch(new RegExp(`${ROOT}|${tmp}|${os.homedir()}/`));
  }, 60_000);
});

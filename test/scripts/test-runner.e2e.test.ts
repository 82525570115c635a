import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/*
 * `npm test` (scripts/test.mjs): how it hands paths to jest and picks the projects, and its up-to-date rule
 * for the checks (scripts/up-to-date.mjs, run here on a git repository of its own). Its --help and its
 * refusal of unknown options are in usage.e2e.test.ts, with every other script's.
 */
const ROOT = path.resolve(__dirname, '../..');
const UP_TO_DATE = pathToFileURL(path.join(ROOT, 'scripts/up-to-date.mjs')).href;

const testScript = (...args: string[]) =>
  spawnSync(process.execPath, ['scripts/test.mjs', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });

/** Calls up-to-date.mjs's functions in a fresh Node process (the module is ES, the test CommonJS). */
function upToDate(body: string): any {
  const script = `import * as u from ${JSON.stringify(UP_TO_DATE)}; console.log(JSON.stringify(await (async () => { ${body} })()));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

function git(cwd: string, ...args: string[]) {
  const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
}

describe('npm test: the command line', () => {
  it('hands a path to jest and runs only that file, in the unit project', () => {
    const result = testScript('--no-checks', '--', 'test/config/rules.test.ts');
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/PASS unit test\/config\/rules\.test\.ts/);
    expect(result.stderr).toMatch(/Test Suites: 1 passed, 1 total/);
    expect(result.stderr).toMatch(/passed: jest \(unit\) ok [\d.]+ s · total/);
  }, 60_000);

  it('runs the e2e project too with --all', () => {
    const result = testScript('--all', '--no-checks', '--', 'test/scripts/environments.e2e.test.ts');
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/Test Suites: 1 passed, 1 total/);
    expect(result.stderr).toMatch(/passed: jest \(unit \+ e2e\) ok/);
  }, 60_000);
});

describe('the checks are skipped only when nothing they read changed', () => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'up-to-date-'));
  const key = () => upToDate(`return u.treeHash(${JSON.stringify(repo)}) ?? null;`) as string | null;
  beforeAll(() => {
    git(repo, 'init', '-q');
    fs.writeFileSync(path.join(repo, '.gitignore'), 'out/\n');
    fs.writeFileSync(path.join(repo, 'a.ts'), 'export const a = 1;\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'one');
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('gives the same key for the same bytes, and a new one for an edit, a new file or a deletion', () => {
    const first = key();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(key()).toBe(first);

    fs.writeFileSync(path.join(repo, 'a.ts'), 'export const a = 2;\n');
    const edited = key();
    expect(edited).not.toBe(first);
    fs.writeFileSync(path.join(repo, 'a.ts'), 'export const a = 1;\n');
    expect(key()).toBe(first); // content, not timestamps

    fs.writeFileSync(path.join(repo, 'b.ts'), 'export const b = 1;\n'); // untracked, not ignored: lint and format read it
    const added = key();
    expect(added).not.toBe(first);

    fs.mkdirSync(path.join(repo, 'out'));
    fs.writeFileSync(path.join(repo, 'out', 'generated.ts'), 'x');
    expect(key()).toBe(added); // ignored output is not an input

    fs.rmSync(path.join(repo, 'b.ts'));
    fs.rmSync(path.join(repo, 'a.ts'));
    expect(key()).not.toBe(first);
  });

  it('has no key outside a git work tree, so the checks always run there', () => {
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'no-git-'));
    expect(upToDate(`return u.treeHash(${JSON.stringify(plain)}) ?? null;`)).toBeNull();
    expect(upToDate(`return u.inputsKey(undefined, 'oxlint') ?? null;`)).toBeNull();
  });

  it('keys each check by its command too, and trusts only a readable stamp with the same key', () => {
    const stamps = path.join(repo, 'out', 'stamps');
    const result = upToDate(`
      const dir = ${JSON.stringify(stamps)};
      const lint = u.inputsKey('tree', 'oxlint');
      const before = u.isUpToDate(dir, 'lint', lint);
      u.recordClean(dir, 'lint', lint);
      const after = u.isUpToDate(dir, 'lint', lint);
      const otherCommand = u.isUpToDate(dir, 'lint', u.inputsKey('tree', 'oxlint --fix'));
      const otherCheck = u.isUpToDate(dir, 'typecheck', lint);
      (await import('node:fs')).writeFileSync(dir + '/lint.json', '{"key":');
      const corrupt = u.isUpToDate(dir, 'lint', lint);
      return { before, after, otherCommand, otherCheck, corrupt };
    `);
    expect(result).toEqual({ before: false, after: true, otherCommand: false, otherCheck: false, corrupt: false });
  });
});

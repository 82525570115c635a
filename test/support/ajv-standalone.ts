import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
// oxlint-disable-next-line typescript/no-require-imports -- a CommonJS script without type declarations
const { cachedCompile } = require('./compile-cache.cjs') as {
  cachedCompile(source: string, file: string, options: { compile: (source: string, file: string) => string; salt: string }): string;
};

/*
 * JSON-schema validators compiled once, not in every run: ajv compiles a schema into JavaScript (the SARIF
 * 2.1.0 schema takes ~0.25 s of CPU), and its standalone mode writes that code out as a module. The module
 * is kept in .build/test-compile/ (compile-cache.cjs: whole files only, a hash of the code checked on every
 * read) under a key of the schema, ajv's and ajv-formats' versions and `makeAjv`'s own text (its options).
 * What the validator accepts and its errors are ajv's own (test/support/ajv-standalone.test.ts).
 */
const ROOT = path.resolve(__dirname, '../..');
const versionOf = (pkg: string) =>
  (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The validator of `schema`. `makeAjv` (called only when there is no stored module) returns the ajv instance
 * to compile with; it must set `code: { source: true }` (and `code.formats` where ajv-formats is added).
 */
export function standaloneValidator(name: string, schema: object, makeAjv: () => Ajv): ValidateFunction {
  const salt = `ajv ${versionOf('ajv')} ajv-formats ${versionOf('ajv-formats')} ${makeAjv}`;
  // The name the module goes by (stack traces, the cache key); its code is kept by compile-cache.cjs, not here.
  const file = path.join(ROOT, '.build', 'ajv', `${name}.cjs`);
  const code = cachedCompile(JSON.stringify(schema), file, {
    salt,
    compile: () => {
      const ajv = makeAjv();
      // oxlint-disable-next-line typescript/no-require-imports -- ajv's standalone generator, loaded only on a cache miss
      const standaloneCode = require('ajv/dist/standalone').default as (ajv: Ajv, validate: ValidateFunction) => string;
      return standaloneCode(ajv, ajv.compile(schema));
    },
  });
  // A module of its own, resolving its requires (ajv's runtime helpers, formats) from the project.
  const module = new Module(file);
  module.filename = file;
  module.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(ROOT);
  (module as unknown as { _compile(code: string, file: string): void })._compile(code, file);
  return module.exports as ValidateFunction;
}

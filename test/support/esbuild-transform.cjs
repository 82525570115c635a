// TypeScript to CommonJS with esbuild (type-checking is `npm run typecheck`). Jest uses this file as the
// transform of what it loads itself (globalSetup, globalTeardown); register-typescript.cjs uses
// `compile` for the test files, which jest-light-runner loads with Node's own module loader.
const { transformSync, version } = require('esbuild');
const { createHash } = require('node:crypto');

/** @returns {{ code: string, map: string }} */
function compile(source, file, sourcemap = 'external') {
  return transformSync(source, { loader: file.endsWith('.ts') ? 'ts' : 'js', format: 'cjs', target: 'node20', sourcemap, sourcefile: file });
}

module.exports = {
  compile,
  getCacheKey(source, file) {
    return createHash('sha256').update(version).update(file).update(source).digest('hex');
  },
  process(source, file) {
    return compile(source, file);
  },
};

// TypeScript to CommonJS with esbuild (type-checking is `npm run typecheck`), for the test files and what they
// load: register-typescript.cjs compiles them with this (jest-light-runner loads them with Node's own loader).
const { transformSync } = require('esbuild');

/** @returns {{ code: string, map: string }} */
function compile(source, file, sourcemap = 'external') {
  return transformSync(source, { loader: file.endsWith('.ts') ? 'ts' : 'js', format: 'cjs', target: 'node20', sourcemap, sourcefile: file });
}

module.exports = { compile };

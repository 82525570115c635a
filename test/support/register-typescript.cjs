// jest-light-runner runs test files with Node's own module loader (one module cache per worker thread,
// shared by the files it runs), so TypeScript is compiled here rather than by a jest transform:
// `require` of a .ts file through a CommonJS hook, and the runner's `import()` of a test file through
// an ES module hook that hands .ts files to that CommonJS loader. Stack traces point at the .ts lines.
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { version } = require('esbuild');
const { cachedCompile } = require('./compile-cache.cjs');
const { compile } = require('./esbuild-transform.cjs');

// Compiled once per file content, kept in .build/test-compile (compile-cache.cjs); the salt holds esbuild's
// version and compile's own text, which holds its options.
const options = { compile: (source, file) => compile(source, file, 'inline').code, salt: `esbuild ${version} inline ${compile}` };
require.extensions['.ts'] = (module, file) => {
  module._compile(cachedCompile(fs.readFileSync(file, 'utf8'), file, options), file);
};
process.setSourceMapsEnabled(true);
Module.register('./typescript-loader.mjs', pathToFileURL(__filename));

// cdktf as synth runs it: the bundle carries scripts/fast-resolve.cjs's rewrites, so the tests load the same
// (SYNTH_PLAIN_CDKTF=1 loads the library as published, as it does for synth).
const { REWRITTEN_FILES, rewriteFile } = require('../../scripts/fast-resolve.cjs');
const loadJavaScript = Module._extensions['.js'];
Module._extensions['.js'] = (module, file) => {
  const rewritten = REWRITTEN_FILES.test(file) && process.env.SYNTH_PLAIN_CDKTF !== '1' ? rewriteFile(file, fs.readFileSync(file)) : undefined;
  if (rewritten === undefined) return loadJavaScript(module, file);
  module._compile(rewritten, file);
};

// Node 22 and later keep V8's compiled code of the dependencies between runs (cdktf, the providers and
// cdk8s are loaded by each worker); Node 20 has no such cache and skips this.
Module.enableCompileCache?.(path.join(__dirname, '../../.build/node-compile-cache'));

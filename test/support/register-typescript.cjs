// jest-light-runner runs test files with Node's own module loader (one module cache per worker thread,
// shared by the files it runs), so TypeScript is compiled here rather than by a jest transform:
// `require` of a .ts file through a CommonJS hook, and the runner's `import()` of a test file through
// an ES module hook that hands .ts files to that CommonJS loader. Stack traces point at the .ts lines.
const fs = require('node:fs');
const { register } = require('node:module');
const { pathToFileURL } = require('node:url');
const { compile } = require('./esbuild-transform.cjs');

require.extensions['.ts'] = (module, file) => {
  module._compile(compile(fs.readFileSync(file, 'utf8'), file, 'inline').code, file);
};
process.setSourceMapsEnabled(true);
register('./typescript-loader.mjs', pathToFileURL(__filename));

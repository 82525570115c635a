// Preloaded (`node --require`) into jest and its worker threads by scripts/test.mjs. jest-snapshot loads
// Babel (@babel/core, /types, /generator: about 200 ms of CPU per thread) when it is loaded, only to write
// inline snapshots (toMatchInlineSnapshot), and jest-light-runner loads jest-snapshot in every worker. Here
// Babel is loaded on its first call instead: the snapshot code gets stand-ins that load the real module
// and call the same function. Nothing else changes, and inline snapshots still work.
const Module = require('node:module');

/** The file that loads Babel, and the packages it loads. */
const LOADER = /[\\/]jest-snapshot[\\/]build[\\/]InlineSnapshots\.js$/;
const BABEL = /[\\/]node_modules[\\/]@babel[\\/](core|types|generator)[\\/]/;

/** A module whose every export is a function that loads `request` on its first call and calls its namesake. */
function deferred(request, parent) {
  let real;
  const load = () => (real ??= originalLoad(request, parent, false));
  return new Proxy({}, { get: (_, name) => (name === '__esModule' ? undefined : (...args) => load()[name](...args)) });
}

// In place until the three packages have been deferred: a loader in every require's stack makes Node take
// the caller for code outside node_modules (it would, for one, warn about packages that load `punycode`).
const originalLoad = Module._load;
const waiting = new Set(['core', 'types', 'generator']);
Module._load = function loadDeferringBabel(request, parent, isMain) {
  const babel = parent && LOADER.test(parent.filename ?? '') ? BABEL.exec(request) : null;
  if (!babel) return originalLoad.call(this, request, parent, isMain);
  waiting.delete(babel[1]);
  if (waiting.size === 0) Module._load = originalLoad;
  return deferred(request, parent);
};

module.exports = { LOADER, BABEL };

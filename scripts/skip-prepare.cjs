// The switch between scripts/bundle.mjs and the rewrite of cdktf's app.js and tfExpression.js in
// scripts/fast-resolve.cjs (see there): a run of the bundle skips cdktf's prepare pass, and an app that
// turns out to need it throws an error with the UNPREPARED mark, which the caller answers by running it again
// with the pass.
const SKIP_PREPARE = 'aks-environments.cdktf-skip-prepare';
const UNPREPARED = 'aks-environments.cdktf-unprepared';

/** Whether an error says that the app needs cdktf's prepare pass. */
const needsPrepare = (error) => Boolean(error && typeof error === 'object' && error[Symbol.for(UNPREPARED)]);

/**
 * Runs `fn` with `globalThis[Symbol.for(name)]` set to `value`, as it was again afterwards. How the bundle
 * hands a run-time switch to code inside it: unlike an environment variable, nobody sets it by hand and no
 * child process inherits it.
 */
function withGlobal(name, value, fn) {
  const key = Symbol.for(name);
  const before = globalThis[key];
  globalThis[key] = value;
  try {
    return fn();
  } finally {
    globalThis[key] = before;
  }
}

/** Runs `fn` with the prepare pass skipped (where the rewritten library can skip it). */
const withoutPrepare = (fn) => withGlobal(SKIP_PREPARE, true, fn);

module.exports = { SKIP_PREPARE, UNPREPARED, needsPrepare, withGlobal, withoutPrepare };

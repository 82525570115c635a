// The switch between scripts/bundle.mjs and the rewrite of cdktf's app.js and tfExpression.js in
// scripts/fast-resolve.cjs (see there): a run of the bundle skips cdktf's prepare pass, and an app that
// turns out to need it throws an error with the UNPREPARED mark, which the caller answers by running it again
// with the pass.
const SKIP_PREPARE = 'aks-environments.cdktf-skip-prepare';
const UNPREPARED = 'aks-environments.cdktf-unprepared';

/** Whether an error says that the app needs cdktf's prepare pass. */
const needsPrepare = (error) => Boolean(error && typeof error === 'object' && error[Symbol.for(UNPREPARED)]);

/** Runs `fn` with the prepare pass skipped (where the rewritten library can skip it). */
function withoutPrepare(fn) {
  const key = Symbol.for(SKIP_PREPARE);
  const before = globalThis[key];
  globalThis[key] = true;
  try {
    return fn();
  } finally {
    globalThis[key] = before;
  }
}

module.exports = { SKIP_PREPARE, UNPREPARED, needsPrepare, withoutPrepare };

// cdktf and constructs capture a full stack trace into a plain object for every token and element
// (Error.stackTraceLimit raised to the maximum) and format it straight away; the text is only read by error
// messages about tokens. While these cheap captures are installed, such a capture gives the empty trace at
// once, without walking the stack (about a fifth of the synth time); stack traces of real errors are
// untouched. The synth bundle runs with them (bundle.mjs), and so do the tests (test/support/creation-stacks.ts),
// so the tests prove what synth runs. CommonJS, so the tests' loader can require it.

/** Installs the cheap captures; returns the function that puts the previous ones back. */
function installCheapCaptures() {
  const previous = Error.prepareStackTrace;
  const capture = Error.captureStackTrace;
  Error.prepareStackTrace = (target, frames) => {
    if (!(target instanceof Error)) return '';
    return previous ? previous(target, frames) : `${Error.prototype.toString.call(target)}${frames.map((f) => `\n    at ${f}`).join('')}`;
  };
  Error.captureStackTrace = function captureStackTrace(target, below) {
    if (target instanceof Error || target === null || typeof target !== 'object') return capture(target, below);
    // What the prepareStackTrace above would make of it, without collecting the frames first.
    Object.defineProperty(target, 'stack', { value: '', writable: true, configurable: true, enumerable: false });
  };
  return () => {
    Error.prepareStackTrace = previous;
    Error.captureStackTrace = capture;
  };
}

/** `run()` with the cheap captures installed. */
function withCheapCaptures(run) {
  const restore = installCheapCaptures();
  try {
    return run();
  } finally {
    restore();
  }
}

module.exports = { installCheapCaptures, withCheapCaptures };

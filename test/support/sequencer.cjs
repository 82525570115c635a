// The order jest starts test files in: its own (files that failed last time first, then the slowest first, so no
// worker is left with a long file at the end), with one change. Test files that read a folder made once per
// run (once-per-run.ts: the in-process synth output, the e2e tier's `npm run synth`) do not start side by side:
// the first of them makes the folder, and each of the others is moved to where it is expected to start after
// that, so it reads the folder instead of waiting for it while its worker idles. Expected times come from
// the durations jest recorded in the last run.
const fs = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

/** What a test file calls to read a once-per-run folder; files calling the same one share it. */
const SHARED = [/\bsynthOutput\(\)/, /\bsharedSynth\(\)/];
/** jest 29 gives a sequencer no configuration: the workers jest.config.js asks for (a --maxWorkers option is not seen). */
const WORKERS = require('../../jest.config.js').maxWorkers;
/** Assumed duration of a file jest has no duration for. */
const UNKNOWN_MS = 100;

/**
 * `order` with every file of `later` after the point where `first` is expected to end, running the files in
 * order on `workers` workers, each file on the first free one.
 */
function staggered(order, first, later, workers) {
  const rest = order.filter((test) => !later.includes(test));
  const free = Array.from({ length: workers }, () => 0);
  let firstEnds = Infinity;
  let at = rest.length;
  for (const [index, test] of rest.entries()) {
    const worker = free.indexOf(Math.min(...free));
    if (free[worker] >= firstEnds) {
      at = index;
      break;
    }
    free[worker] += test.duration ?? UNKNOWN_MS;
    if (test === first) firstEnds = free[worker];
  }
  return [...rest.slice(0, at), ...later, ...rest.slice(at)];
}

class SharedFolderSequencer extends Sequencer {
  sort(tests) {
    let order = super.sort(tests);
    for (const call of SHARED) {
      const readers = order.filter((test) => call.test(fs.readFileSync(test.path, 'utf8')));
      if (readers.length > 1) order = staggered(order, readers[0], readers.slice(1), WORKERS);
    }
    return order;
  }
}

module.exports = SharedFolderSequencer;
module.exports.staggered = staggered;

/*
 * cdktf records a complete stack trace (no depth limit, formatted to text, source-mapped under the
 * tests' TypeScript hook) for every token it creates, only to print it if that token later fails to
 * resolve. Under jest the stacks are deep, and this recording took about two thirds of every stack synth
 * in the tests. The tests skip it as `npm run synth` does, with the same cheap captures
 * (scripts/cheap-captures.cjs), installed for the whole worker rather than around each synth, since tests
 * build constructs everywhere. The synthesized JSON is the same either way (creation-stacks.test.ts
 * compares), only a token error's "created at" list is empty; real errors keep their stack traces.
 * CDKTF_CREATION_STACKS=1 keeps the creation stacks, for debugging such an error.
 */
// oxlint-disable-next-line typescript/no-require-imports -- a CommonJS script module shared with the synth bundle, without types
const { installCheapCaptures } = require('../../scripts/cheap-captures.cjs') as { installCheapCaptures: () => () => void };

/** Puts the previous captures back; undefined while creation stacks are recorded. */
let restore = process.env.CDKTF_CREATION_STACKS === '1' ? undefined : installCheapCaptures();

/** Runs `fn` with cdktf recording creation stacks as it does outside synth and the tests. */
export function withCreationStacks<T>(fn: () => T): T {
  if (!restore) return fn();
  restore();
  restore = undefined;
  try {
    return fn();
  } finally {
    restore = installCheapCaptures();
  }
}

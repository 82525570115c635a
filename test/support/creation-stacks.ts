/*
 * cdktf records a complete stack trace (no depth limit, formatted to text, source-mapped under the
 * tests' TypeScript hook) for every token it creates, only to print it if that token later fails to
 * resolve. Under jest the stacks are deep, and this recording took about two thirds of every stack synth
 * in the tests. The tests skip it: the synthesized JSON is the same either way (creation-stacks.test.ts
 * compares), only a token error's "created at" list is empty. CDKTF_CREATION_STACKS=1 keeps them, for
 * debugging such an error. The synth path (scripts/synth.mjs) is not affected.
 */
type Capture = (below?: unknown) => string[];

// oxlint-disable-next-line typescript/no-require-imports -- cdktf's private module, not in its types; cdktf calls through this exports object
export const stackTraceModule = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: Capture };

/** cdktf's own capture, kept for the test that compares synth output with and without it. */
export const captureCreationStack: Capture = stackTraceModule.captureStackTrace;

const skipped: Capture = () => [];

/** Runs `fn` with cdktf recording creation stacks as it does outside the tests. */
export function withCreationStacks<T>(fn: () => T): T {
  const current = stackTraceModule.captureStackTrace;
  stackTraceModule.captureStackTrace = captureCreationStack;
  try {
    return fn();
  } finally {
    stackTraceModule.captureStackTrace = current;
  }
}

if (process.env.CDKTF_CREATION_STACKS !== '1') stackTraceModule.captureStackTrace = skipped;

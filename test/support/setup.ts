import type {} from 'cdktf/lib/testing/adapters/jest'; // the matcher types (toHaveResourceWithProperties, ...)

/*
 * cdktf's jest matchers, registered for every test file but loaded on first use: loading cdktf costs
 * a few hundred milliseconds per file, and most test files (config, workloads, workflows) never need it.
 */
type Matcher = (this: jest.MatcherContext, ...args: unknown[]) => jest.CustomMatcherResult;
const NAMES = [
  'toHaveResource',
  'toHaveResourceWithProperties',
  'toHaveDataSource',
  'toHaveDataSourceWithProperties',
  'toHaveProvider',
  'toHaveProviderWithProperties',
  'toBeValidTerraform',
  'toPlanSuccessfully',
];

let cdktfMatchers: Record<string, Matcher> | undefined;

/** Runs cdktf's own setupJest against a stand-in `expect` that keeps the matchers it registers. */
function loadCdktfMatchers(): Record<string, Matcher> {
  if (!cdktfMatchers) {
    const globals = globalThis as unknown as { expect: unknown };
    const realExpect = globals.expect;
    globals.expect = { extend: (matchers: Record<string, Matcher>) => (cdktfMatchers = matchers) };
    try {
      // oxlint-disable-next-line typescript/no-require-imports -- loaded on first use, not when every test file starts
      (require('cdktf/lib/testing/adapters/jest') as { setupJest: () => void }).setupJest();
    } finally {
      globals.expect = realExpect;
    }
  }
  return cdktfMatchers as Record<string, Matcher>;
}

expect.extend(
  Object.fromEntries(
    NAMES.map((name) => [
      name,
      function (this: jest.MatcherContext, ...args: unknown[]) {
        return loadCdktfMatchers()[name].apply(this, args);
      },
    ]),
  ),
);

/*
 * cdktf records a complete stack trace for every token it creates, only to print it if that token later
 * fails to resolve. Under jest each such trace is source-mapped (through the inline source maps of cdktf and
 * the providers), which took about half of the unit tier's time. The tests go without them.
 */
jest.mock('cdktf/lib/tokens/private/stack-trace', () => ({ captureStackTrace: () => [] }));

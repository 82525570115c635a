import { syncBuiltinESMExports } from 'node:module';
import { promisify } from 'node:util';

/*
 * The unit tier (every *.test.ts but *.e2e.test.ts, see jest.config.js) starts no processes: that is
 * what keeps `npm test` fast. A unit test, or project code it calls, that starts one fails here, saying
 * where the test belongs. A start counts as a unit test's when a unit test file is on the stack and no
 * *.e2e.test.ts file is; starts made by dependencies themselves (esbuild's compile service) are theirs.
 * tiers.test.ts checks the same statically, for code the tests do not run (a skipped test).
 */
// The module object itself, which every importer reads its functions from (an `import * as` copy would not do).
// oxlint-disable-next-line typescript/no-require-imports -- see the line above
const childProcess = require('node:child_process') as typeof import('node:child_process');
const STARTERS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;
const TEST_FILE = /([^\s(]+\.test\.ts)/;

/** The unit test file that is starting a process, if one is. */
export function unitTestStartingProcess(stack: string): string | undefined {
  const frames = stack.split('\n').slice(1);
  const caller = frames.find((f) => !f.includes('node:') && !f.includes('process-guard.ts'));
  if (!caller || caller.includes('/node_modules/')) return undefined;
  const testFiles = frames.map((f) => TEST_FILE.exec(f)?.[1]).filter((f): f is string => f !== undefined);
  if (testFiles.some((f) => f.endsWith('.e2e.test.ts'))) return undefined;
  return testFiles[0];
}

/** `start`, failing when a unit test calls it. */
function guarded(name: string, start: (...args: unknown[]) => unknown) {
  return function (this: unknown, ...args: unknown[]) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = Infinity;
    const stack = new Error().stack ?? '';
    Error.stackTraceLimit = limit;
    const test = unitTestStartingProcess(stack);
    if (test) {
      const file = test.replace(/^file:\/\//, '').replace(/\?.*$/, '');
      throw new Error(
        `${file} starts a process (child_process.${name} ${String(args[0])}): unit tests run in the test process. ` +
          `Move the test to ${file.replace(/\.test\.ts$/, '.e2e.test.ts')} (the e2e tier, npm run test:all).`,
      );
    }
    return start.apply(this, args);
  };
}

for (const name of STARTERS) {
  const start = childProcess[name] as ((...args: unknown[]) => unknown) & { [promisify.custom]?: (...args: unknown[]) => unknown };
  const wrapper: ((...args: unknown[]) => unknown) & { [promisify.custom]?: unknown } = guarded(name, start);
  // exec and execFile promisify to { stdout, stderr } through their own promisified form: guard that too.
  const custom = start[promisify.custom];
  if (custom) wrapper[promisify.custom] = guarded(name, custom);
  (childProcess as unknown as Record<string, unknown>)[name] = wrapper;
}
syncBuiltinESMExports();

import * as path from 'node:path';
import { ModuleMocker } from 'jest-mock';

/*
 * What jest-light-runner (see jest.config.js) leaves out of the jest API and these tests rely on:
 * - timeouts: a test or hook that has not settled after its timeout fails (jest's 5 s default, the
 *   third argument of `it`/`beforeAll`/..., or `jest.setTimeout` for the rest of the file);
 * - `jest.replaceProperty`, and `jest.restoreAllMocks` restoring it, as jest-mock does.
 * jest-circus registers tests and hooks through events; this handler runs after its own and wraps
 * what was just added. circus's state object is new for every test file, so it keys the file's timeout.
 */
type Fn = () => unknown;
interface Entry {
  fn: Fn;
  timeout?: number;
}
interface Block {
  children: (Entry & { type: string })[];
  hooks: Entry[];
}
interface CircusState {
  currentDescribeBlock: Block;
}
interface CircusEvent {
  name: string;
  hookType?: string;
  testName?: string;
}
// oxlint-disable-next-line typescript/no-require-imports -- circus's event API is not in its package exports; this is the same module instance jest-circus uses
const circusState = require(path.join(path.dirname(require.resolve('jest-circus/package.json')), 'build/state.js')) as {
  addEventHandler(handler: (event: CircusEvent, state: CircusState) => void): void;
  getState(): CircusState;
};

const JEST_DEFAULT_TIMEOUT_MS = 5_000;
const fileTimeouts = new WeakMap<CircusState, number>();

/** The entry's function, failing with jest's message when it has not settled in time. */
function withTimeout(entry: Entry, state: CircusState, what: string): void {
  const fn = entry.fn;
  const ms = entry.timeout ?? fileTimeouts.get(state) ?? JEST_DEFAULT_TIMEOUT_MS;
  // A done-callback function (`(done) => ...`) becomes a promise first.
  const run =
    fn.length >= 1
      ? () => new Promise((resolve, reject) => (fn as (done: (e?: unknown) => void) => void)((e) => (e ? reject(e) : resolve(undefined))))
      : fn;
  entry.fn = () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Exceeded timeout of ${ms} ms for ${what}. Pass a longer timeout as its last argument if it needs one.`)),
        ms,
      );
    });
    return Promise.race([Promise.resolve().then(run), timeout]).finally(() => clearTimeout(timer));
  };
}

circusState.addEventHandler((event, state) => {
  const block = state.currentDescribeBlock;
  if (event.name === 'add_test') {
    const test = block.children.at(-1);
    if (test?.type === 'test') withTimeout(test, state, `test "${event.testName}"`);
  } else if (event.name === 'add_hook') {
    const hook = block.hooks.at(-1);
    if (hook) withTimeout(hook, state, `a ${event.hookType} hook`);
  }
});

const mocker = new ModuleMocker(globalThis);
Object.assign(jest, {
  setTimeout(ms: number) {
    fileTimeouts.set(circusState.getState(), ms);
    return jest;
  },
  fn: mocker.fn.bind(mocker),
  spyOn: mocker.spyOn.bind(mocker),
  replaceProperty: mocker.replaceProperty.bind(mocker),
  clearAllMocks: mocker.clearAllMocks.bind(mocker),
  resetAllMocks: mocker.resetAllMocks.bind(mocker),
  restoreAllMocks: mocker.restoreAllMocks.bind(mocker),
});

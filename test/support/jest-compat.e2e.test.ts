import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * jest-light-runner leaves timeouts to jest-compat.ts, and one worker runs many files in one module
 * cache; process-guard.ts keeps processes out of the unit tier. Both checked on jest itself, run on a
 * fixture project that uses this repository's setup files, in one worker, files in name order.
 */
const ROOT = path.resolve(__dirname, '../..');

const STARTS_PROCESS = `import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
it('starts a process', () => {
  expect(spawnSync(process.execPath, ['-e', '']).status).toBe(0);
});
it('starts a process through promisify', async () => {
  expect(await promisify(execFile)(process.execPath, ['-e', 'process.stdout.write("out")'])).toEqual({ stdout: 'out', stderr: '' });
});
`;

const FIXTURES: Record<string, string> = {
  'a-file-timeout.test.ts': `jest.setTimeout(200);
it('never settles', () => new Promise(() => undefined));
`,
  // Runs after a-file-timeout.test.ts in the same worker: its jest.setTimeout must not apply here.
  'b-default-timeout.test.ts': `it('settles after 400 ms, within the default 5 s', () => new Promise((resolve) => setTimeout(resolve, 400)));
it('never settles, with its own 300 ms', () => new Promise(() => undefined), 300);
`,
  // The same test in either tier.
  'c-starts-process.test.ts': STARTS_PROCESS,
  'c-starts-process.e2e.test.ts': STARTS_PROCESS,
  'sequencer.cjs': `const Sequencer = require(${JSON.stringify(require.resolve('@jest/test-sequencer'))}).default;
module.exports = class extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => a.path.localeCompare(b.path));
  }
};
`,
};

interface JsonResult {
  testResults: Array<{ name: string; assertionResults: Array<{ title: string; status: string; failureMessages: string[] }> }>;
}

describe('the test runner setup (jest-light-runner with jest-compat.ts and setup.ts)', () => {
  let results: JsonResult['testResults'];
  beforeAll(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jest-compat-'));
    for (const [file, text] of Object.entries(FIXTURES)) fs.writeFileSync(path.join(dir, file), text);
    const support = (file: string) => path.join(ROOT, 'test/support', file);
    const config = {
      rootDir: dir,
      testEnvironment: 'node',
      runner: require.resolve('jest-light-runner'),
      setupFiles: [support('register-typescript.cjs')],
      setupFilesAfterEnv: [support('jest-compat.ts'), support('setup.ts')],
      testMatch: ['**/*.test.ts'],
      testSequencer: path.join(dir, 'sequencer.cjs'),
      maxWorkers: 1,
      cache: false,
    };
    const jest = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/jest/bin/jest.js'), '--config', JSON.stringify(config), '--json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(jest.stdout).toContain('"testResults"');
    results = (JSON.parse(jest.stdout) as JsonResult).testResults;
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const outcome = (file: string) =>
    results.find((r) => path.basename(r.name) === file)?.assertionResults.map((a) => [a.title, a.status, a.failureMessages.join('\n')]);

  it('fails a test that has not settled after the file timeout set by jest.setTimeout', () => {
    expect(outcome('a-file-timeout.test.ts')).toEqual([['never settles', 'failed', expect.stringContaining('Exceeded timeout of 200 ms')]]);
  });

  it("keeps jest.setTimeout to its file: the next file in the worker has jest's default and its tests' own timeouts", () => {
    expect(outcome('b-default-timeout.test.ts')).toEqual([
      ['settles after 400 ms, within the default 5 s', 'passed', ''],
      ['never settles, with its own 300 ms', 'failed', expect.stringContaining('Exceeded timeout of 300 ms')],
    ]);
  });

  it('fails a unit test that starts a process, naming where it belongs; an e2e test may', () => {
    const refused = expect.stringMatching(/c-starts-process\.test\.ts starts a process .*Move the test to \S*c-starts-process\.e2e\.test\.ts/);
    expect(outcome('c-starts-process.test.ts')).toEqual([
      ['starts a process', 'failed', refused],
      ['starts a process through promisify', 'failed', refused],
    ]);
    expect(outcome('c-starts-process.e2e.test.ts')).toEqual([
      ['starts a process', 'passed', ''],
      ['starts a process through promisify', 'passed', ''],
    ]);
  });
});

import { execFile } from 'node:child_process';
import * as path from 'node:path';

/*
 * `npm run prices` as package.json runs it (node scripts/run-app.mjs cost/prices-cli.ts): --help and a bad
 * option answer before anything else, like every other script (test/scripts/usage.e2e.test.ts); without
 * options it prints the committed snapshot's summary. Offline: nothing here refreshes.
 */
const ROOT = path.resolve(__dirname, '../..');

function prices(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['scripts/run-app.mjs', 'cost/prices-cli.ts', ...args],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

describe('npm run prices', () => {
  it('answers --help with its usage, exit 0, and an unknown option with one line, exit 2', async () => {
    const help = await prices(['--help']);
    expect({ status: help.status, stderr: help.stderr }).toEqual({ status: 0, stderr: '' });
    expect(help.stdout).toMatch(/^usage: npm run prices -- \[--refresh\]/);
    expect(await prices(['--frobnicate'])).toEqual({
      status: 2,
      stdout: '',
      stderr: "npm run prices: unknown option '--frobnicate' (npm run prices -- --help lists the options)\n",
    });
  }, 120_000);

  it('prints what the committed snapshot holds', async () => {
    const run = await prices([]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^cost\/price-snapshot\.json: \d+ prices in USD, \d+ regions, as of \d{4}-\d{2}-\d{2} \((hand-sourced|refreshed)\)\n/);
  }, 120_000);
});

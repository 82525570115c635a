import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/*
 * scripts/usage.mjs's exitWhenFlushed ends synth (and the CDK apps cdktf runs) with process.exit(), which
 * skips tearing down the heap: it must not cut what is still being written, nor lose the exit code.
 */
const USAGE = pathToFileURL(path.join(__dirname, '../../scripts/usage.mjs')).href;

it('exits with process.exitCode once everything written to stdout and stderr is out, however much', () => {
  const script = `
    const { exitWhenFlushed } = await import(${JSON.stringify(USAGE)});
    for (let i = 0; i < 2000; i++) process.stdout.write('x'.repeat(1023) + '\\n');
    console.error('last words');
    process.exitCode = 3;
    exitWhenFlushed();
    setTimeout(() => console.log('never printed: the process has ended'), 1000);
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 8 * 1024 * 1024 });
  expect(run.status).toBe(3);
  expect(run.stdout).toHaveLength(2000 * 1024);
  expect(run.stdout).not.toContain('never printed');
  expect(run.stderr).toBe('last words\n');
});

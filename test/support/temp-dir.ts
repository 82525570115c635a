import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * Jest globalSetup/globalTeardown: every temporary folder of a test run (the tests' own, cdktf's and
 * cdk8s's Testing outdirs, those of the synth processes the tests start) goes into one folder per run,
 * removed at the end. Workers and child processes inherit TMPDIR, and os.tmpdir() reads it on each call.
 */
const VARIABLE = 'AKS_ENVIRONMENTS_TEST_TMPDIR';

export function setup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-environments-test-'));
  process.env[VARIABLE] = dir;
  process.env.TMPDIR = dir;
}

export function teardown(): void {
  const dir = process.env[VARIABLE];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

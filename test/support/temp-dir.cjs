// Jest globalSetup/globalTeardown (CommonJS, so that jest loads no transform for them): every temporary
// folder of a test run (the tests' own, cdktf's and cdk8s's Testing outdirs, those of the synth processes the
// tests start) goes into one folder per run, removed at the end. Workers and child processes inherit TMPDIR,
// and os.tmpdir() reads it on each call.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const VARIABLE = 'AKS_ENVIRONMENTS_TEST_TMPDIR';

/**
 * The environments every test reads unless it names others: the fixtures in test/fixtures/environments,
 * never the user's environments/ (only test/user-environments.test.ts reads those). Workers, synth and
 * the other processes tests start inherit it.
 */
const FIXTURE_ENVIRONMENTS = path.resolve(__dirname, '../fixtures/environments');

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-environments-test-'));
  process.env[VARIABLE] = dir;
  process.env.TMPDIR = dir;
  process.env.ENVIRONMENTS_DIR = FIXTURE_ENVIRONMENTS;
}

function teardown() {
  const dir = process.env[VARIABLE];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

module.exports = { setup, teardown };

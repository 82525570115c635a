/*
 * Two tiers, one jest run each (scripts/test.mjs picks them):
 * - unit: everything that runs inside the test process (config rules, constructs, stacks and charts
 *   synthesized in memory, guardrails, the PR diff's comparison, workflows). `npm test`.
 * - e2e (`*.e2e.test.ts`): what starts real processes: `npm run synth` and its kills and locks, git
 *   repositories for `npm run diff`, terraform, the app's server process, the CLIs. `npm run test:all`.
 * Both run on jest-light-runner: test files share each worker thread's module cache instead of loading
 * cdktf, the providers and cdk8s once per file, which more than halves the suite's CPU time. Test files
 * therefore must not leave global state behind (environment variables, spies: restore them).
 */
const E2E = '\\.e2e\\.test\\.ts$';

/** @type {import('jest').Config['projects'][number]} */
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  runner: 'jest-light-runner',
  // TypeScript for the test files (see register-typescript.cjs). jest itself loads only CommonJS
  // (globalSetup, the sequencer), so it needs no transform (and loads none: not even babel-jest's default).
  setupFiles: ['<rootDir>/test/support/register-typescript.cjs'],
  transform: {},
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-compat.ts', '<rootDir>/test/support/setup.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['**/*.test.ts'], testPathIgnorePatterns: [E2E] },
    { ...shared, displayName: 'e2e', testMatch: ['**/*.e2e.test.ts'] },
  ],
  // One temporary folder per run (TMPDIR for the workers and the processes they start), removed at the end.
  globalSetup: '<rootDir>/test/support/global-setup.cjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.cjs',
  // Slowest first, and test files that share a once-per-run folder not side by side (see there).
  testSequencer: '<rootDir>/test/support/sequencer.cjs',
  // Synthesis is CPU-bound; two workers match the 2-core machines this runs on.
  maxWorkers: 2,
};

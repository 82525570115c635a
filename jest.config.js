/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '\\.ts$': '<rootDir>/test/support/esbuild-transform.cjs' },
  setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
  // Synthesis is CPU-bound; two workers match the 2-core machines this runs on.
  maxWorkers: 2,
};

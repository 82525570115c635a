// ESLint (flat config): typescript-eslint's recommended rules everywhere, plus the type-aware rules
// that catch real bugs here (promises nobody awaits, assertions that change nothing). Type information
// comes from tsconfig.json through the project service, parsed by the `typescript` package (6.x; the
// type-check itself runs TypeScript 7 native). Formatting is Prettier's job, so no style rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The Node globals the plain JavaScript files use (the `globals` package is not a dependency).
const node = Object.fromEntries(
  ['process', 'console', 'performance', 'Buffer', 'URL', 'setTimeout', 'clearTimeout', 'structuredClone'].map((name) => [name, 'readonly']),
);
/** Every `eslint-disable` comment says why, after ` -- ` on the same line. */
const disableNeedsReason = {
  meta: { type: 'suggestion', schema: [], messages: { missing: "say why the rule is disabled: '// eslint-disable-next-line <rule> -- <reason>'" } },
  create: (context) => ({
    Program() {
      for (const comment of context.sourceCode.getAllComments()) {
        if (/^\s*eslint-disable/.test(comment.value) && !/ -- \S/.test(comment.value)) context.report({ loc: comment.loc, messageId: 'missing' });
      }
    },
  }),
};

const commonjs = { ...node, require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', __filename: 'readonly' };

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', 'dist/', 'coverage/', '.build/', '.synth-staging*/', 'platform-outputs/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { project: { rules: { 'disable-needs-reason': disableNeedsReason } } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: { 'project/disable-needs-reason': 'error' },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Type-aware: the bugs a type-checker does not report.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // tsc's noUnusedLocals/noUnusedParameters report these already; `_name` marks a deliberately unused one.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `typeof import('m')` stays allowed: it types a module that is loaded lazily on purpose.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // Tests read parsed JSON/YAML of Terraform and Kubernetes documents whose shapes are open-ended.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off', // parsed synth output (cdk.tf.json, manifests) is untyped by nature
      '@typescript-eslint/no-non-null-assertion': 'off', // a missing value fails the test on the next line anyway
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: node, sourceType: 'module' },
  },
  {
    files: ['**/*.cjs', '**/*.js'],
    languageOptions: { globals: commonjs, sourceType: 'commonjs' },
    rules: {
      '@typescript-eslint/no-require-imports': 'off', // CommonJS files (jest config and transform) load modules with require
    },
  },
);

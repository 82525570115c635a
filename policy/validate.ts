import { runValidate } from './cli';

// `npm run validate`: `node scripts/run-app.mjs policy/validate.ts ARGS` (the entry is the first argument).
try {
  process.exitCode = runValidate(process.argv.slice(3), { out: console.log, err: console.error, isTerminal: process.stdout.isTTY === true });
} catch (error) {
  console.error((error as { isInputError?: boolean }).isInputError ? (error as Error).message : error);
  process.exitCode = 1;
}

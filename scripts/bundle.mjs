// Compiles TypeScript entry points to CommonJS files with esbuild (no type-checking: `npm run
// typecheck` does that). Dependencies stay in node_modules, so only the provider files we import load.
import * as path from 'node:path';
import { buildSync } from 'esbuild';

export const BUILD_DIR = '.build';

/** Bundles the entries (e.g. infra/main.ts) in one esbuild run; returns the bundles' absolute paths in order. */
export function bundleEntries(entries) {
  buildSync({
    entryPoints: entries,
    outdir: path.resolve(BUILD_DIR),
    outbase: '.',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return entries.map((entry) => path.resolve(BUILD_DIR, entry.replace(/\.ts$/, '.cjs')));
}

/** Prints an error: bad input and failed checks as their message, anything else with its stack. */
export function reportError(error) {
  const expected = error?.isInputError === true || /^Validation failed/.test(error?.message ?? '');
  console.error(expected ? error.message : error);
}

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

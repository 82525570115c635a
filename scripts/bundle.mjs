// Compiles a TypeScript entry point to one CommonJS file with esbuild (no type-checking: `npm run
// typecheck` does that). Dependencies stay in node_modules, so only the provider files we import load.
import * as path from 'node:path';
import { buildSync } from 'esbuild';

export const BUILD_DIR = '.build';

/** Bundles `entry` (e.g. infra/main.ts) and returns the absolute path of the bundle. */
export function bundleEntry(entry) {
  const outfile = path.resolve(BUILD_DIR, entry.replace(/\.ts$/, '.cjs'));
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return outfile;
}

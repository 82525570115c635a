import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * What the parse cache (config/parse-cache.ts) saves a synth: a process whose environment files were all
 * checked by an earlier one loads no zod and builds no schema. Each run is a new Node process, as each
 * `npm run synth` is; the files are the shipped ones.
 */
const ROOT = path.resolve(__dirname, '../..');
const LOAD = `
globalThis[Symbol.for('aks-environments.parse-cache-dir')] = process.argv[1];
const { loadEnvironments } = require('./config');
const names = loadEnvironments('test/fixtures/environments', { warn: () => undefined }).map((e) => e.name);
const zodLoaded = Object.keys(require.cache).some((file) => /[\\\\/]node_modules[\\\\/]zod[\\\\/]/.test(file));
process.stdout.write(JSON.stringify({ names, zodLoaded }));
`;

function load(cacheDir: string) {
  // The folder as scripts/bundle.mjs names it for a bundled app.
  const run = spawnSync(process.execPath, ['--require', './test/support/register-typescript.cjs', '-e', LOAD, cacheDir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as { names: string[]; zodLoaded: boolean };
}

describe('a synth after one that checked the same environment files', () => {
  it('loads no zod and builds no schema', () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parse-cache-'));
    try {
      const first = load(cacheDir);
      expect(first.zodLoaded).toBe(true);
      expect(first.names.length).toBeGreaterThanOrEqual(3);
      expect(fs.readdirSync(cacheDir)).toHaveLength(first.names.length);
      expect(load(cacheDir)).toEqual({ names: first.names, zodLoaded: false });
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

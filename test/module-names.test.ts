import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * Node resolves `require('./prices')` to prices.js, then prices.json, before a TypeScript loader's prices.ts
 * (ts-node, as the cdktf and cdk8s init templates run apps, and any tool registering `.ts` last). A data file
 * named like a module beside it would be loaded instead of the module, so data files get their own names.
 */
const ROOT = path.resolve(__dirname, '..');
const SOURCE_FOLDERS = ['config', 'cost', 'infra', 'policy', 'scripts', 'workloads', 'test'];

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : files(full);
    return [full];
  });
}

describe('module names', () => {
  it('no JSON or JavaScript file shares its name with a TypeScript module beside it', () => {
    const all = SOURCE_FOLDERS.flatMap((folder) => files(path.join(ROOT, folder)));
    const modules = new Set(all.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => f.slice(0, -3)));
    const shadowing = all.filter((f) => /\.(json|js|cjs)$/.test(f) && modules.has(f.replace(/\.(json|js|cjs)$/, '')));
    expect(shadowing.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});

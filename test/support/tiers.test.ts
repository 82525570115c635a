import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * The unit tier (jest.config.js: every *.test.ts but *.e2e.test.ts) starts no processes: that is what keeps
 * `npm test` fast. This checks the sources: no unit test file, nor a test helper it imports, loads
 * child_process or the helpers that exist to start processes (the shared `npm run synth`, the git fixture
 * for `npm run diff`). A test that needs a process belongs in a *.e2e.test.ts file (npm run test:all).
 */
const TEST_DIR = path.resolve(__dirname, '..');
const STARTS_PROCESSES = /from '(node:)?child_process'|require\('(node:)?child_process'\)/;

const testFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? testFiles(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : []));

/** The files under test/ that `file` imports (not type-only), resolved to .ts files. */
function testImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^;]*?\sfrom\s+)?'(\.[^']+)'/gm)].map((m) => m[1]);
  return specifiers
    .map((s) => path.resolve(path.dirname(file), s))
    .map((p) => [p, `${p}.ts`, path.join(p, 'index.ts')].find((c) => fs.existsSync(c) && fs.statSync(c).isFile()))
    .filter((p): p is string => p !== undefined && p.startsWith(TEST_DIR + path.sep) && /\.(ts|cjs|mjs|js)$/.test(p));
}

/** The chains of files by which `test` (itself, or a test helper it imports) loads child_process. */
function processChains(test: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const here = [...chain, path.relative(TEST_DIR, file)];
    if (STARTS_PROCESSES.test(fs.readFileSync(file, 'utf8'))) found.push(here.join(' -> '));
    for (const next of testImports(file)) visit(next, here);
  };
  visit(test, []);
  return found;
}

describe('test tiers', () => {
  it('no unit test file, nor a test helper it imports, loads child_process', () => {
    const unit = testFiles(TEST_DIR).filter((f) => !f.endsWith('.e2e.test.ts'));
    expect(unit.length).toBeGreaterThan(30);
    expect(unit.flatMap(processChains)).toEqual([]);
  });

  it('finds child_process in the test file and through the helpers it imports (the check, on e2e files)', () => {
    expect(processChains(path.join(TEST_DIR, 'diff/diff.e2e.test.ts'))).toEqual(['diff/diff.e2e.test.ts -> diff/git-fixture.ts']);
    expect(processChains(path.join(TEST_DIR, 'policy/project.e2e.test.ts'))).toEqual([
      'policy/project.e2e.test.ts',
      'policy/project.e2e.test.ts -> support/shared-synth.ts',
    ]);
  });
});

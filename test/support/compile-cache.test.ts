import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// oxlint-disable-next-line typescript/no-require-imports -- a CommonJS helper of the TypeScript hook, without types
const { cachedCompile } = require('./compile-cache.cjs') as {
  cachedCompile: (source: string, file: string, options: { dir: string; compile: (source: string, file: string) => string; salt: string }) => string;
};

// The cache of the tests' compiled TypeScript (compile-cache.cjs): keyed by everything that makes the output, damage is rebuilt.
describe('compile cache of the test TypeScript', () => {
  let dir: string;
  let compiled: string[];
  const options = (salt = 'v1') => ({ dir, salt, compile: (source: string, file: string) => (compiled.push(file), `// ${file}\n${source}`) });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compile-cache-'));
    compiled = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('compiles once per input and serves the same code after', () => {
    expect(cachedCompile('const a = 1;', '/x/a.ts', options())).toBe('// /x/a.ts\nconst a = 1;');
    expect(cachedCompile('const a = 1;', '/x/a.ts', options())).toBe('// /x/a.ts\nconst a = 1;');
    expect(compiled).toEqual(['/x/a.ts']);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('compiles again for an edited file, another path or another compiler (salt)', () => {
    cachedCompile('const a = 1;', '/x/a.ts', options());
    expect(cachedCompile('const a = 2;', '/x/a.ts', options())).toBe('// /x/a.ts\nconst a = 2;');
    expect(cachedCompile('const a = 1;', '/y/a.ts', options())).toBe('// /y/a.ts\nconst a = 1;');
    cachedCompile('const a = 1;', '/x/a.ts', options('v2'));
    expect(compiled).toEqual(['/x/a.ts', '/x/a.ts', '/y/a.ts', '/x/a.ts']);
  });

  it('compiles again, and repairs the entry, when an entry is truncated or altered', () => {
    cachedCompile('const a = 1;', '/x/a.ts', options());
    const [entry] = fs.readdirSync(dir).map((f) => path.join(dir, f));
    const whole = fs.readFileSync(entry, 'utf8');
    for (const damaged of [whole.slice(0, whole.length - 3), whole.replace('const a = 1', 'const a = 9'), '', 'garbage']) {
      fs.writeFileSync(entry, damaged);
      expect(cachedCompile('const a = 1;', '/x/a.ts', options())).toBe('// /x/a.ts\nconst a = 1;');
      expect(fs.readFileSync(entry, 'utf8')).toBe(whole);
    }
    expect(compiled).toHaveLength(5);
  });

  it('still compiles when the cache folder cannot be written', () => {
    const file = path.join(dir, 'not-a-folder');
    fs.writeFileSync(file, '');
    expect(cachedCompile('const a = 1;', '/x/a.ts', { ...options(), dir: file })).toBe('// /x/a.ts\nconst a = 1;');
  });
});

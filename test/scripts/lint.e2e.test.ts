import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * `npm run lint` and `npm run format:check` for real: oxlint (with tsgolint's type-aware rules and the
 * project's disable-needs-reason plugin) and oxfmt run with the repository's own config files on a small
 * fixture project, so a config change that silently drops a rule, or a tool that no longer finds its
 * type information, fails here rather than letting the bug class through.
 */
const ROOT = path.resolve(__dirname, '../..');
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);

/** One file per finding the lint config must report (file -> the rule it breaks). */
const FINDINGS: Record<string, { code: string; rule: string }> = {
  'floating.ts': {
    rule: 'typescript(no-floating-promises)',
    code: `async function work(): Promise<number> {\n  return 1;\n}\nexport function run(): void {\n  work();\n}\n`,
  },
  'misused.ts': {
    rule: 'typescript(no-misused-promises)',
    code: `export function each(items: number[]): void {\n  items.forEach(async (item) => {\n    await Promise.resolve(item);\n  });\n}\n`,
  },
  'await-value.ts': {
    rule: 'typescript(await-thenable)',
    code: `export async function value(n: number): Promise<number> {\n  return await n;\n}\n`,
  },
  'assertion.ts': {
    rule: 'typescript(no-unnecessary-type-assertion)',
    code: `export const twice = (s: string): string => (s as string).repeat(2);\n`,
  },
  'throw.ts': { rule: 'typescript(only-throw-error)', code: `export function fail(): never {\n  throw 'failed';\n}\n` },
  'switch.ts': {
    rule: 'typescript(switch-exhaustiveness-check)',
    code: `export function size(s: 'a' | 'b'): number {\n  switch (s) {\n    case 'a':\n      return 1;\n  }\n  return 0;\n}\n`,
  },
  'undescribed.ts': {
    rule: 'project(disable-needs-reason)',
    code: `export function same(a: unknown, b: unknown): boolean {\n  // oxlint-disable-next-line eqeqeq\n  return a == b;\n}\n`,
  },
  'unused-directive.ts': {
    rule: 'Unused oxlint-disable directive',
    code: `// oxlint-disable-next-line eqeqeq -- nothing to disable here\nexport const same = (a: unknown, b: unknown): boolean => a === b;\n`,
  },
  'loose-equality.ts': { rule: 'eslint(eqeqeq)', code: `export const same = (a: unknown, b: unknown): boolean => a == b;\n` },
  'unused.ts': { rule: 'eslint(no-unused-vars)', code: `export function f(): number {\n  const unused = 1;\n  return 2;\n}\n` },
  'type-import.ts': {
    rule: 'typescript(consistent-type-imports)',
    code: `import { Shape } from './shape';\nexport const area = (s: Shape): number => s.width * s.height;\n`,
  },
};
/** What the config must accept: a described disable comment, `_` names, inline type imports. */
const CLEAN: Record<string, string> = {
  'shape.ts': `export interface Shape {\n  width: number;\n  height: number;\n}\n`,
  'described.ts': `export function same(a: unknown, b: unknown): boolean {\n  // oxlint-disable-next-line eqeqeq -- null and undefined count as the same here\n  return a == b;\n}\n`,
  'underscore.ts': `export function f(_unused: number): number {\n  const [_first, second] = [1, 2];\n  return second;\n}\n`,
  'inline-type.ts': `import { type Shape } from './shape';\nexport const width = (s: Shape): number => s.width;\n`,
  'awaited.ts': `async function work(): Promise<number> {\n  return 1;\n}\nexport async function run(): Promise<number> {\n  return await work();\n}\n`,
};

interface Diagnostic {
  code?: string;
  message: string;
  filename: string;
}

let project: string;
let diagnostics: Diagnostic[];
let status: number | null;

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-fixture-'));
  fs.mkdirSync(path.join(project, 'src'));
  fs.mkdirSync(path.join(project, 'scripts', 'lint'), { recursive: true });
  // The repository's config as it is, with the plugin at the path the config names.
  fs.copyFileSync(path.join(ROOT, '.oxlintrc.json'), path.join(project, '.oxlintrc.json'));
  fs.copyFileSync(path.join(ROOT, 'scripts/lint/disable-needs-reason.mjs'), path.join(project, 'scripts/lint/disable-needs-reason.mjs'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'));
  fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...compilerOptions, types: [] }, include: ['src'] }));
  for (const [file, { code }] of Object.entries(FINDINGS)) fs.writeFileSync(path.join(project, 'src', file), code);
  for (const [file, code] of Object.entries(CLEAN)) fs.writeFileSync(path.join(project, 'src', file), code);

  const result = spawnSync(bin('oxlint'), ['-f', 'json'], { cwd: project, encoding: 'utf8' });
  status = result.status;
  if (!result.stdout.trim().startsWith('{')) throw new Error(`oxlint printed no report: ${result.stderr}${result.stdout}`);
  diagnostics = JSON.parse(result.stdout).diagnostics;
});

const findingsIn = (file: string) => diagnostics.filter((d) => d.filename === `src/${file}`).map((d) => d.code ?? d.message);

describe('npm run lint (oxlint with the repository config)', () => {
  it('fails the run', () => expect(status).toBe(1));

  it.each(Object.entries(FINDINGS))('reports %s', (file, { rule }) => {
    expect(findingsIn(file).some((finding) => finding.startsWith(rule))).toBe(true);
  });

  it.each(Object.keys(CLEAN))('accepts %s', (file) => expect(findingsIn(file)).toEqual([]));
});

describe('npm run format:check (oxfmt with the repository config)', () => {
  it("reformats to the project's style: single quotes, 150 columns, trailing commas", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'format-fixture-'));
    fs.copyFileSync(path.join(ROOT, '.oxfmtrc.json'), path.join(dir, '.oxfmtrc.json'));
    const names = (n: number) => Array.from({ length: n }, (_, i) => `'name-${i}'`);
    const fits = `export const names = [${names(12).join(', ')}];\n`; // 140 columns: one line
    const tooLong = `export const more = [${names(14).join(', ')}];\n`; // 160: one item a line, with a trailing comma
    const file = path.join(dir, 'sample.ts');
    fs.writeFileSync(file, `export const  greeting = {text: "hello", list: [1,2,3]}\n${fits}${tooLong}`);

    expect(spawnSync(bin('oxfmt'), ['--check', '.'], { cwd: dir, encoding: 'utf8' }).status).toBe(1);
    expect(spawnSync(bin('oxfmt'), ['.'], { cwd: dir, encoding: 'utf8' }).status).toBe(0);
    const broken = `export const more = [\n${names(14)
      .map((name) => `  ${name},\n`)
      .join('')}];\n`;
    expect(fs.readFileSync(file, 'utf8')).toBe(`export const greeting = { text: 'hello', list: [1, 2, 3] };\n${fits}${broken}`);
    expect(spawnSync(bin('oxfmt'), ['--check', '.'], { cwd: dir, encoding: 'utf8' }).status).toBe(0);
  });
});

import { spawnSync } from 'node:child_process';
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, sharedSynth } from '../support/shared-synth';
// oxlint-disable-next-line typescript/no-require-imports -- a CommonJS script without type declarations
const { rewriteResolve, rewriteBundle } = require('../../scripts/fast-resolve.cjs') as {
  rewriteResolve(source: Buffer): string | undefined;
  rewriteBundle(code: string): string;
};

/*
 * scripts/fast-resolve.cjs rewrites cdktf's resolve() in the CDK bundle. It must be the same function:
 * tried here against the original on the values where the shortcut and the original part ways, and on
 * the whole synth (the bundle with and without the rewrite).
 */
const RESOLVE_JS = require.resolve('cdktf/lib/tokens/private/resolve.js');

/** What scripts/fast-resolve.cjs makes of a file; undefined: left alone. */
const rewrite = (file: string): string | undefined => rewriteResolve(fs.readFileSync(file));

/*
 * In a plain Node process (one cdktf, one token map): the original resolve() and the rewritten one,
 * compiled as the same file so that its requires are the original's modules, on the same values; prints
 * what each gave or threw.
 */
const COMPARE = `
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');
const { App, TerraformStack, Token } = require('cdktf');
const { DefaultTokenResolver, StringConcat } = require('cdktf/lib/tokens/resolvable');
const file = require.resolve('cdktf/lib/tokens/private/resolve.js');
const original = require(file).resolve;
const rewritten = new Module(file);
rewritten.filename = file;
rewritten.paths = Module._nodeModulePaths(path.dirname(file));
rewritten._compile(fs.readFileSync(process.argv[1], 'utf8'), file);
let deep = 'leaf';
for (let i = 0; i < 205; i++) deep = { level: deep };
const values = [
  { plain: 'text', flag: true, count: 3, nothing: null, skipped: undefined, list: ['a', 1, false, undefined, null] },
  { '1e5': '1e5', numberLike: '-2e+3', version: 'v1.e2', mixed: 'a|e|b', exponent: 1e21, fraction: 0.5, negative: -7 },
  { token: Token.asString(Token.asAny('literal')), inList: [Token.asString('x')], number: Token.asNumber(42), list: Token.asList(['a']) },
  { escaped: '\${not.a.token}', braces: '}{', marker: 'TfToken[' },
  { mapToken: Token.STRING_MAP_TOKEN_VALUE },
  { anyMapToken: Token.ANY_MAP_TOKEN_VALUE },
  { numberMapToken: Token.NUMBER_MAP_TOKEN_VALUE },
  ['String Map Token Value'],
  deep,
  // Whole plain trees (copied in one walk), and trees with something else somewhere inside.
  { tree: { list: [{ name: 'x', ports: [80, 443], on: true, none: null }], empty: {}, nothing: [] }, again: ['a', ['b', ['c']]] },
  { plain: { a: 1 }, inner: { deeper: [{ x: 'y' }, Token.asString(Token.asAny('literal'))] } },
  { inner: { dropped: undefined, kept: 1 }, list: [[undefined, 2]], float: { half: 0.5 }, holes: [1, , 3] },
  { when: { date: new Date(0) }, instance: { of: new (class Shape { constructor() { this.sides = 3; } })() } },
  { looksLikeAConstruct: { _children: {}, _metadata: [] } },
  (() => {
    const shared = { k: 1, list: [1] };
    return { shared, again: shared, inList: [shared] };
  })(),
];
const scope = new TerraformStack(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'fast-resolve-')) }), 'stack');
/** Whether a result holds an object or array of the input itself (resolve returns new ones). */
const objects = (x, into = new Set()) => {
  if (x !== null && typeof x === 'object' && !into.has(x)) {
    into.add(x);
    for (const v of Object.values(x)) objects(v, into);
  }
  return into;
};
const sharesWithInput = (result, input) => [...objects(result)].some((o) => objects(input).has(o));
const outcome = (resolve, value) => {
  try {
    const result = resolve(value, { scope, prefix: [], resolver: new DefaultTokenResolver(new StringConcat()), preparing: false });
    return { value: result, sharesWithInput: sharesWithInput(result, value) };
  } catch (error) {
    return { error: error.message };
  }
};
process.stdout.write(JSON.stringify(values.map((v) => ({ original: outcome(original, v), rewritten: outcome(rewritten.exports.resolve, v) }))));
`;

/*
 * The faster __toESM: a bundle of TypeScript importing CommonJS modules (compiled from ES modules, with and
 * without getters, and plain ones) must see the same values, default exports and namespaces through it.
 */
const IMPORTER = `
import * as compiled from './compiled.js';
import { live, value } from './compiled.js';
import plain, { named } from './plain.js';
import * as plainNamespace from './plain.js';
import defaulted from './defaulted.js';
const keys = (o) => Object.keys(o).sort();
const before = live();
export const seen = {
  value, before, after: live(), compiledKeys: keys(compiled), compiledDefault: compiled.default, esModule: compiled.__esModule,
  plain: plain(), named, plainKeys: keys(plainNamespace), plainDefault: typeof plainNamespace.default, defaulted,
};
`;
const MODULES: Record<string, string> = {
  'compiled.js': `"use strict"; Object.defineProperty(exports, "__esModule", { value: true }); let n = 0; exports.value = 1;
    Object.defineProperty(exports, "count", { enumerable: true, get: () => n }); exports.live = () => ++n;`,
  'plain.js': `module.exports = () => 'called'; module.exports.named = 'named — café 🙂' /* a dash — kept by esbuild? */;`,
  'defaulted.js': `"use strict"; Object.defineProperty(exports, "__esModule", { value: true }); exports.default = 'the default';`,
};

describe("the bundle's faster __toESM (esbuild's helper)", () => {
  it('gives the importer the same values, defaults and namespaces as the helper esbuild writes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'to-esm-'));
    for (const [name, text] of Object.entries(MODULES)) fs.writeFileSync(path.join(dir, name), text);
    fs.writeFileSync(path.join(dir, 'importer.ts'), IMPORTER);
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [path.join(dir, 'importer.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].text;
    const faster = rewriteBundle(code);
    expect(faster).not.toBe(code); // the helper is there, once (a new esbuild that writes it otherwise fails here)
    expect(faster.split('\n')).toHaveLength(code.split('\n').length);
    const run = (text: string) => {
      const module = { exports: {} as { seen?: unknown } };
      // oxlint-disable-next-line typescript/no-implied-eval -- runs the bundle's text as Node would load it, on purpose
      new Function('module', 'exports', 'require', text)(module, module.exports, require);
      return module.exports.seen;
    };
    expect(run(faster)).toEqual(run(code));
    expect(run(code)).toMatchObject({ value: 1, plain: 'called', named: 'named — café 🙂', defaulted: 'the default', esModule: true });
    expect(isAscii(Buffer.from(faster))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves only ASCII: a character esbuild leaves in a comment becomes one ? per UTF-16 unit, on the same line and column', () => {
    const code = 'const a = "\\u2014"; // a dash \u2014 and a smile \u{1F642}\n/* \u201Cquoted\u201D */ const b = 1;\n';
    const ascii = rewriteBundle(code);
    expect(ascii).toBe('const a = "\\u2014"; // a dash ? and a smile ??\n/* ?quoted? */ const b = 1;\n');
    expect(ascii.split('\n').map((l) => l.length)).toEqual(code.split('\n').map((l) => l.length));
    // A line separator ends a // comment: replacing it would comment out code, so such a bundle is left as it is.
    const separated = 'x = 1; // note\u2028y = 2; // \u2014\n';
    expect(rewriteBundle(separated)).toBe(separated);
  });

  it('is left out with SYNTH_PLAIN_CDKTF=1, and where the helper is not found', () => {
    expect(rewriteBundle('var x = 1;')).toBe('var x = 1;');
    const helper = 'var __toESM = (mod, isNodeMode, target) => (target = 1);';
    expect(rewriteBundle(helper)).not.toBe(helper);
    process.env.SYNTH_PLAIN_CDKTF = '1';
    try {
      expect(rewriteBundle(helper)).toBe(helper);
    } finally {
      delete process.env.SYNTH_PLAIN_CDKTF;
    }
  });
});

describe("the bundle's rewrite of cdktf's resolve()", () => {
  it('gives what the original gives, or throws what it throws, where the shortcut applies and where it must not', () => {
    const source = rewrite(RESOLVE_JS);
    expect(source).toBeDefined();
    const rewritten = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fast-resolve-')), 'resolve.js');
    fs.writeFileSync(rewritten, source!);
    const run = spawnSync(process.execPath, ['-e', COMPARE, rewritten], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const outcomes = JSON.parse(run.stdout) as Array<{ original: unknown; rewritten: unknown }>;
    expect(outcomes.length).toBe(15);
    for (const { original, rewritten: result } of outcomes) expect(result).toEqual(original);
    // The values reach both branches: refusals (map-token values, depth, a construct) and results, in new
    // objects (but for the Date, which resolve returns as it is).
    expect(outcomes.filter((o) => 'error' in (o.original as object))).toHaveLength(6);
    expect(outcomes.filter((o) => (o.original as { sharesWithInput?: boolean }).sharesWithInput === true)).toHaveLength(1);
  });

  it('leaves any other version of the file alone', () => {
    const other = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fast-resolve-')), 'resolve.js');
    fs.writeFileSync(other, `${fs.readFileSync(RESOLVE_JS, 'utf8')}\n`);
    expect(rewrite(other)).toBeUndefined();
  });

  it('synthesizes byte for byte what the unpatched library synthesizes', async () => {
    const shared = await sharedSynth();
    expect(shared.status).toBe(0);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'plain-cdktf-'));
    const plain = spawnSync(process.execPath, ['scripts/synth.mjs', '--outdir', outdir], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, SYNTH_PLAIN_CDKTF: '1' },
    });
    expect(plain.status).toBe(0);
    const files = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
    const written = files(outdir).sort();
    expect(written).toEqual(files(shared.outdir).sort());
    expect(written.length).toBeGreaterThan(8);
    for (const file of written)
      expect(fs.readFileSync(path.join(outdir, file), 'utf8')).toBe(fs.readFileSync(path.join(shared.outdir, file), 'utf8'));
    fs.rmSync(outdir, { recursive: true, force: true });
  }, 120_000);
});

/*
 * The bundle skips cdktf's prepare pass (scripts/skip-prepare.cjs) and runs an app again with it when the app
 * has a cross-stack reference: what it writes is what the unpatched library writes.
 */
const RUN_BUNDLE = `
import { bundleFor, runBundle } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'scripts/bundle.mjs')).href)};
runBundle(await bundleFor(${JSON.stringify(ROOT)}, ['test/scripts/fixtures/cross-stack-main.ts']), ${JSON.stringify(ROOT)});
`;

describe("the bundle's answer to an app that needs cdktf's prepare pass", () => {
  it('writes a cross-stack reference (output and remote state) byte for byte as the unpatched library', () => {
    const run = (plain: boolean) => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), plain ? 'cross-plain-' : 'cross-bundle-'));
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', RUN_BUNDLE], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, CDKTF_OUTDIR: outdir, ...(plain ? { SYNTH_PLAIN_CDKTF: '1' } : {}) },
      });
      expect(result.stderr.replace(/^bundling .*\n/gm, '')).toBe('');
      expect(result.status).toBe(0);
      return outdir;
    };
    const [bundled, plain] = [run(false), run(true)];
    const files = (dir: string) =>
      fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
        .sort();
    expect(files(bundled)).toEqual(files(plain));
    for (const file of files(plain)) expect(fs.readFileSync(path.join(bundled, file), 'utf8')).toBe(fs.readFileSync(path.join(plain, file), 'utf8'));
    expect(fs.readFileSync(path.join(bundled, 'stacks/consumer/cdk.tf.json'), 'utf8')).toContain('cross-stack-reference-input-origin');
  }, 60_000);
});

import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { synthOutput } from '../support/synth-output';

/*
 * scripts/stable-json.cjs prints what json-stable-stringify (as cdktf requires it) prints with cdktf's
 * `{ space: 2 }`, and hands any other call to the package.
 */
// oxlint-disable-next-line typescript/no-require-imports -- a CommonJS build script
const { stableStringifyLike } = require('../../scripts/stable-json.cjs') as { stableStringifyLike(loadOriginal: () => Stringify): Stringify };
// oxlint-disable-next-line typescript/no-require-imports -- the same helper the bundle and the tests load cdktf through
const { rewriteFile } = require('../../scripts/fast-resolve.cjs') as { rewriteFile(file: string, source: Buffer): string | undefined };
type Stringify = (value: unknown, options?: unknown) => string | undefined;

/** The package as cdktf requires it. */
const original = createRequire(require.resolve('cdktf'))('json-stable-stringify') as Stringify;
const fast = stableStringifyLike(() => original);
const SPACE_2 = { space: 2 };

describe('the stack printer (scripts/stable-json.cjs)', () => {
  it('prints every shipped stack file as json-stable-stringify does', () => {
    const stacks = path.join(synthOutput(), 'cdktf.out', 'stacks');
    const names = fs.readdirSync(stacks);
    expect(names.length).toBeGreaterThanOrEqual(6);
    for (const name of names) {
      const stack = JSON.parse(fs.readFileSync(path.join(stacks, name, 'cdk.tf.json'), 'utf8'));
      expect(fast(stack, SPACE_2)).toBe(original(stack, SPACE_2));
    }
  });

  it('prints what cdktf writes with, in the tests as in the synth bundle (the rewrites of synthesizer.js, manifest.js and testing/index.js)', () => {
    for (const file of ['cdktf/lib/synthesize/synthesizer.js', 'cdktf/lib/manifest.js', 'cdktf/lib/testing/index.js'].map((f) =>
      require.resolve(f),
    )) {
      expect(rewriteFile(file, fs.readFileSync(file))).toContain('.stableStringifyLike(() => require("json-stable-stringify"));');
    }
  });

  it.each([
    ['empty objects and arrays, printed open', { a: {}, b: [], c: [{}, []] }],
    ['undefined and functions: left out of objects, null in arrays', { a: undefined, b: () => 1, c: [undefined, () => 1, 1] }],
    ['toJSON', { when: new Date(0), custom: { toJSON: () => ({ z: 1, a: [2] }) } }],
    ['keys in code-unit order, integer-like ones included', { b: 1, a: 2, 10: 3, 9: 4, B: 5, é: 6, '': 7 }],
    ['strings JSON escapes', { s: 'quote " backslash \\ newline \n tab \t bell \u0007 é 🚀 \u2028' }],
    ['numbers', { n: [0, -0, 1.5, 1e21, -3, Number.NaN, Number.POSITIVE_INFINITY] }],
    [
      'a shared, not circular, object',
      (() => {
        const shared = { x: 1 };
        return { a: shared, b: [shared, shared] };
      })(),
    ],
    ['null and booleans at the top', null],
    ['a string at the top', 'text'],
  ])('prints %s the same', (_what, value) => {
    expect(fast(value, SPACE_2)).toBe(original(value, SPACE_2));
  });

  it('refuses a circular structure with the same error', () => {
    const looped: Record<string, unknown> = { a: 1 };
    looped.self = { back: looped };
    expect(() => fast(looped, SPACE_2)).toThrow(new TypeError('Converting circular structure to JSON'));
    expect(() => original(looped, SPACE_2)).toThrow(new TypeError('Converting circular structure to JSON'));
  });

  it('hands other options to the package', () => {
    const value = { b: 1, a: { d: [1, 2], c: 'x' } };
    for (const options of [
      undefined,
      { space: 4 },
      { space: '\t' },
      { space: 2, cycles: true },
      (a: { key: string }, b: { key: string }) => (a.key < b.key ? 1 : -1),
    ]) {
      expect(fast(value, options)).toBe(original(value, options));
    }
  });
});

import * as fs from 'node:fs';
import { resolve } from 'cdktf/lib/tokens/private/resolve';

/*
 * The tests load cdktf as synth's bundle runs it (register-typescript.cjs applies scripts/fast-resolve.cjs),
 * so what they prove holds for the resolve() that `npm run synth` uses.
 */
describe('the test loader', () => {
  it('gives stack traces with the lines of the TypeScript source', () => {
    type Typed = { text: string };
    const typed: Typed = { text: 'where' };
    const stack = new Error(typed.text).stack ?? '';
    const line =
      fs
        .readFileSync(__filename, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('new Error(typed.text)')) + 1;
    expect(stack.split('\n')[1]).toContain(`${__filename}:${line}:`);
  });

  it("keeps Node's compile cache (NODE_COMPILE_CACHE, set by npm test) from the processes tests start", () => {
    expect(process.env.NODE_COMPILE_CACHE).toBeUndefined();
  });

  it("loads cdktf's resolve() with the rewrite the synth bundle carries", () => {
    expect(fs.readFileSync(require.resolve('cdktf/lib/tokens/private/resolve'), 'utf8')).not.toContain('isPlainLeaf'); // the published file
    expect(String(resolve)).toContain('isPlainLeaf');
    expect(String(resolve)).toContain('plainCopy(obj, prefix.length)');
  });
});

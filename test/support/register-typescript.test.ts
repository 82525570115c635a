import * as fs from 'node:fs';
import { resolve } from 'cdktf/lib/tokens/private/resolve';

/*
 * The tests load cdktf as synth's bundle runs it (register-typescript.cjs applies scripts/fast-resolve.cjs),
 * so what they prove holds for the resolve() that `npm run synth` uses.
 */
describe('the test loader', () => {
  it("loads cdktf's resolve() with the rewrite the synth bundle carries", () => {
    expect(fs.readFileSync(require.resolve('cdktf/lib/tokens/private/resolve'), 'utf8')).not.toContain('isPlainLeaf'); // the published file
    expect(String(resolve)).toContain('isPlainLeaf');
  });
});

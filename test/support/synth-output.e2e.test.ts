import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharedSynth } from './shared-synth';
import { synthOutput } from './synth-output';

/** Every file of a folder, by relative path. */
const files = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
    .sort();

// The unit tests of what reads synth output use synthOutput(), made in the test process; it must be what `npm run synth` writes.
describe('the in-process synth output of the unit tests', () => {
  it('is byte-equal to what npm run synth writes into cdktf.out/ and dist/', async () => {
    const synth = await sharedSynth();
    expect(synth.status).toBe(0);
    const inProcess = synthOutput();
    for (const folder of ['cdktf.out', 'dist']) {
      const expected = files(path.join(synth.outdir, folder));
      expect(expected.length).toBeGreaterThan(2);
      expect(files(path.join(inProcess, folder))).toEqual(expected);
      for (const file of expected) {
        const bytes = (dir: string) => fs.readFileSync(path.join(dir, folder, file));
        expect([file, bytes(inProcess).equals(bytes(synth.outdir))]).toEqual([file, true]);
      }
    }
  }, 120_000);
});

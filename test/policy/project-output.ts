import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharedSynth, type SynthRun } from '../support/shared-synth';

/** Shared by project.test.ts and project.e2e.test.ts. */
export const ROOT = path.resolve(__dirname, '../..');
export const ENVIRONMENTS = ['dev', 'prod', 'staging'];

/**
 * The run's one shared `npm run synth` (test/support/shared-synth.ts), its cdktf.out/ and dist/ copied
 * into `out`: tests synthesize into that folder again, which must not disturb the other files reading
 * the shared output.
 */
export async function copySharedSynth(out: string): Promise<SynthRun> {
  const synthesized = await sharedSynth();
  for (const dir of ['cdktf.out', 'dist']) fs.cpSync(path.join(synthesized.outdir, dir), path.join(out, dir), { recursive: true });
  return synthesized;
}

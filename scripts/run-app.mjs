// Runs one CDK app written in TypeScript: `node scripts/run-app.mjs infra/main.ts`. This is the `app`
// command of cdktf.json (cdktf synth/diff/deploy) and cdk8s.yaml; they set CDKTF_OUTDIR / CDK8S_OUTDIR.
import { createRequire } from 'node:module';
import { bundleEntries, reportError } from './bundle.mjs';

const entry = process.argv[2];
if (!entry || !entry.endsWith('.ts')) {
  console.error(`usage: node scripts/run-app.mjs <entry.ts> (got '${entry ?? ''}')`);
  process.exit(2);
}
process.setSourceMapsEnabled(true);
try {
  createRequire(import.meta.url)(bundleEntries([entry])[0]);
} catch (error) {
  reportError(error);
  process.exit(1);
}

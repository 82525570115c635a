// Runs one CDK app written in TypeScript: `node scripts/run-app.mjs infra/main.ts`. This is the `app`
// command of cdktf.json (cdktf synth/diff/deploy) and cdk8s.yaml; they set CDKTF_OUTDIR / CDK8S_OUTDIR.
// It uses the same build cache as `npm run synth` (scripts/bundle.mjs), so it is as fast.
import { projectRoot, reportError, runEntries } from './bundle.mjs';

const entry = process.argv[2];
if (!entry || !entry.endsWith('.ts') || process.argv.length > 3) {
  console.error(`usage: node scripts/run-app.mjs <entry.ts> (got '${process.argv.slice(2).join(' ')}')`);
  process.exit(2);
}
const root = projectRoot();
try {
  await runEntries(root, [entry], { onBuild: () => console.error(`bundling ${entry} (sources changed since the last build)`) });
} catch (error) {
  reportError(error, error?.bundleEntry, root);
  process.exit(1);
}

// Runs a program written in TypeScript: `node scripts/run-app.mjs <entry.ts> [args...]`. For the CDK
// apps this is the `app` command of cdktf.json (cdktf synth/diff/deploy) and cdk8s.yaml, which set
// CDKTF_OUTDIR / CDK8S_OUTDIR; they use the same build cache as `npm run synth` (scripts/bundle.mjs), so
// they are as fast. Other programs get a cached bundle with their dependencies left in node_modules.
import { projectRoot, reportError, runEntries } from './bundle.mjs';
import { exitWhenFlushed } from './usage.mjs';

/** Entry points that are CDK apps: bundled with their dependencies and run like `npm run synth` runs them. */
const CDK_APPS = ['infra/main.ts', 'workloads/main.ts'];

const entry = process.argv[2];
if (!entry || !entry.endsWith('.ts')) {
  console.error(`usage: node scripts/run-app.mjs <entry.ts> [args...] (got '${process.argv.slice(2).join(' ')}')`);
  process.exit(2);
}
const root = projectRoot();
try {
  const cdk = CDK_APPS.includes(entry);
  await runEntries(root, [entry], {
    mode: cdk ? 'cdk' : 'app',
    // Other programs own their output (a server logs JSON lines), so only the CDK apps say they are bundling.
    onBuild: cdk ? () => console.error(`bundling ${entry} (first run, or sources changed since the last build)`) : undefined,
  });
  // A CDK app is done when it returns (synth is synchronous); other programs may still be serving.
  if (cdk) exitWhenFlushed();
} catch (error) {
  reportError(error, error?.bundleEntry, root);
  process.exit(1);
}

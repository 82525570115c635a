// `npm run synth`: every environment, both layers. Terraform JSON goes to cdktf.out/, Kubernetes YAML
// to dist/. Both are written to a staging folder first and swapped in only when everything succeeded,
// so a bad config or a failed check leaves the previous output intact.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { bundleEntries, reportError } from './bundle.mjs';

const started = performance.now();
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const outdirFlag = args.indexOf('--outdir');
if (args.some((a, i) => a !== '--outdir' && i !== outdirFlag + 1) || (outdirFlag >= 0 && !args[outdirFlag + 1])) {
  console.error(`usage: node scripts/synth.mjs [--outdir DIR] (got: ${args.join(' ')}); DIR holds cdktf.out/ and dist/, default '.'`);
  process.exit(2);
}
const root = outdirFlag >= 0 ? args[outdirFlag + 1] : '.';
const staging = path.join(root, `.synth-staging-${process.pid}`);
const outputs = { 'cdktf.out': 'CDKTF_OUTDIR', dist: 'CDK8S_OUTDIR' };
// policy/gate.ts (guard, issue 13) runs last, on the staging folder: output that breaks an un-waived
// error rule is never swapped in. Keep it after both apps, whatever else changes here.
const entries = ['infra/main.ts', 'workloads/main.ts', 'policy/gate.ts'];

process.setSourceMapsEnabled(true);
try {
  fs.mkdirSync(staging, { recursive: true });
  const bundles = bundleEntries(entries);
  for (const [dir, variable] of Object.entries(outputs)) process.env[variable] = `${staging}/${dir}`;
  for (const bundle of bundles) require(bundle);
  for (const dir of Object.keys(outputs)) {
    if (!fs.existsSync(`${staging}/${dir}`)) continue;
    fs.rmSync(path.join(root, dir), { recursive: true, force: true });
    fs.renameSync(`${staging}/${dir}`, path.join(root, dir));
  }
  const stacks = fs.readdirSync(path.join(root, 'cdktf.out/stacks'));
  const manifests = fs.existsSync(path.join(root, 'dist')) ? fs.readdirSync(path.join(root, 'dist')) : [];
  console.log(`synthesized ${stacks.length} stacks (cdktf.out/stacks: ${stacks.join(', ')}) and ` +
    `${manifests.length} manifest sets (dist: ${manifests.join(', ')}) in ${Math.round(performance.now() - started)} ms`);
} catch (error) {
  reportError(error);
  console.error('synth failed; cdktf.out/ and dist/ were left as they were');
  process.exitCode = 1;
} finally {
  fs.rmSync(staging, { recursive: true, force: true });
}

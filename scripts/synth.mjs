// `npm run synth`: every environment, both layers. Terraform JSON goes to cdktf.out/, Kubernetes YAML
// to dist/. Both are written to a staging folder first and swapped in only when everything succeeded,
// so a bad config or a failed check leaves the previous output intact.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { bundleEntry } from './bundle.mjs';

const started = performance.now();
const require = createRequire(import.meta.url);
const staging = `.synth-staging-${process.pid}`;
const outputs = { 'cdktf.out': 'CDKTF_OUTDIR', dist: 'CDK8S_OUTDIR' };
const entries = ['infra/main.ts', 'workloads/main.ts'];

process.setSourceMapsEnabled(true);
try {
  fs.mkdirSync(staging, { recursive: true });
  const bundles = entries.filter((e) => fs.existsSync(e)).map(bundleEntry);
  for (const [dir, variable] of Object.entries(outputs)) process.env[variable] = `${staging}/${dir}`;
  for (const bundle of bundles) require(bundle);
  for (const dir of Object.keys(outputs)) {
    if (!fs.existsSync(`${staging}/${dir}`)) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(`${staging}/${dir}`, dir);
  }
  const stacks = fs.readdirSync('cdktf.out/stacks');
  const manifests = fs.existsSync('dist') ? fs.readdirSync('dist') : [];
  console.log(`synthesized ${stacks.length} stacks (cdktf.out/stacks: ${stacks.join(', ')}) and ` +
    `${manifests.length} manifest sets (dist: ${manifests.join(', ')}) in ${Math.round(performance.now() - started)} ms`);
} catch (error) {
  const expected = error?.name === 'ConfigError' || /^Validation failed/.test(error?.message);
  console.error(expected ? error.message : error);
  console.error('synth failed; cdktf.out/ and dist/ were left as they were');
  process.exitCode = 1;
} finally {
  fs.rmSync(staging, { recursive: true, force: true });
}

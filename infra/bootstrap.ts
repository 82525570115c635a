import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from './cdktf';
import { InputError, loadEnvironments } from '../config';
import { BOOTSTRAP_OUTDIR, BootstrapStack } from './stacks/bootstrap-stack';

/*
 * The bootstrap app: one stack for every environment file, applied by an Owner before any environment
 * deploys (docs/identities-and-ci.md, "First deploy from an empty subscription"):
 *   npx cdktf deploy bootstrap --app "node scripts/run-app.mjs infra/bootstrap.ts" --output cdktf.out/bootstrap
 * A separate app, so `npm run synth`, the deploy and plan workflows and the offline diff never see it.
 * Always strict (placeholder IDs refused) and always every file: a file left out would lose its identities.
 */
const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
if (path.resolve(outdir) !== path.resolve(BOOTSTRAP_OUTDIR)) {
  throw new InputError(
    `the bootstrap is synthesized into ${BOOTSTRAP_OUTDIR} (its local state path depends on it), not '${outdir}'; ` +
      `run: npx cdktf deploy bootstrap --app "node scripts/run-app.mjs infra/bootstrap.ts" --output ${BOOTSTRAP_OUTDIR}`,
  );
}
if (process.env.SYNTH_ENVIRONMENTS) {
  throw new InputError(
    'SYNTH_ENVIRONMENTS is not allowed for the bootstrap: it manages every environment file, and one left out would lose its identities',
  );
}
const dir = process.env.ENVIRONMENTS_DIR ?? 'environments';
const environments = loadEnvironments(dir, { strict: true });
// cdktf creates only the last folder of outdir: in a fresh clone, cdktf.out/ does not exist yet.
fs.mkdirSync(outdir, { recursive: true });
const app = new App({ outdir, skipValidation: false });
const stack = new BootstrapStack(app, { environments, files: new Map(environments.map((e) => [e.name, path.join(dir, `${e.name}.yaml`)])) });
for (const warning of stack.warnings) console.error(warning);
app.synth();

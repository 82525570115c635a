/*
 * `node scripts/run-app.mjs workloads/photo-view/print-image-target.ts <environment>`: the image
 * workflow's target as `key=value` lines for $GITHUB_OUTPUT.
 */
import { InputError } from '../../config';
import { imageTarget } from './image-target';

// argv: node, scripts/run-app.mjs, this file, then the arguments.
const args = process.argv.slice(3);
if (args.length !== 1) {
  throw new InputError(
    `usage: node scripts/run-app.mjs workloads/photo-view/print-image-target.ts <environment> (got: ${args.join(' ') || 'nothing'})`,
  );
}
const target = imageTarget(process.env.ENVIRONMENTS_DIR ?? 'environments', args[0], 'workloads/photo-view/app/package.json');
process.stdout.write(
  Object.entries(target)
    .map(([key, value]) => `${key}=${value}\n`)
    .join(''),
);

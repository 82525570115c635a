/*
 * `node scripts/run-app.mjs test/support/write-environment-set.ts <set> <dir>`: writes one of the
 * environment sets (environment-sets.ts) into a folder; .ci/run swaps one into environments/.
 */
import { ENVIRONMENT_SETS, writeEnvironmentSet, type EnvironmentSet } from './environment-sets';

// argv: node, scripts/run-app.mjs, this file, then the arguments.
const [set, dir] = process.argv.slice(3);
if (!set || !(set in ENVIRONMENT_SETS) || !dir) {
  console.error(`usage: node scripts/run-app.mjs test/support/write-environment-set.ts <${Object.keys(ENVIRONMENT_SETS).join('|')}> <dir>`);
  process.exit(2);
}
console.log(`${dir}: ${writeEnvironmentSet(set as EnvironmentSet, dir).join(', ')}`);

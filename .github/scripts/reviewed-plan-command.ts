import { applyReviewed, reviewPlan } from './reviewed-plan';

/*
 * Apply what was reviewed. CI plans each stack before the environment's approval gate and keeps a hash
 * of the planned changes; after approval it plans again, refuses to apply when the plan differs, and
 * otherwise applies that saved plan file with terraform (in cdktf.out/stacks/<stack>, where `cdktf deploy`
 * runs it too). Locally, `cdktf deploy` stays the way to deploy.
 *
 *   node scripts/run-app.mjs .github/scripts/reviewed-plan-command.ts plan  <stack> --dir DIR [--cdktf-out cdktf.out] [--deferred-after <stack>]
 *   node scripts/run-app.mjs .github/scripts/reviewed-plan-command.ts apply <stack> --dir DIR [--cdktf-out cdktf.out] [--deferred-after <stack>] [--outputs-file FILE]
 *
 * `plan` writes DIR/<stack>.json ({ status, hash, counts }) and DIR/<stack>.txt (the plan), and adds the
 * plan to the job summary. `apply` fails when DIR/<stack>.json is missing or its hash differs from a
 * fresh plan's, except with `--deferred-after P`: an apps stack whose reviewed plan failed because the AKS
 * cluster it reads was not found, while the reviewed plan of its platform stack P creates that cluster
 * (a new environment, or a replaced cluster); it is then planned after P is applied, shown and applied.
 * Any other failure of the reviewed plan stops the deploy: `plan --deferred-after P` fails for it already,
 * before the approval and before P is applied.
 */

function main(argv: ReadonlyArray<string>): number {
  const entry = argv.findIndex((a) => a.endsWith('reviewed-plan-command.ts'));
  const args = argv.slice(entry >= 0 ? entry + 1 : 2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const [command, stack] = args;
  const dir = option('--dir');
  const known = new Set(['--dir', '--cdktf-out', '--deferred-after', '--outputs-file']);
  const unknown = args.filter((a, i) => a.startsWith('--') && !known.has(a) && !known.has(args[i - 1]));
  if (!['plan', 'apply'].includes(command) || !stack || stack.startsWith('--') || !dir || unknown.length) {
    console.error(
      `usage: reviewed-plan plan|apply <stack> --dir DIR [--cdktf-out DIR] [--deferred-after STACK] [--outputs-file FILE]${unknown.length ? ` (unknown: ${unknown.join(' ')})` : ''}`,
    );
    return 2;
  }
  const cdktfOut = option('--cdktf-out') ?? 'cdktf.out';
  return command === 'plan'
    ? reviewPlan(stack, dir, cdktfOut, { deferredAfter: option('--deferred-after') })
    : applyReviewed(stack, dir, cdktfOut, { deferredAfter: option('--deferred-after'), outputsFile: option('--outputs-file') });
}

process.exitCode = main(process.argv);

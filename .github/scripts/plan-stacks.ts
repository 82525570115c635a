import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs, quoted } from '../../scripts/usage.mjs';
import { providerLockArgs } from './provider-lock';
import { NOT_PLANNED } from './pull-request-plans';
import { terraformAsync } from './reviewed-plan';

/*
 * Plans the stacks a pull request changed (pr-review.yml), several at once:
 *   node scripts/run-app.mjs .github/scripts/plan-stacks.ts (--stacks FILE | --all) --out DIR [--cdktf-out cdktf.out] [--parallel 4]
 * --stacks FILE (`-`: stdin) lists stack names, one a line, as `npm run diff -- --stacks` prints them;
 * --all plans every stack of the manifest. For each stack, in cdktf.out/stacks/<stack>:
 * `terraform init`, then `terraform plan -detailed-exitcode` (exit 0 no changes, 2 changes, 1 failed).
 * Writes DIR/<stack>.txt (what terraform printed) and DIR/<stack>.exitcode, which pr-comment.ts reads,
 * and DIR/not-planned.json: the manifest's other stacks, with why they were not planned.
 * Exits 0 once every stack was tried (a failed plan is in its files and in the comment), 2 on bad input.
 */
const USAGE = `usage: node scripts/run-app.mjs .github/scripts/plan-stacks.ts (--stacks FILE | --all) --out DIR [--cdktf-out DIR] [--parallel N]
  --stacks     file of stack names to plan, one a line (- reads stdin); each must be a stack of the manifest
  --all        plan every stack of the manifest instead
  --out        folder for <stack>.txt, <stack>.exitcode and not-planned.json
  --cdktf-out  the synthesized stacks (default cdktf.out)
  --parallel   how many stacks to plan at once (default 4)
The providers are cached in TF_PLUGIN_CACHE_DIR (default ~/.terraform.d/plugin-cache), created if missing.`;

const OPTIONS = { '--stacks': 'value', '--all': 'flag', '--out': 'value', '--cdktf-out': 'value', '--parallel': 'value' } as const;

/** Why the stacks left out were not planned: `--stacks` lists every stack the pull request changes or affects. */
export const NOT_PLANNED_REASON = NOT_PLANNED.unchanged;

/** `<layer>-<environment>`: environment names are lowercase letters and digits (config/load.ts). Nothing else reaches a path. */
const STACK_NAME = /^[a-z][a-z0-9]{0,30}-[a-z][a-z0-9]{0,30}$/;

const fail = (message: string): never => {
  console.error(`plan-stacks: ${message} (--help lists the options)`);
  process.exit(2);
};

/** The stacks of `<cdktfOut>/manifest.json`, sorted; each name checked, since the pull request's code wrote the file. */
function manifestStacks(cdktfOut: string): string[] {
  const file = path.join(cdktfOut, 'manifest.json');
  if (!fs.existsSync(file)) fail(`${file} does not exist; run npm run synth first`);
  const stacks = Object.keys((JSON.parse(fs.readFileSync(file, 'utf8')) as { stacks?: object }).stacks ?? {}).sort();
  const bad = stacks.filter((s) => !STACK_NAME.test(s));
  if (bad.length) fail(`${file} names stacks that are not <layer>-<environment>: ${bad.slice(0, 5).map(quoted).join(', ')}`);
  return stacks;
}

/** The stack names of a `--stacks` file: one a line, blank lines ignored, each a stack of the manifest. */
function requestedStacks(source: string, known: ReadonlyArray<string>): string[] {
  const text = fs.readFileSync(source === '-' ? 0 : source, 'utf8');
  const names = [
    ...new Set(
      text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length)
    fail(`not stacks of the manifest: ${unknown.slice(0, 5).map(quoted).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`);
  return names.sort();
}

/** Stacks that need the same providers (terraform.required_providers of cdk.tf.json) install the same packages. */
function providerKey(stackDir: string): string {
  const tf = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as { terraform?: { required_providers?: unknown } };
  return JSON.stringify(tf.terraform?.required_providers ?? {});
}

/** Runs `work` on every item, at most `limit` at a time. */
async function inParallel<T>(items: ReadonlyArray<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function main(): Promise<number> {
  const entry = process.argv.findIndex((a) => a.endsWith('plan-stacks.ts'));
  const parsed = parseArgs(process.argv.slice(entry >= 0 ? entry + 1 : 2), OPTIONS);
  if (parsed.error !== undefined) return fail(parsed.error);
  const { options } = parsed;
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (!options.out) return fail('--out is required');
  if ((options.stacks === undefined) === (options.all !== true)) return fail('give either --stacks FILE or --all');
  const parallel = Number(options.parallel ?? 4);
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 32)
    return fail(`--parallel ${quoted(String(options.parallel))} must be a whole number from 1 to 32`);

  const cdktfOut = options.cdktfOut ?? 'cdktf.out';
  const known = manifestStacks(cdktfOut);
  const stacks = options.stacks === undefined ? known : requestedStacks(options.stacks, known);
  const out = options.out;
  fs.mkdirSync(out, { recursive: true });
  const notPlanned = known.filter((s) => !stacks.includes(s)).map((stack) => ({ stack, reason: NOT_PLANNED_REASON }));
  fs.writeFileSync(path.join(out, 'not-planned.json'), `${JSON.stringify(notPlanned, null, 2)}\n`);

  const cache = path.resolve(process.env.TF_PLUGIN_CACHE_DIR || path.join(os.homedir(), '.terraform.d', 'plugin-cache'));
  fs.mkdirSync(cache, { recursive: true });
  const env = { TF_PLUGIN_CACHE_DIR: cache };
  // Plan files hold state values (secrets included): in a folder of their own, removed at the end, never in the artifact.
  const planDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-stacks-'));
  const dirOf = (stack: string) => path.join(cdktfOut, 'stacks', stack);
  const started = Date.now();
  const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
  const record = (stack: string, code: number, output: string, since: number) => {
    fs.writeFileSync(path.join(out, `${stack}.txt`), output);
    fs.writeFileSync(path.join(out, `${stack}.exitcode`), `${code}\n`);
    const what = code === 0 ? 'no changes' : code === 2 ? 'changes' : 'could not be planned';
    console.log(`${stack}: ${what} (exit code ${code}, ${seconds(since)} s)`);
  };
  const init = (stack: string) =>
    terraformAsync(process.cwd(), [`-chdir=${dirOf(stack)}`, 'init', '-input=false', '-no-color', ...providerLockArgs(dirOf(stack))], env);

  // terraform's plugin cache is not safe for concurrent writes: two inits installing the same provider at
  // once can leave a package that matches no checksum (hashicorp/terraform#31964). And since 1.4 an init
  // uses the cache only when the stack's .terraform.lock.hcl already has the package's checksums, so
  // without one each init downloads and writes the cache again. Hence: per set of required providers,
  // one stack is initialized first, alone (it downloads into the cache and writes the lock file); its
  // lock file is copied to the other stacks of the set, whose inits then only read the cache, in parallel.
  const initialized = new Set<string>();
  const failed = new Set<string>();
  const groups = new Map<string, string[]>();
  for (const stack of stacks) {
    if (!fs.existsSync(path.join(dirOf(stack), 'cdk.tf.json'))) {
      record(stack, 1, `${dirOf(stack)}/cdk.tf.json does not exist: run npm run synth first\n`, Date.now());
      failed.add(stack);
      continue;
    }
    const key = providerKey(dirOf(stack));
    groups.set(key, [...(groups.get(key) ?? []), stack]);
  }
  for (const group of groups.values()) {
    // One stack after the other until an init succeeds: after a failed one (a registry hiccup), the next fills the cache.
    for (const stack of group) {
      const since = Date.now();
      const r = await init(stack);
      if (r.code !== 0) {
        record(stack, r.code, r.output, since);
        failed.add(stack);
        continue;
      }
      initialized.add(stack);
      const lock = path.join(dirOf(stack), '.terraform.lock.hcl');
      if (fs.existsSync(lock))
        for (const other of group.filter((s) => s !== stack)) fs.copyFileSync(lock, path.join(dirOf(other), '.terraform.lock.hcl'));
      break;
    }
  }

  try {
    await inParallel(
      stacks.filter((s) => !failed.has(s)),
      parallel,
      async (stack) => {
        const since = Date.now();
        if (!initialized.has(stack)) {
          const r = await init(stack);
          if (r.code !== 0) return record(stack, r.code, r.output, since);
        }
        const plan = await terraformAsync(
          process.cwd(),
          [
            `-chdir=${dirOf(stack)}`,
            'plan',
            '-input=false',
            '-no-color',
            '-lock=false',
            '-detailed-exitcode',
            `-out=${path.join(planDir, `${stack}.tfplan`)}`,
          ],
          env,
        );
        record(stack, plan.code, plan.output, since);
      },
    );
  } finally {
    fs.rmSync(planDir, { recursive: true, force: true });
  }
  console.log(
    `planned ${stacks.length} of ${known.length} stacks (${parallel} at a time) in ${seconds(started)} s; not planned, ${NOT_PLANNED_REASON}: ${notPlanned.length}`,
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);

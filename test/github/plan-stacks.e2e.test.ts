import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitFixture } from '../diff/git-fixture';

/*
 * The pull-request review plans only what changed: `npm run diff -- --stacks` on a repository of 9
 * environments (enough for synth to share them between two threads), then .github/scripts/plan-stacks.ts with a stand-in `terraform` on PATH that logs each
 * call. The work that reaches Azure (terraform init and plan) grows with the stacks a change touches,
 * not with the number of environments.
 */
jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-stacks-'));

/** A stand-in for terraform: logs each call (start and end), writes a lock file on init, prints a plan with changes (exit 2). */
const bin = path.join(tmp, 'bin');
fs.mkdirSync(bin);
fs.writeFileSync(
  path.join(bin, 'terraform'),
  `#!/bin/sh
echo "start $*" >> "$TERRAFORM_LOG"
sleep "\${TERRAFORM_SECONDS:-0}"
dir="\${1#-chdir=}"
case " $* " in
  *" init "*) [ -f "$dir/.terraform.lock.hcl" ] || echo "# written by the init of $dir" > "$dir/.terraform.lock.hcl"
    echo "Terraform has been successfully initialized!"; code=0 ;;
  *" plan "*) printf '  # azurerm_kubernetes_cluster.Cluster will be updated in-place\\n\\nPlan: 0 to add, 1 to change, 0 to destroy.\\n'; code=2 ;;
  *) echo "unexpected: $*" >&2; code=1 ;;
esac
echo "end $*" >> "$TERRAFORM_LOG"
exit $code
`,
  { mode: 0o755 },
);

interface PlanRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The stand-in's log: `start <args>` and `end <args>`, one a line. */
  readonly log: string[];
  readonly out: string;
}

let runs = 0;
/** plan-stacks.ts with the stand-in terraform (each call taking `seconds`); `stacks` is the content of its --stacks file. */
function planStacks(cdktfOut: string, stacks: string, { args = [] as string[], seconds = '0' } = {}): PlanRun {
  const dir = path.join(tmp, `run-${++runs}`);
  fs.mkdirSync(dir);
  const log = path.join(dir, 'terraform.log');
  fs.writeFileSync(path.join(dir, 'stacks.txt'), stacks);
  const out = path.join(dir, 'out');
  const r = spawnSync(
    process.execPath,
    [
      'scripts/run-app.mjs',
      '.github/scripts/plan-stacks.ts',
      '--stacks',
      path.join(dir, 'stacks.txt'),
      '--out',
      out,
      '--cdktf-out',
      cdktfOut,
      ...args,
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${bin}${path.delimiter}${process.env.PATH}`,
        TERRAFORM_LOG: log,
        TF_PLUGIN_CACHE_DIR: path.join(dir, 'plugin-cache'),
        TERRAFORM_SECONDS: seconds,
      },
    },
  );
  const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, log: lines, out };
}

/** How many terraform calls of this command (init, plan) were made. */
const calls = (run: PlanRun, command: string) => run.log.filter((l) => l.startsWith('start ') && l.split(' ')[2] === command).length;
const notPlanned = (run: PlanRun) =>
  JSON.parse(fs.readFileSync(path.join(run.out, 'not-planned.json'), 'utf8')) as Array<{ stack: string; reason: string }>;

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the review plans only the stacks a pull request changes, among 9 environments', () => {
  const repo = new GitFixture();
  // Three chains dev<i> -> stg<i> -> prd<i>, copies of the fixtures, each under its own names.
  fs.rmSync(path.join(repo.dir, 'environments'), { recursive: true });
  fs.mkdirSync(path.join(repo.dir, 'environments'));
  const names: string[] = [];
  for (let i = 1; i <= 3; i++) {
    for (const [name, fixture, values] of [
      [`dev${i}`, 'dev', {}],
      [`stg${i}`, 'staging', { 'deploy.after': [`dev${i}`] }],
      [
        `prd${i}`,
        'prod',
        {
          'deploy.after': [`stg${i}`],
          'deploy.runner': `photo-view-prd${i}-vnet`,
          // A private environment's runner network of its own (a network resolves one private DNS zone of a name).
          'network.runnerNetworks': [
            `/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg-ci-runners/providers/Microsoft.Network/virtualNetworks/vnet-prd${i}`,
          ],
        },
      ],
    ] as const) {
      fs.copyFileSync(path.join(ROOT, 'test/fixtures/environments', `${fixture}.yaml`), path.join(repo.dir, 'environments', `${name}.yaml`));
      repo.setEnvironment(name, { 'tags.environment': name, 'monitoring.actionGroup.shortName': `pv-${name}`, ...values });
      names.push(name);
    }
  }
  const base = repo.commit('9 environments');
  // The stacks to plan exist in cdktf.out/ as in the review job, after its `npm run synth` (the same 18
  // stacks on every commit below). Done first, it also fills the build cache both sides of each diff start from.
  const synth = spawnSync(process.execPath, ['scripts/synth.mjs'], {
    cwd: repo.dir,
    encoding: 'utf8',
    env: { ...process.env, ENVIRONMENTS_DIR: path.join(repo.dir, 'environments') },
  });
  const cdktfOut = path.join(repo.dir, 'cdktf.out');

  // One environment changes (its platform: the user pool's size), then two more.
  repo.setEnvironment('stg2', { 'kubernetes.userPool.maxCount': 8 });
  repo.commit('one environment');
  const one = repo.diff('--base', base, '--stacks');
  repo.setEnvironment('dev3', { 'kubernetes.userPool.maxCount': 4 });
  repo.setEnvironment('prd2', { 'kubernetes.systemPool.maxCount': 6 });
  repo.commit('three environments');
  const three = repo.diff('--base', base, '--stacks');

  afterAll(() => repo.remove());

  it('npm run diff -- --stacks prints the changed environment stacks, the apps stack after its platform, nothing else', () => {
    expect([one.status, one.stderr]).toEqual([0, '']);
    expect(one.stdout).toBe('apps-stg2\nplatform-stg2\n');
    expect(three.status).toBe(0);
    expect(three.stdout.trim().split('\n')).toEqual(['apps-dev3', 'apps-prd2', 'apps-stg2', 'platform-dev3', 'platform-prd2', 'platform-stg2']);
    expect(names).toHaveLength(9);
    // Stack names only: the options that shape the report are refused with it, before any synth.
    expect(repo.diff('--base', base, '--stacks', '--format', 'json')).toMatchObject({
      status: 2,
      stdout: '',
      stderr: expect.stringContaining('--stacks prints stack names only'),
    });
  });

  it('plans exactly the changed environment: 2 inits and 2 plans of 18 stacks; the other 16 are named as unchanged', () => {
    expect(synth.status).toBe(0);
    const run = planStacks(cdktfOut, one.stdout);
    expect(run.status).toBe(0);
    expect([calls(run, 'init'), calls(run, 'plan')]).toEqual([2, 2]);
    expect(run.log.filter((l) => l.startsWith('start ')).map((l) => l.split(' ')[1])).toEqual(
      expect.arrayContaining([`-chdir=${cdktfOut}/stacks/apps-stg2`, `-chdir=${cdktfOut}/stacks/platform-stg2`]),
    );
    for (const stack of ['apps-stg2', 'platform-stg2']) {
      expect(fs.readFileSync(path.join(run.out, `${stack}.exitcode`), 'utf8').trim()).toBe('2');
      expect(fs.readFileSync(path.join(run.out, `${stack}.txt`), 'utf8')).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    }
    expect(notPlanned(run)).toHaveLength(16);
    expect(notPlanned(run)).toContainEqual({ stack: 'platform-stg3', reason: 'unchanged by this pull request' });
    expect(notPlanned(run).map((n) => n.stack)).not.toContain('apps-stg2');
  });

  it('grows with the stacks changed, not the environments: 3 environments are 6 inits and 6 plans', () => {
    const run = planStacks(cdktfOut, three.stdout);
    expect(run.status).toBe(0);
    expect([calls(run, 'init'), calls(run, 'plan')]).toEqual([6, 6]);
    expect(notPlanned(run)).toHaveLength(12);
    // Each call as pr-review runs it; the plan file goes to a folder of its own, not the artifact.
    const plan = run.log.find((l) => l.startsWith('start ') && l.includes(' plan '));
    expect(plan).toMatch(/ plan -input=false -no-color -lock=false -detailed-exitcode -out=\S+\.tfplan$/);
    expect(plan).not.toContain(run.out);
    expect(run.log.find((l) => l.startsWith('start ') && l.includes(' init '))).toMatch(/ init -input=false -no-color$/);
  });

  it('the comment names the stacks that were not planned and why', () => {
    const run = planStacks(cdktfOut, one.stdout);
    const comment = path.join(run.out, 'comment.md');
    const r = spawnSync(
      process.execPath,
      [
        'scripts/run-app.mjs',
        '.github/scripts/pr-comment.ts',
        '--out',
        comment,
        '--diffs',
        run.out,
        '--cdktf-out',
        cdktfOut,
        '--dist',
        path.join(repo.dir, 'dist'),
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    const text = fs.readFileSync(comment, 'utf8');
    expect(text).toMatch(/### `platform-stg2`\s+\*\*0 to add, 1 to change, 0 to destroy\.\*\*/);
    expect(text).toMatch(/Not planned: 16 stacks unchanged by this pull request: `apps-dev1`, .*`platform-stg3`\./);
    expect(text).not.toContain('### `platform-stg1`');
  });
});

describe('plan-stacks', () => {
  // Six stacks in two sets of providers (platform: azurerm; apps: azurerm and kubernetes), no synth needed.
  const cdktfOut = path.join(tmp, 'small', 'cdktf.out');
  const stacks: Record<string, { dependencies: string[] }> = {};
  for (const env of ['a', 'b', 'c']) {
    for (const [stack, providers] of [
      [`platform-${env}`, { azurerm: { source: 'azurerm', version: '4.55.0' } }],
      [`apps-${env}`, { azurerm: { source: 'azurerm', version: '4.55.0' }, kubernetes: { source: 'kubernetes', version: '2.38.0' } }],
    ] as const) {
      fs.mkdirSync(path.join(cdktfOut, 'stacks', stack), { recursive: true });
      fs.writeFileSync(path.join(cdktfOut, 'stacks', stack, 'cdk.tf.json'), JSON.stringify({ terraform: { required_providers: providers } }));
      stacks[stack] = { dependencies: stack.startsWith('apps-') ? [`platform-${env}`] : [] };
    }
  }
  fs.writeFileSync(path.join(cdktfOut, 'manifest.json'), JSON.stringify({ stacks }));
  const all = Object.keys(stacks).sort().join('\n');

  it('runs at most --parallel stacks at once, after one init per set of providers alone, whose lock file the others reuse', () => {
    const run = planStacks(cdktfOut, all, { args: ['--parallel', '2'], seconds: '0.3' });
    expect(run.status).toBe(0);
    expect([calls(run, 'init'), calls(run, 'plan')]).toEqual([6, 6]);
    let running = 0;
    let most = 0;
    for (const line of run.log) {
      running += line.startsWith('start ') ? 1 : -1;
      most = Math.max(most, running);
    }
    expect(most).toBe(2);
    // The first init of each set runs alone: it is the only one to write the provider cache.
    const [first, second] = [run.log.slice(0, 2), run.log.slice(2, 4)];
    for (const pair of [first, second]) {
      expect(pair[0]).toMatch(/^start -chdir=\S+ init /);
      expect(pair[1]).toBe(pair[0].replace(/^start/, 'end'));
    }
    expect(fs.readFileSync(path.join(cdktfOut, 'stacks', 'apps-c', '.terraform.lock.hcl'), 'utf8')).toContain('/stacks/apps-a\n');
    expect(fs.readFileSync(path.join(cdktfOut, 'stacks', 'platform-c', '.terraform.lock.hcl'), 'utf8')).toContain('/stacks/platform-a\n');
    expect(fs.existsSync(path.join(tmp, `run-${runs}`, 'plugin-cache'))).toBe(true);
    expect(notPlanned(run)).toEqual([]);
  });

  it.each([
    ['a stack the manifest does not have', 'platform-zz\n'],
    ['a path', '../../../etc\n'],
    ['a name with a newline inside a line', 'apps-a\rplatform-b\n'],
  ])('refuses %s and plans nothing', (_what, input) => {
    const run = planStacks(cdktfOut, input);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^plan-stacks: not stacks of the manifest: '/);
    expect(run.log).toEqual([]);
    expect(fs.existsSync(run.out)).toBe(false);
  });

  it('plans nothing when nothing changed, and names every stack as not planned', () => {
    const run = planStacks(cdktfOut, '');
    expect(run.status).toBe(0);
    expect(run.log).toEqual([]);
    expect(notPlanned(run).map((n) => n.stack)).toEqual(Object.keys(stacks).sort());
  });
});

// `npm run bench`: times the synth path and the test suite, with peak memory, and prints a table.
// A benchmark, not a test: nothing fails on a slow machine. It says what it is doing as it goes.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CACHE_DIR } from './bundle.mjs';
import { optionsOrExit, parseArgs } from './usage.mjs';

const USAGE = `usage: npm run bench -- [--synth] [--help]

Times the synth path (cold, warm, 30 and 100 environments, and the init-template peer) and, without
--synth, npm run diff, the type-check and the test suite, with peak memory, and prints a table. Progress goes to stderr, the table to stdout.
Several minutes; it writes only to a temporary folder (and clears the build and test caches it measures).

  --synth   the synth rows only (about a minute)
  --help    this text`;

// Before any work: --help and a bad argument end here.
const options = optionsOrExit(parseArgs(process.argv.slice(2), { '--synth': 'flag' }), USAGE);
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
const progress = (text) => process.stderr.write(`${text}\n`);

/**
 * Runs a command once: wall seconds, CPU seconds (user + system, all threads and children) and peak RSS
 * (MB, the largest process), the last two where /usr/bin/time exists. CPU time says more than wall time
 * on a machine that other work keeps busy.
 */
function runOnce(command, args, env = {}) {
  const started = performance.now();
  const options = { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 };
  const result = TIME ? spawnSync(TIME, ['-f', 'BENCH %M %U %S', command, ...args], options) : spawnSync(command, args, options);
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
  }
  const [, rss, user, system] = /BENCH (\d+) ([\d.]+) ([\d.]+)/.exec(result.stderr ?? '') ?? [];
  return { seconds, cpu: user ? Number(user) + Number(system) : undefined, peakMB: rss ? Math.round(Number(rss) / 1024) : undefined };
}

/** Runs a command `runs` times (after `before`, if given), printing each sample; best, median and peak memory. */
function measure(label, command, args, { runs, before, env } = {}) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    process.stderr.write(`  ${label}: run ${i + 1}/${runs} ... `);
    const sample = runOnce(command, args, env);
    progress(
      `${sample.seconds.toFixed(2)} s${sample.cpu === undefined ? '' : `, CPU ${sample.cpu.toFixed(2)} s`}${sample.peakMB ? `, ${sample.peakMB} MB` : ''}`,
    );
    samples.push(sample);
  }
  const sorted = samples.map((s) => s.seconds).sort((a, b) => a - b);
  const cpu = samples.map((s) => s.cpu ?? NaN).sort((a, b) => a - b);
  return {
    label,
    runs,
    best: sorted[0].toFixed(2),
    median: sorted[Math.floor(sorted.length / 2)].toFixed(2),
    cpu: Number.isNaN(cpu[0]) ? 'n/a' : cpu[Math.floor(cpu.length / 2)].toFixed(2),
    peakMB: Math.max(...samples.map((s) => s.peakMB ?? 0)) || 'n/a',
  };
}

/** `count` environments: copies of the test fixtures in dev -> staging -> prod chains (dev1 -> stg1 -> prd1, ...). */
function environmentCopies(count) {
  const dir = path.join(tmp, `environments-${count}`);
  fs.mkdirSync(dir);
  const kinds = [
    ['dev', 'dev'],
    ['stg', 'staging'],
    ['prd', 'prod'],
  ].map(([prefix, source]) => [prefix, fs.readFileSync(path.join('test/fixtures/environments', `${source}.yaml`), 'utf8')]);
  for (let n = 0; n < count; n++) {
    const [prefix, text] = kinds[n % 3];
    const chain = Math.floor(n / 3) + 1;
    // Each private copy gets a runner network of its own: a network resolves one private DNS zone of a name.
    const copy = text
      .replace(/after: \[dev\]/, `after: [dev${chain}]`)
      .replace(/after: \[staging\]/, `after: [stg${chain}]`)
      .replace(/virtualNetworks\/vnet-ci-runners\]/, `virtualNetworks/vnet-ci-runners-${prefix}${chain}]`);
    fs.writeFileSync(path.join(dir, `${prefix}${chain}.yaml`), copy);
  }
  return dir;
}

/**
 * The peer: the same two apps run the way projects made by `cdktf init --template typescript` and
 * `cdk8s init typescript-app` run theirs, through ts-node with type-checking (the templates' own
 * toolchain, installed into a temporary folder; skipped when the npm registry cannot be reached).
 */
function peerCommand() {
  const dir = path.join(tmp, 'peer');
  const install = spawnSync(
    npm,
    ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', 'ts-node@10.9.2', 'typescript@5.9.3'],
    {
      encoding: 'utf8',
    },
  );
  if (install.status !== 0) return undefined;
  const tsNode = path.join(dir, 'node_modules/ts-node/dist/bin.js');
  // Node 22.18+ strips types itself; the templates' ts-node does the compiling here, in CommonJS.
  const script = ['infra/main.ts', 'workloads/main.ts']
    .map((app) => `${JSON.stringify(process.execPath)} --no-experimental-strip-types ${JSON.stringify(tsNode)} --project tsconfig.json ${app}`)
    .join(' && ');
  return {
    command: 'sh',
    args: ['-c', script],
    env: {
      TS_NODE_COMPILER_OPTIONS: '{"module":"commonjs","moduleResolution":"node"}',
      CDKTF_OUTDIR: path.join(dir, 'cdktf.out'),
      CDK8S_OUTDIR: path.join(dir, 'dist'),
    },
  };
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const bin = (name) => path.join('node_modules', '.bin', name);
const synthArgs = (outdir) => ['run', '-s', 'synth', '--', '--outdir', outdir];
const clearBuildCache = () => fs.rmSync(CACHE_DIR, { recursive: true, force: true });

progress(`benchmarking on ${os.cpus().length} CPUs, Node ${process.version}; each line is one run`);
const rows = [];
progress('synth, cold: the build cache is cleared before each run (esbuild bundles)');
rows.push(measure('npm run synth, cold (no build cache)', npm, synthArgs(path.join(tmp, 'cold')), { runs: 2, before: clearBuildCache }));
progress('synth, warm: what an edit-free run costs (6 stacks + 3 manifest sets)');
rows.push(measure('npm run synth, warm (6 stacks + 3 manifest sets)', npm, synthArgs(path.join(tmp, 'warm')), { runs: 7 }));
// What of that the project does not control: npm, Node's start and the script's own start (no synth).
progress('npm run synth -- --help: npm, Node and the script starting, no synth');
rows.push(measure('npm run synth -- --help (npm + Node start, no synth)', npm, ['run', '-s', 'synth', '--', '--help'], { runs: 7 }));
// The synth command itself, as package.json runs it, without npm in front.
const synthCommand = JSON.parse(fs.readFileSync('package.json', 'utf8')).scripts.synth.split(' ');
progress(`${synthCommand.join(' ')}, warm: the same synth without npm`);
rows.push(
  measure('synth command alone, warm (no npm)', process.execPath, [...synthCommand.slice(1), '--outdir', path.join(tmp, 'direct')], { runs: 7 }),
);
for (const count of [30, 100]) {
  progress(`synth, ${count} environments (${2 * count} stacks + ${count} manifest sets), warm`);
  rows.push(
    measure(`npm run synth, ${count} environments, warm`, npm, synthArgs(path.join(tmp, `copies-${count}`)), {
      runs: count > 30 ? 1 : 3,
      env: { ENVIRONMENTS_DIR: environmentCopies(count) },
    }),
  );
}
progress('peer: the same apps as the cdktf and cdk8s init templates run them (ts-node, type-checked); installing ts-node');
const peer = peerCommand();
if (peer) rows.push(measure('peer: init-template way (ts-node), the same 3 environments', peer.command, peer.args, { runs: 2, env: peer.env }));
else progress('  skipped: ts-node could not be installed (no npm registry?)');
// `npm run bench -- --synth`: the synth rows only (a minute instead of several).
if (!options.synth) {
  progress('diff: base and working tree synthesized in parallel, both layers (npm run diff)');
  rows.push(
    measure(
      'diff (npm run diff --base HEAD --format json)',
      process.execPath,
      ['scripts/run-app.mjs', 'scripts/diff/main.ts', '--base', 'HEAD', '--format', 'json'],
      { runs: 3 },
    ),
  );
  progress('type-check (tsc 7) from scratch, without the incremental build info npm test keeps');
  rows.push(
    measure('type-check (tsc 7), from scratch', process.execPath, ['node_modules/typescript-native/bin/tsc', '--noEmit', '-p', '.'], { runs: 3 }),
  );
  /** Every cache `npm test` keeps: check stamps, tsc build info, jest, the build cache (oxlint and oxfmt keep none). */
  const clearTestCaches = () => {
    for (const dir of ['test-stamps', 'tsbuildinfo']) fs.rmSync(path.join('.build', dir), { recursive: true, force: true });
    spawnSync(process.execPath, [bin('jest'), '--clearCache']);
    clearBuildCache();
  };
  progress('npm test, cold: every cache cleared first (check stamps, tsc, jest, build cache)');
  rows.push(measure('npm test, cold (no caches)', npm, ['test', '-s'], { runs: 1, before: clearTestCaches }));
  progress('npm test, warm: unchanged tree, so lint, format and types are up to date; the unit tier runs');
  rows.push(measure('npm test, warm (unit tier)', npm, ['test', '-s'], { runs: 3 }));
  progress('npm test, jest only (--no-checks): what the unit tier costs on its own');
  rows.push(measure('npm test -- --no-checks (unit tier only)', npm, ['test', '-s', '--', '--no-checks'], { runs: 3 }));
  progress('npm run test:all, warm: unit and e2e tiers (what CI runs)');
  rows.push(measure('npm run test:all, warm (unit + e2e)', npm, ['run', '-s', 'test:all'], { runs: 1 }));
}

const header = ['what', 'runs', 'best s', 'median s', 'median CPU s', 'peak MB'];
const table = [header, ...rows.map((r) => [r.label, r.runs, r.best, r.median, r.cpu, r.peakMB].map(String))];
const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
console.log(
  `${os.cpus().length} CPUs, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}${TIME ? '' : ' (no /usr/bin/time: peak memory not measured)'}`,
);
for (const [i, row] of table.entries()) {
  console.log(`| ${row.map((cell, j) => cell.padEnd(widths[j])).join(' | ')} |`);
  if (i === 0) console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
}
fs.rmSync(tmp, { recursive: true, force: true });

// `npm run bench`: times the synth path and the test suite, with peak memory, and prints a table.
// A benchmark, not a test: nothing fails on a slow machine.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));

/** Runs a command once; wall seconds and peak RSS (MB, the largest process, where /usr/bin/time exists). */
function runOnce(command, args) {
  const started = performance.now();
  const result = TIME
    ? spawnSync(TIME, ['-f', 'BENCH %M', command, ...args], { encoding: 'utf8' })
    : spawnSync(command, args, { encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
  }
  const rss = /BENCH (\d+)/.exec(result.stderr ?? '')?.[1];
  return { seconds, peakMB: rss ? Math.round(Number(rss) / 1024) : undefined };
}

function measure(label, command, args, runs, before) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    samples.push(runOnce(command, args));
  }
  const sorted = samples.map((s) => s.seconds).sort((a, b) => a - b);
  return {
    label,
    runs,
    best: sorted[0].toFixed(2),
    median: sorted[Math.floor(sorted.length / 2)].toFixed(2),
    peakMB: Math.max(...samples.map((s) => s.peakMB ?? 0)) || 'n/a',
  };
}

const bin = (name) => path.join('node_modules', '.bin', name);
const rows = [
  measure('synth: 3 environments, 6 stacks + 3 manifest sets (npm run synth)', process.execPath, ['scripts/synth.mjs', '--outdir', out], 5),
  measure('diff: base + working tree synthesized in parallel, both layers (npm run diff)', process.execPath, ['scripts/run-app.mjs', 'scripts/diff/main.ts', '--base', 'HEAD', '--format', 'json'], 3),
  measure('type-check (tsc 7)', 'node_modules/typescript-native/bin/tsc', ['--noEmit', '-p', '.'], 3),
  measure('jest, cold (cache cleared)', bin('jest'), ['--silent'], 1, () => spawnSync(bin('jest'), ['--clearCache'])),
  measure('jest, warm', bin('jest'), ['--silent'], 3),
];

const header = ['what', 'runs', 'best s', 'median s', 'peak MB'];
const table = [header, ...rows.map((r) => [r.label, r.runs, r.best, r.median, r.peakMB].map(String))];
const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
console.log(`${os.cpus().length} CPUs, Node ${process.version}${TIME ? '' : ' (no /usr/bin/time: peak memory not measured)'}`);
for (const [i, row] of table.entries()) {
  console.log(`| ${row.map((cell, j) => cell.padEnd(widths[j])).join(' | ')} |`);
  if (i === 0) console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
}
fs.rmSync(out, { recursive: true, force: true });

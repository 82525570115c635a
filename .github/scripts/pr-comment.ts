import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderComment, type Section } from './comment';
import { noPlanSection, offlineDiffSection, planSection, synthSection } from './sections';

/*
 * Builds the pull-request review comment:
 *   node scripts/run-app.mjs .github/scripts/pr-comment.ts --out comment.md [--offline-diff DIR] [--diffs DIR] [--no-plan-reason TEXT]
 * The offline diff (`npm run diff --output-dir DIR`) comes first; then what was synthesized; then the
 * plans: --diffs DIR holds <stack>.txt (output of `cdktf diff <stack>`) and <stack>.exitcode per stack.
 */
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const known = new Set(['--out', '--offline-diff', '--diffs', '--no-plan-reason', '--cdktf-out', '--dist']);
const unknown = args.filter((a, i) => a.startsWith('--') && !known.has(a) && !known.has(args[i - 1]));
const out = option('--out');
if (!out || unknown.length > 0) {
  console.error(
    `usage: pr-comment --out FILE [--offline-diff DIR] [--diffs DIR | --no-plan-reason TEXT] [--cdktf-out DIR] [--dist DIR]${unknown.length ? ` (unknown: ${unknown.join(' ')})` : ''}`,
  );
  process.exit(2);
}

const offline = option('--offline-diff');
const sections: Section[] = [
  ...(offline ? [offlineDiffSection(offline)] : []),
  synthSection(option('--cdktf-out') ?? 'cdktf.out', option('--dist') ?? 'dist'),
];
const diffs = option('--diffs');
const reason = option('--no-plan-reason');
if (diffs && fs.existsSync(diffs)) {
  for (const file of fs
    .readdirSync(diffs)
    .filter((f) => f.endsWith('.txt'))
    .sort()) {
    const stack = file.replace(/\.txt$/, '');
    const exitFile = path.join(diffs, `${stack}.exitcode`);
    const exitCode = fs.existsSync(exitFile) ? Number(fs.readFileSync(exitFile, 'utf8').trim()) : 1;
    sections.push(planSection(stack, fs.readFileSync(path.join(diffs, file), 'utf8'), exitCode));
  }
} else {
  sections.push(noPlanSection(reason ?? 'no diffs were produced.'));
}
fs.writeFileSync(out, renderComment('Infrastructure and workload review', sections));
console.log(`wrote ${out} (${sections.length} sections)`);

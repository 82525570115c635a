import * as fs from 'node:fs';
import { collectReview } from './collect-review';
import { renderReview } from './review';
import { schemaError } from './review-data';

/*
 * Collects pr-review's output as review.json, the data pr-review-comment.yml renders the comment from
 * (review-data.ts; this runs the pull request's code, so the comment is never taken from here), and
 * renders it to Markdown for the run's own artifact:
 *   node scripts/run-app.mjs .github/scripts/pr-comment.ts [--json review.json] [--out comment.md] [--offline-diff DIR] [--diffs DIR] [--no-plan-reason TEXT] [--not-planned FILE]
 * The offline diff (`npm run diff --output-dir DIR`: diff.json, exitcode, stderr.txt) comes first; then what
 * was synthesized; then the plans: --diffs DIR holds <stack>.txt (what terraform printed) and <stack>.exitcode
 * per stack. --not-planned FILE (default DIR/not-planned.json, from plan-stacks.ts): the stacks left out and why.
 */
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const known = new Set(['--out', '--json', '--offline-diff', '--diffs', '--no-plan-reason', '--cdktf-out', '--dist', '--not-planned']);
const unknown = args.filter((a, i) => a.startsWith('--') && !known.has(a) && !known.has(args[i - 1]));
const out = option('--out');
const json = option('--json');
if ((!out && !json) || unknown.length > 0) {
  console.error(
    `usage: pr-comment (--json FILE | --out FILE)... [--offline-diff DIR] [--diffs DIR | --no-plan-reason TEXT] [--cdktf-out DIR] [--dist DIR] [--not-planned FILE]${unknown.length ? ` (unknown: ${unknown.join(' ')})` : ''}`,
  );
  process.exit(2);
}

const { data, dropped } = collectReview({
  offlineDiff: option('--offline-diff'),
  cdktfOut: option('--cdktf-out') ?? 'cdktf.out',
  dist: option('--dist') ?? 'dist',
  diffs: option('--diffs'),
  notPlanned: option('--not-planned'),
  noPlanReason: option('--no-plan-reason'),
});
if (dropped.length) console.warn(`pr-comment: left out of review.json, not in its schema: ${dropped.slice(0, 10).join(', ')}`);
// The same check pr-review-comment makes: a mismatch here is a bug in this collector, not in the pull request.
const invalid = schemaError(data);
if (invalid !== undefined) {
  console.error(`pr-comment: the collected data does not match review.json's schema: ${invalid}`);
  process.exit(1);
}
if (json) {
  fs.writeFileSync(json, `${JSON.stringify(data)}\n`);
  console.log(`wrote ${json} (${fs.statSync(json).size} bytes)`);
}
if (out) {
  fs.writeFileSync(out, renderReview(data));
  console.log(`wrote ${out}`);
}

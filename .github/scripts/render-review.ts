import * as fs from 'node:fs';
import { optionsOrExit, parseArgs } from '../../scripts/usage.mjs';
import { renderReview } from './review';
import { readReview } from './review-data';

/*
 * Renders the pull-request comment from review.json, in pr-review-comment.yml: there this is the default
 * branch's code and review.json comes from the pull request's run, so the file is checked (size before it is
 * read, then JSON, depth and schema: review-data.ts) and refused with one line when it does not conform.
 * --fork OWNER/NAME: the pull request comes from that fork (the workflow reads it from the event), which the
 * comment then says.
 */
const USAGE = `usage: node scripts/run-app.mjs .github/scripts/render-review.ts --input review.json --out comment.md [--fork OWNER/NAME]
  --input  the data pr-review uploaded (checked against its schema first)
  --out    the comment's Markdown
  --fork   the fork the pull request comes from, from the workflow_run event`;

// run-app.mjs passes its entry on: `node run-app.mjs .github/scripts/render-review.ts --input …`.
const entry = process.argv.findIndex((a) => a.endsWith('render-review.ts'));
const args = process.argv.slice(entry >= 0 ? entry + 1 : 2);
const options = optionsOrExit(parseArgs(args, { '--input': 'value', '--out': 'value', '--fork': 'value' }), USAGE);
if (!options.input || !options.out) {
  console.error('render-review: --input and --out are required (--help lists the options)');
  process.exit(2);
}
const review = readReview(options.input);
if ('error' in review) {
  console.error(`render-review: ${options.input} ${review.error}; no comment rendered`);
  process.exit(1);
}
fs.writeFileSync(options.out, renderReview(review.data, { fork: options.fork }));
console.log(`render-review: wrote ${options.out}${options.fork ? ` (pull request from the fork ${options.fork})` : ''}`);

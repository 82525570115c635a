import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareOutputs, readSynthOutput } from './compare';
import { ACTIONS, RISK_KINDS, type DiffReport } from './model';
import { policyDelta } from './policy-delta';
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from './render-markdown';
import { renderText } from './render-text';
import { DiffError, EXIT, headCommit, headLabel, prepareSides, repositoryRoot, resolveBase, stopSynths, synthesizeBoth } from './workspace';

/*
 * npm run diff -- [--base REF] [--format text|markdown|json] [--fail-on ACTION|RISK|LEVEL,...] [--max-length N] [--output-dir DIR]
 * Synthesizes the base and the working tree in a temporary folder (both in parallel) and prints what
 * changes, per environment, in both layers, risks first. See README, "Reading a pull request".
 */
const FORMATS = ['text', 'markdown', 'json'] as const;
const LEVELS = ['high', 'medium'];
const FAIL_ON = [...ACTIONS, ...RISK_KINDS, ...LEVELS];
const USAGE = `usage: npm run diff -- [--base <git ref>] [--format ${FORMATS.join('|')}] [--fail-on <action|risk|level>[,...]] [--max-length <chars>]
  --base        what to compare with (default: the merge base with origin/main, else main)
  --format      text (default; colour on a terminal), markdown (pull-request comment), json
  --fail-on     exit 1 when a change has one of these: ${FAIL_ON.join(', ')}
  --max-length  markdown only: trim to this many characters (default ${GITHUB_COMMENT_LIMIT}, GitHub's comment limit)
  --output-dir  also write diff.txt, diff.md and diff.json there (one run, every format; for CI artifacts)`;

interface Options {
  readonly base?: string;
  readonly format: (typeof FORMATS)[number];
  readonly failOn: string[];
  readonly maxLength: number;
  readonly outputDir?: string;
}

function parseArgs(args: ReadonlyArray<string>): Options {
  const bad = (message: string) => new DiffError(`npm run diff: ${message}\n${USAGE}`, EXIT.input);
  let base: string | undefined;
  let format: Options['format'] = 'text';
  const failOn: string[] = [];
  let maxLength = GITHUB_COMMENT_LIMIT;
  let outputDir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw bad(`${flag} needs a value`);
      return v;
    };
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(EXIT.ok);
    } else if (flag === '--base') base = value();
    else if (flag === '--format') {
      const f = value();
      if (!(FORMATS as ReadonlyArray<string>).includes(f)) throw bad(`--format '${f}' is not one of ${FORMATS.join(', ')}`);
      format = f as Options['format'];
    } else if (flag === '--fail-on') {
      for (const item of value()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        if (!FAIL_ON.includes(item)) throw bad(`--fail-on '${item}' is not an action, risk or level; allowed: ${FAIL_ON.join(', ')}`);
        failOn.push(item);
      }
    } else if (flag === '--max-length') {
      const v = value();
      maxLength = Number(v);
      if (!Number.isInteger(maxLength) || maxLength < 1000) throw bad(`--max-length '${v}' must be a whole number of at least 1000`);
    } else if (flag === '--output-dir') outputDir = value();
    else throw bad(`unknown argument '${flag}'`);
  }
  return { base, format, failOn, maxLength, outputDir };
}

/** The changes that match `--fail-on`, as one line each. */
function gate(report: DiffReport, failOn: ReadonlyArray<string>): string[] {
  return report.changes
    .flatMap((c) => {
      const hits = failOn.filter((f) => f === c.action || c.risks.some((r) => r.kind === f || r.level === f));
      return hits.length ? [`${c.environment} ${c.address}: ${c.action} (${hits.join(', ')})`] : [];
    })
    .concat(report.risks.filter((r) => r.kind.startsWith('environment-') && failOn.some((f) => f === r.kind || f === r.level)).map((r) => r.message));
}

async function main(): Promise<number> {
  // run-app.mjs passes its entry on: `node run-app.mjs scripts/diff/main.ts --base main`.
  const entry = process.argv.findIndex((a) => /scripts[\\/]diff[\\/]main\.ts$/.test(a));
  const options = parseArgs(process.argv.slice(entry >= 0 ? entry + 1 : 2));
  const repo = repositoryRoot(process.cwd());
  const base = resolveBase(repo, options.base);
  const head = { ref: headLabel(repo), commit: headCommit(repo) };
  const sides = await prepareSides(repo, base.commit, `base ${base.ref} (${base.commit.slice(0, 7)})`);
  // Ctrl-C: the synths get the signal too; the temporary folder must not stay behind.
  const interrupted = (signal: NodeJS.Signals) => {
    stopSynths();
    fs.rmSync(sides.root, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const [before, after] = await synthesizeBoth([sides.base, sides.head], readSynthOutput);
    const report: DiffReport = {
      ...compareOutputs(before, after, { base, head }),
      policy: policyDelta(
        { out: sides.base.out, environmentsDir: path.join(sides.base.tree, 'environments') },
        { out: sides.head.out, environmentsDir: path.join(sides.head.tree, 'environments') },
      ),
    };
    const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
    const render = {
      json: () => JSON.stringify(report, null, 2),
      markdown: () => renderMarkdown(report, options.maxLength),
      text: () => renderText(report, colour),
    };
    process.stdout.write(`${render[options.format]()}\n`);
    if (options.outputDir) {
      fs.mkdirSync(options.outputDir, { recursive: true });
      fs.writeFileSync(path.join(options.outputDir, 'diff.json'), `${render.json()}\n`);
      fs.writeFileSync(path.join(options.outputDir, 'diff.md'), `${render.markdown()}\n`);
      fs.writeFileSync(path.join(options.outputDir, 'diff.txt'), `${renderText(report, false)}\n`);
    }
    const hits = gate(report, options.failOn);
    if (hits.length) {
      console.error(`npm run diff: --fail-on ${options.failOn.join(',')} matched:\n${hits.map((h) => `  ${h}`).join('\n')}`);
      return EXIT.failOn;
    }
    return EXIT.ok;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    fs.rmSync(sides.root, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof DiffError) {
      console.error(error.message);
      process.exitCode = error.exitCode;
    } else {
      console.error(error);
      process.exitCode = EXIT.input;
    }
  },
);

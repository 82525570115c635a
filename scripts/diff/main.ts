import * as fs from 'node:fs';
import * as path from 'node:path';
import { optionsOrExit, parseArgs, quoted } from '../usage.mjs';
import { compareOutputs, readSynthOutput } from './compare';
import { costGate, loadCostInputs, parseCostThresholds, withCost, type CostThreshold } from './cost';
import { ACTIONS, RISK_KINDS, type DiffReport } from './model';
import { policyDelta } from './policy-delta';
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from './render-markdown';
import { renderText } from './render-text';
import { readSynthStacks, stacksToPlan } from './stacks';
import { DiffError, EXIT, prepareSides, repositoryRoot, resolveBase, resolveHead, stopSynths, synthesizeBoth } from './workspace';

/*
 * npm run diff -- [--base REF] [--head REF] [--format text|markdown|json] [--fail-on ACTION|RISK|LEVEL|cost:+N%|cost:+N,...] [--max-length N] [--output-dir DIR]
 * npm run diff -- [--base REF] [--head REF] --stacks
 * Synthesizes the base and the working tree (or --head) in a temporary folder (both in parallel) and prints what
 * changes, per environment, in both layers, risks first. See docs/diff.md.
 */
const FORMATS = ['text', 'markdown', 'json'] as const;
const LEVELS = ['high', 'medium'];
const FAIL_ON = [...ACTIONS, ...RISK_KINDS, ...LEVELS];
const USAGE = `usage: npm run diff -- [--base <git ref>] [--head <git ref>] [--format ${FORMATS.join('|')}] [--fail-on <action|risk|level|cost:+N%|cost:+N>[,...]] [--max-length <chars>]
                        [--output-dir DIR] [--help]
       npm run diff -- [--base <git ref>] [--head <git ref>] --stacks
  --base        what to compare with (default: the merge base of the head with origin/main, else main)
  --head        what to compare: a commit, branch or tag (default: the working tree, uncommitted changes included)
  --format      text (default; colour on a terminal), markdown (pull-request comment), json
  --fail-on     exit 1 when a change has one of these: ${FAIL_ON.join(', ')};
                or when an environment's monthly min or max cost rises by more than cost:+N% (percent) or cost:+N
                (in the price snapshot's currency), e.g. --fail-on replace,cost:+20%
  --max-length  markdown only: trim to this many characters (default ${GITHUB_COMMENT_LIMIT}, GitHub's comment limit)
  --output-dir  also write diff.txt, diff.md and diff.json there (one run, every format; for CI artifacts)
  --stacks      print only the stacks to plan, one a line: those whose Terraform JSON changed and those that depend on them
  --help        this text`;

const OPTIONS = {
  '--base': 'value',
  '--head': 'value',
  '--format': FORMATS,
  '--fail-on': 'value',
  '--max-length': 'value',
  '--output-dir': 'value',
  '--stacks': 'flag',
} as const;

interface Options {
  readonly base?: string;
  readonly head?: string;
  readonly format: (typeof FORMATS)[number];
  readonly failOn: string[];
  readonly costThresholds: CostThreshold[];
  readonly maxLength: number;
  readonly outputDir?: string;
  readonly stacks: boolean;
}

/** The command line, or the one-line error it makes. */
function parseCommandLine(args: ReadonlyArray<string>): { readonly options: Options & { readonly help: boolean } } | { readonly error: string } {
  const parsed = parseArgs(args, OPTIONS);
  if (parsed.error !== undefined) return parsed;
  const { options } = parsed;
  if (options.stacks && (options.format ?? options.failOn ?? options.maxLength ?? options.outputDir) !== undefined)
    return { error: '--stacks prints stack names only; leave out --format, --fail-on, --max-length and --output-dir' };
  const failOn = (options.failOn ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = failOn.find((item) => !FAIL_ON.includes(item) && !item.startsWith('cost:'));
  if (unknown !== undefined)
    return {
      error: `--fail-on ${quoted(unknown)} is not an action, risk, level or cost threshold; allowed: ${FAIL_ON.join(', ')}, cost:+N%, cost:+N`,
    };
  const cost = parseCostThresholds(failOn);
  if ('error' in cost) return cost;
  const maxLength = Number(options.maxLength ?? GITHUB_COMMENT_LIMIT);
  if (!Number.isInteger(maxLength) || maxLength < 1000)
    return { error: `--max-length ${quoted(String(options.maxLength))} must be a whole number of at least 1000` };
  return {
    options: {
      help: options.help,
      base: options.base,
      head: options.head,
      format: options.format ?? 'text',
      failOn: failOn.filter((item) => !item.startsWith('cost:')),
      costThresholds: cost.thresholds,
      maxLength,
      outputDir: options.outputDir,
      stacks: options.stacks === true,
    },
  };
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
  const options = optionsOrExit(parseCommandLine(process.argv.slice(entry >= 0 ? entry + 1 : 2)), USAGE);
  const repo = repositoryRoot(process.cwd());
  const { tree: headTree, ...head } = resolveHead(repo, options.head);
  const base = resolveBase(repo, options.base, headTree?.commit);
  const sides = await prepareSides(repo, base.commit, `base ${base.ref} (${base.commit.slice(0, 7)})`, headTree);
  // Ctrl-C: the synths get the signal too; the temporary folder must not stay behind.
  const interrupted = (signal: NodeJS.Signals) => {
    stopSynths();
    fs.rmSync(sides.root, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    if (options.stacks) {
      const [baseStacks, headStacks] = await synthesizeBoth([sides.base, sides.head], readSynthStacks);
      const { plan, removed } = stacksToPlan(baseStacks, headStacks);
      if (removed.length) console.error(`npm run diff: removed, so not listed (nothing left to plan): ${removed.join(', ')}`);
      process.stdout.write(plan.map((stack) => `${stack}\n`).join(''));
      return EXIT.ok;
    }
    const [before, after] = await synthesizeBoth([sides.base, sides.head], readSynthOutput);
    let report: DiffReport = {
      ...compareOutputs(before, after, { base, head }),
      policy: policyDelta(
        { out: sides.base.out, environmentsDir: path.join(sides.base.tree, 'environments') },
        { out: sides.head.out, environmentsDir: path.join(sides.head.tree, 'environments') },
      ),
    };
    try {
      report = withCost(report, before, after, loadCostInputs(sides.base.tree, sides.head.tree, repo));
    } catch (error) {
      // The diff still shows; the cost says why it is missing, and a cost threshold fails on it.
      report = { ...report, costError: (error as Error).message };
    }
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
    const hits = [...gate(report, options.failOn), ...costGate(report, options.costThresholds)];
    if (hits.length) {
      const failOn = [...options.failOn, ...options.costThresholds.map((t) => t.item)].join(',');
      console.error(`npm run diff: --fail-on ${failOn} matched:\n${hits.map((h) => `  ${h}`).join('\n')}`);
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

import * as fs from 'node:fs';
import * as path from 'node:path';
import { code, fence } from '../../scripts/diff/markdown-escape';
import { GITHUB_COMMENT_LIMIT } from './comment';
import type { PlanRecord } from './reviewed-plan';

/*
 * The scheduled drift check's verdict for one environment, from the plans `reviewed-plan plan` wrote:
 *   node scripts/run-app.mjs .github/scripts/drift-report.ts --dir DIR --environment ENV --run-url URL [--out DIR]
 * writes OUT/issue.md (the body of the environment's drift issue; OUT defaults to DIR) and OUT/status:
 * `drift` (open or update the issue), `clean` (close it) or `failed` (a stack could not be planned, or
 * its record is not one: leave the issue as it is).
 * drift.yml runs it in the job that may write issues, on the plan job's artifact: the records are data
 * from another job and from Azure (a tag value, a resource name), so each is checked and every value is
 * escaped (scripts/diff/markdown-escape.ts) before it reaches the issue.
 */

export type DriftStatus = 'drift' | 'clean' | 'failed';

/** Title of the one issue per environment; the workflow finds it by this title and the `drift` label. */
export const driftIssueTitle = (environment: string) => `Drift detected: ${environment}`;

/** `<layer>-<environment>`, as stacks are named (plan-stacks.ts). */
const STACK_NAME = /^[a-z][a-z0-9]{0,30}-[a-z][a-z0-9]{0,30}$/;
const COUNT = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;

/** A plan record as reviewed-plan.ts writes it, or undefined when the data is anything else. */
export function checkRecord(data: unknown): PlanRecord | undefined {
  const r = data as Partial<PlanRecord> | null;
  if (!r || typeof r !== 'object' || typeof r.stack !== 'string' || !STACK_NAME.test(r.stack)) return undefined;
  if (!['changes', 'no-changes', 'failed'].includes(r.status as string)) return undefined;
  if (![r.add, r.change, r.destroy].every(COUNT)) return undefined;
  return { stack: r.stack, status: r.status!, add: r.add!, change: r.change!, destroy: r.destroy! };
}

export function driftReport(
  records: ReadonlyArray<{ record: PlanRecord; plan: string }>,
  environment: string,
  runUrl: string,
): { status: DriftStatus; body: string } {
  const failed = records.filter((r) => r.record.status === 'failed');
  const drifted = records.filter((r) => r.record.status === 'changes');
  const status: DriftStatus = failed.length ? 'failed' : drifted.length ? 'drift' : 'clean';
  const head = [
    `The daily plan of ${code(environment)} (${runUrl}) found differences between \`main\` and what is deployed: a change made outside Terraform, or a merged change not applied yet.`,
    '',
    '| Stack | Plan |',
    '| --- | --- |',
    ...records.map(
      ({ record: r }) =>
        `| ${code(r.stack, { cell: true })} | ${r.status === 'changes' ? `**${r.add} to add, ${r.change} to change, ${r.destroy} to destroy**` : r.status === 'no-changes' ? 'no changes' : 'could not be planned'} |`,
    ),
    '',
    'Bring it back with a deploy of `main` (which shows the plan for approval), or change the configuration to match. This issue closes itself once a daily plan is clean.',
  ].join('\n');
  const budget = Math.max(0, GITHUB_COMMENT_LIMIT - head.length - 2000);
  const details = drifted.map(({ record, plan }) => {
    const share = Math.floor(budget / drifted.length);
    const text = plan.length > share ? `${plan.slice(0, Math.max(0, share - 200))}\n... (cut; the full plan is in the run's job summary)` : plan;
    // The stack name is checked (checkRecord); the plan is text from Azure, in a fence nothing in it can close.
    return `<details><summary><code>${record.stack}</code> plan</summary>\n\n${fence(text.trim())}\n\n</details>`;
  });
  return { status, body: [head, '', ...details].join('\n') };
}

function main(argv: ReadonlyArray<string>): number {
  const args = argv.slice(argv.findIndex((a) => a.endsWith('drift-report.ts')) + 1);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const dir = option('--dir');
  const environment = option('--environment');
  const out = option('--out') ?? dir;
  if (!dir || !out || !environment || !/^[a-z][a-z0-9]{1,11}$/.test(environment)) {
    console.error('usage: drift-report --dir DIR --environment ENV [--run-url URL] [--out DIR] (ENV: an environment name)');
    return 2;
  }
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  // Exactly the environment's two stacks, each a valid record: anything else counts as a failed plan.
  const expected = [`apps-${environment}`, `platform-${environment}`];
  const records = expected.map((stack) => {
    const file = path.join(dir, `${stack}.json`);
    let record: PlanRecord | undefined;
    try {
      record = checkRecord(JSON.parse(fs.readFileSync(file, 'utf8')));
    } catch {
      record = undefined;
    }
    if (!record || record.stack !== stack) return { record: { stack, status: 'failed' as const, add: 0, change: 0, destroy: 0 }, plan: '' };
    const planFile = path.join(dir, `${stack}.txt`);
    return { record, plan: fs.existsSync(planFile) ? fs.readFileSync(planFile, 'utf8') : '' };
  });
  const unexpected = files.filter((f) => !expected.includes(f.replace(/\.json$/, '')));
  if (unexpected.length) console.error(`ignored: ${unexpected.join(', ')}`);
  const { status, body } = driftReport(records, environment, option('--run-url') ?? 'this run');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'issue.md'), body);
  fs.writeFileSync(path.join(out, 'status'), status);
  console.log(`${environment}: ${status}`);
  return 0;
}

if (process.argv.some((a) => a.endsWith('drift-report.ts'))) process.exitCode = main(process.argv);

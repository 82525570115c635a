import * as fs from 'node:fs';
import * as path from 'node:path';
import { GITHUB_COMMENT_LIMIT } from './comment';
import type { PlanRecord } from './reviewed-plan';

/*
 * The scheduled drift check's verdict for one environment, from the plans `reviewed-plan plan` wrote:
 *   node scripts/run-app.mjs .github/scripts/drift-report.ts --dir DIR --environment ENV --run-url URL
 * writes DIR/issue.md (the body of the environment's drift issue) and DIR/status: `drift` (open or
 * update the issue), `clean` (close it) or `failed` (a stack could not be planned: leave the issue as it is).
 */

export type DriftStatus = 'drift' | 'clean' | 'failed';

/** Title of the one issue per environment; the workflow finds it by this title and the `drift` label. */
export const driftIssueTitle = (environment: string) => `Drift detected: ${environment}`;

export function driftReport(
  records: ReadonlyArray<{ record: PlanRecord; plan: string }>,
  environment: string,
  runUrl: string,
): { status: DriftStatus; body: string } {
  const failed = records.filter((r) => r.record.status === 'failed');
  const drifted = records.filter((r) => r.record.status === 'changes');
  const status: DriftStatus = failed.length ? 'failed' : drifted.length ? 'drift' : 'clean';
  const head = [
    `The daily plan of \`${environment}\` (${runUrl}) found differences between \`main\` and what is deployed: a change made outside Terraform, or a merged change not applied yet.`,
    '',
    '| Stack | Plan |',
    '| --- | --- |',
    ...records.map(
      ({ record: r }) =>
        `| \`${r.stack}\` | ${r.status === 'changes' ? `**${r.add} to add, ${r.change} to change, ${r.destroy} to destroy**` : r.status === 'no-changes' ? 'no changes' : 'could not be planned'} |`,
    ),
    '',
    'Bring it back with a deploy of `main` (which shows the plan for approval), or change the configuration to match. This issue closes itself once a daily plan is clean.',
  ].join('\n');
  const budget = Math.max(0, GITHUB_COMMENT_LIMIT - head.length - 2000);
  const details = drifted.map(({ record, plan }) => {
    const share = Math.floor(budget / drifted.length);
    const text = plan.length > share ? `${plan.slice(0, Math.max(0, share - 200))}\n... (cut; the full plan is in the run's job summary)` : plan;
    return `<details><summary><code>${record.stack}</code> plan</summary>\n\n\`\`\`\n${text.trim()}\n\`\`\`\n\n</details>`;
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
  if (!dir || !environment) {
    console.error('usage: drift-report --dir DIR --environment ENV [--run-url URL]');
    return 2;
  }
  const records = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const record = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as PlanRecord;
      const planFile = path.join(dir, `${record.stack}.txt`);
      return { record, plan: fs.existsSync(planFile) ? fs.readFileSync(planFile, 'utf8') : '' };
    });
  const { status, body } = driftReport(records, environment, option('--run-url') ?? 'this run');
  fs.writeFileSync(path.join(dir, 'issue.md'), body);
  fs.writeFileSync(path.join(dir, 'status'), status);
  console.log(`${environment}: ${status}`);
  return 0;
}

if (process.argv.some((a) => a.endsWith('drift-report.ts'))) process.exitCode = main(process.argv);

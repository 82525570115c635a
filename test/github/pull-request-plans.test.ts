import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collectReview } from '../../.github/scripts/collect-review';
import { NOT_PLANNED, runPullRequestPlans, selectPlans } from '../../.github/scripts/pull-request-plans';
import { renderReview } from '../../.github/scripts/review';
import { schemaError } from '../../.github/scripts/review-data';

// Which stacks pr-review.yml plans with Azure, in which plan job, and what the comment says of the others.
const ALL = ['apps-dev', 'apps-prod', 'apps-staging', 'platform-dev', 'platform-prod', 'platform-staging'];
const ENVIRONMENTS = [
  { name: 'dev', runner: 'ubuntu-latest', pullRequestPlans: true },
  { name: 'staging', runner: 'ubuntu-latest', pullRequestPlans: false },
  { name: 'prod', runner: 'photo-view-prod', pullRequestPlans: true },
];
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'pull-request-plans-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

describe('pull-request plans', () => {
  it('plans the changed stacks of opted-in environments, one job each on its runner; the others are named with why', () => {
    const selection = selectPlans({
      all: ALL,
      changed: ['platform-dev', 'apps-dev', 'platform-staging', 'apps-staging'],
      environments: ENVIRONMENTS,
    });
    expect(selection.plans).toEqual([{ environment: 'dev', runner: 'ubuntu-latest', stacks: 'apps-dev platform-dev' }]);
    expect(selection.notPlanned).toEqual([
      { stack: 'apps-prod', reason: NOT_PLANNED.unchanged },
      { stack: 'apps-staging', reason: NOT_PLANNED.notOptedIn },
      { stack: 'platform-prod', reason: NOT_PLANNED.unchanged },
      { stack: 'platform-staging', reason: NOT_PLANNED.notOptedIn },
    ]);
    expect(NOT_PLANNED.notOptedIn).toContain('github.pullRequestPlans: true');
  });

  it('plans nothing for a fork or without Azure, and says so for each changed stack', () => {
    for (const [flags, reason] of [
      [{ fork: true }, NOT_PLANNED.fork],
      [{ noAzure: true }, NOT_PLANNED.noAzure],
    ] as const) {
      const selection = selectPlans({ all: ALL, changed: ['platform-prod'], environments: ENVIRONMENTS, ...flags });
      expect(selection.plans).toEqual([]);
      expect(selection.notPlanned.find((n) => n.stack === 'platform-prod')!.reason).toBe(reason);
      expect(selection.notPlanned).toHaveLength(ALL.length);
    }
  });

  it('refuses a changed stack that is not in the manifest, and a stack name that is no <layer>-<environment>', () => {
    expect(() => selectPlans({ all: ALL, changed: ['platform-qa'], environments: ENVIRONMENTS })).toThrow(
      "not stacks of the manifest: 'platform-qa'",
    );
    expect(() => selectPlans({ all: ['../x'], changed: [], environments: ENVIRONMENTS })).toThrow("'../x' is not a stack name");
  });

  it('select writes plans.json and not-planned.json and prints the plans for GITHUB_OUTPUT', () => {
    const dir = fs.mkdtempSync(path.join(TMP, 'select-'));
    fs.mkdirSync(path.join(dir, 'cdktf.out'));
    fs.writeFileSync(path.join(dir, 'cdktf.out', 'manifest.json'), JSON.stringify({ stacks: Object.fromEntries(ALL.map((s) => [s, {}])) }));
    fs.writeFileSync(path.join(dir, 'stacks.txt'), 'platform-prod\napps-prod\n\n');
    fs.writeFileSync(path.join(dir, 'environments.json'), JSON.stringify({ environments: ENVIRONMENTS, stages: [] }));
    let out = '';
    const args = ['select', '--stacks', `${dir}/stacks.txt`, '--environments', `${dir}/environments.json`, '--cdktf-out', `${dir}/cdktf.out`];
    expect(runPullRequestPlans([...args, '--out', `${dir}/plans`], (t) => (out += t))).toBe(0);
    const plans = [{ environment: 'prod', runner: 'photo-view-prod', stacks: 'apps-prod platform-prod' }];
    expect(out).toBe(`plans=${JSON.stringify(plans)}\n`);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'plans', 'plans.json'), 'utf8'))).toEqual(plans);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'plans', 'not-planned.json'), 'utf8'))).toHaveLength(4);
    expect(runPullRequestPlans(['select', '--all', '--stacks', 'x'], () => undefined)).toBe(2);
    expect(runPullRequestPlans(['plan'], () => undefined)).toBe(2);
    expect(runPullRequestPlans(['select', '--help'], () => undefined)).toBe(0);
  });

  it('complete gives a planned stack without output a failed record, and the comment says why and lists the rest', () => {
    const dir = fs.mkdtempSync(path.join(TMP, 'complete-'));
    const plans = path.join(dir, 'plans.json');
    fs.writeFileSync(plans, JSON.stringify([{ environment: 'dev', runner: 'ubuntu-latest', stacks: 'apps-dev platform-dev' }]));
    const diffs = path.join(dir, 'diffs');
    fs.mkdirSync(diffs);
    fs.writeFileSync(path.join(diffs, 'platform-dev.txt'), 'No changes. Your infrastructure matches the configuration.\n');
    fs.writeFileSync(path.join(diffs, 'platform-dev.exitcode'), '0\n');
    expect(runPullRequestPlans(['complete', '--plans', plans, '--diffs', diffs], () => undefined)).toBe(0);
    expect(fs.readFileSync(path.join(diffs, 'apps-dev.exitcode'), 'utf8')).toBe('1\n');
    expect(fs.readFileSync(path.join(diffs, 'apps-dev.txt'), 'utf8')).toContain('GitHub environment plan-dev lacks the variable AZURE_CLIENT_ID');
    expect(fs.readFileSync(path.join(diffs, 'platform-dev.exitcode'), 'utf8')).toBe('0\n');

    // What pr-review's comment-data job then builds and pr-review-comment renders.
    const notPlanned = path.join(dir, 'not-planned.json');
    fs.writeFileSync(
      notPlanned,
      JSON.stringify(selectPlans({ all: ALL, changed: ['apps-dev', 'platform-dev', 'platform-staging'], environments: ENVIRONMENTS }).notPlanned),
    );
    const { data } = collectReview({ cdktfOut: path.join(dir, 'none'), dist: path.join(dir, 'none'), diffs, notPlanned });
    expect(schemaError(data)).toBeUndefined();
    const comment = renderReview(data);
    expect(comment).toContain('**Could not be planned** (exit code 1)');
    expect(comment).toContain('Not planned: 1 stack changed, but its environment');
    expect(comment).toContain('`platform-staging`');
    expect(comment).toMatch(/Not planned: 3 stacks unchanged by this pull request: `apps-prod`, `apps-staging`, `platform-prod`\./);
  });
});

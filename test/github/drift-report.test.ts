import { checkRecord, driftIssueTitle, driftReport } from '../../.github/scripts/drift-report';
import { GITHUB_COMMENT_LIMIT } from '../../.github/scripts/comment';
import type { PlanRecord } from '../../.github/scripts/reviewed-plan';

const rec = (stack: string, status: PlanRecord['status'], change = 0): PlanRecord => ({ stack, status, add: 0, change, destroy: 0 });

describe('drift report', () => {
  it('reports drift with the stacks that differ and their plans', () => {
    const { status, body } = driftReport(
      [
        { record: rec('apps-dev', 'no-changes'), plan: 'No changes.' },
        { record: rec('platform-dev', 'changes', 1), plan: '# azurerm_key_vault.KeyVault will be updated in-place' },
      ],
      'dev',
      'https://example.com/run/1',
    );
    expect(status).toBe('drift');
    expect(body).toContain('| `platform-dev` | **0 to add, 1 to change, 0 to destroy** |');
    expect(body).toContain('| `apps-dev` | no changes |');
    expect(body).toContain('<details><summary><code>platform-dev</code> plan</summary>');
    expect(body).toContain('azurerm_key_vault.KeyVault will be updated in-place');
    expect(driftIssueTitle('dev')).toBe('Drift detected: dev');
  });

  it('is clean when every stack plans without changes', () => {
    expect(driftReport([{ record: rec('platform-dev', 'no-changes'), plan: '' }], 'dev', 'run').status).toBe('clean');
  });

  it('is failed, not clean, when a stack could not be planned', () => {
    expect(
      driftReport(
        [
          { record: rec('platform-dev', 'no-changes'), plan: '' },
          { record: rec('apps-dev', 'failed'), plan: '' },
        ],
        'dev',
        'run',
      ).status,
    ).toBe('failed');
  });

  it('fits a huge plan into one issue body', () => {
    const { body } = driftReport([{ record: rec('platform-prod', 'changes', 3), plan: 'x'.repeat(200_000) }], 'prod', 'run');
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(body).toContain('(cut; the full plan is in the run');
  });

  it('keeps a plan value from Azure inside its code block: a fence longer than any backtick run in it', () => {
    const plan = '~ tags = { "note" = "```" }\n```\n</details>\n# @org/team [link](https://example.com)';
    const { body } = driftReport([{ record: rec('platform-dev', 'changes', 1), plan }], 'dev', 'run');
    expect(body).toContain('````\n~ tags = { "note" = "```" }\n```\n</details>\n# @org/team [link](https://example.com)\n````');
  });

  it('takes only well-formed plan records: stack names and counts as reviewed-plan.ts writes them', () => {
    expect(checkRecord({ stack: 'platform-dev', status: 'changes', add: 1, change: 0, destroy: 2, hash: 'h' })).toEqual({
      ...rec('platform-dev', 'changes'),
      add: 1,
      destroy: 2,
    });
    for (const bad of [
      null,
      { ...rec('platform-dev', 'changes'), stack: '`x` | <b>' },
      { ...rec('platform-dev', 'changes'), status: 'maybe' },
      { ...rec('platform-dev', 'changes'), add: '1 **bold**' },
      { ...rec('platform-dev', 'changes'), change: -1 },
    ])
      expect(checkRecord(bad)).toBeUndefined();
  });
});

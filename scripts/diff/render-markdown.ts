import { costHeadline, delta, lineRange } from './cost';
import { code, cutMarkdown, text } from './markdown-escape';
import type { Change, DiffReport, Level } from './model';
import { countActions, countRisks, describeEffect, sideLabel } from './summary';
import { formatValue } from './values';

/** GitHub rejects comments longer than this (the same limit .github/scripts/comment.ts uses). */
export const GITHUB_COMMENT_LIMIT = 65536;

const ICON: Record<Level, string> = { high: ':red_circle:', medium: ':orange_circle:', low: ':white_circle:' };

/** A value in a table cell: inline code that a `|` in it cannot split. */
const cellCode = (value: string) => code(value, { cell: true });

function changeRows(c: Change): string[] {
  const title = `${c.from ? `${cellCode(c.from)} → ` : ''}${cellCode(c.address)}${c.name && !c.address.endsWith(c.name) ? ` (${text(c.name)})` : ''}`;
  const action = c.level === 'low' ? `**${text(c.action)}**` : `${ICON[c.level]} **${text(c.action)}**`;
  if (c.action === 'create' || c.action === 'delete' || c.attributes.length === 0) {
    const what = c.action === 'create' ? `${c.attributes.length} arguments set` : c.action === 'delete' ? 'removed' : (c.notes ?? []).join('; ');
    return [`| ${title} | ${action} | ${text(what)} | | | |`];
  }
  return c.attributes.map(
    (a, i) =>
      `| ${i === 0 ? title : ''} | ${i === 0 ? action : ''} | ${cellCode(a.path)} | ${cellCode(formatValue(a.old, 80))} | ${cellCode(formatValue(a.new, 80))} | ${a.effect === 'in-place' ? text(describeEffect(a)) : `**${text(a.effect)}**`} |`,
  );
}

function table(changes: ReadonlyArray<Change>): string[] {
  return ['| Resource | Action | Argument | Old | New | Effect |', '| --- | --- | --- | --- | --- | --- |', ...changes.flatMap(changeRows)];
}

function environmentDetails(report: DiffReport, env: DiffReport['environments'][number]): string {
  const changes = report.changes.filter((c) => c.environment === env.name);
  const parts = [`<details><summary><b>${text(env.name)}</b>: ${changes.length} ${changes.length === 1 ? 'change' : 'changes'}</summary>`, ''];
  for (const stack of env.stacks) {
    const own = changes.filter((c) => c.stack === stack);
    if (own.length) parts.push(`#### ${code(stack)}`, '', ...table(own), '');
  }
  const objects = changes.filter((c) => c.layer === 'kubernetes');
  if (objects.length) parts.push('#### Kubernetes objects', '', ...table(objects), '');
  const notes = [
    ...new Set(
      changes.flatMap((c) =>
        c.attributes
          .filter((a) => a.effect !== 'in-place' && c.layer === 'terraform')
          .map((a) => `${code(a.path)} (${text(a.effect)}): ${text(a.basis)}`),
      ),
    ),
  ];
  if (notes.length) parts.push('Why:', '', ...notes.map((n) => `- ${n}`), '');
  parts.push('</details>');
  return parts.join('\n');
}

/**
 * The diff for a pull-request comment: the risk list, a summary table per environment, then each
 * environment's details folded. When longer than `limit`, the longest environments' details are cut
 * first (with a note of what was cut), then the risk list is shortened; the summary table always shows.
 */
export function renderMarkdown(report: DiffReport, limit = GITHUB_COMMENT_LIMIT): string {
  const heading = `### Offline diff: ${code(sideLabel(report.base))} → ${code(sideLabel(report.head))}`;
  const riskLines = report.risks.map((r) => `- ${ICON[r.level]} **${text(r.environment)}**${r.stack ? ` ${code(r.stack)}` : ''}: ${text(r.message)}`);
  const summary = [
    '| Environment | Status | Terraform | Kubernetes | Risks |',
    '| --- | --- | --- | --- | --- |',
    ...report.environments.map((e) => {
      const changes = report.changes.filter((c) => c.environment === e.name);
      return `| **${text(e.name)}** | ${text(e.status)} | ${countActions(changes, 'terraform')} | ${countActions(changes, 'kubernetes')} | ${countRisks(report, e.name)} |`;
    }),
  ];
  const changed = report.environments.filter((e) => report.changes.some((c) => c.environment === e.name));
  const details = changed.map((e) => environmentDetails(report, e));
  let shownRisks = riskLines.length;
  let briefCost = false;
  const render = () =>
    [
      heading,
      '',
      '**Risks**',
      '',
      ...(riskLines.length === 0
        ? [
            'No risks found: no stateful resource replaced or destroyed, no node pool rotated, no exposure, identity, capacity, version or traffic change.',
          ]
        : riskLines.slice(0, shownRisks)),
      ...(shownRisks < riskLines.length ? [`- … and ${riskLines.length - shownRisks} more (cut to fit the comment; see the JSON artifact)`] : []),
      '',
      ...policySection(report),
      ...costSection(report, briefCost),
      ...summary,
      '',
      ...details,
      '',
      'Predicted offline from the synthesized Terraform JSON and manifests; replacements per the azurerm 4.55.0 docs (`scripts/diff/data/`).',
    ].join('\n');

  let markdown = render();
  while (markdown.length > limit) {
    const longest = details.reduce((best, d, i) => (d.length > details[best].length ? i : best), 0);
    const env = changed[longest];
    const note = `<details><summary><b>${text(env.name)}</b>: details cut to fit the comment</summary>\n\nRun \`npm run diff\` locally, or see the \`--format json\` output in the workflow artifact.\n</details>`;
    if (details[longest] && details[longest].length > note.length) {
      details[longest] = note;
    } else if (!briefCost) {
      briefCost = true;
    } else if (shownRisks > 5) {
      shownRisks = Math.max(5, shownRisks - Math.ceil((markdown.length - limit) / 80));
    } else {
      break;
    }
    markdown = render();
  }
  return cutMarkdown(markdown, limit, `… (cut at ${limit} characters)`);
}

/** Guardrail findings the head adds: errors block `npm run synth` unless waived, so reviewers see them first. */
function policySection(report: DiffReport): string[] {
  if (!report.policy) return [];
  const { newFindings, note } = report.policy;
  const lines = newFindings.map(
    (f) =>
      `- ${f.severity === 'error' && !f.waived ? '🔴' : '🟡'} ${code(f.ruleId)} **${text(f.environment ?? '-')}** ${code(f.object)}: ${text(f.message)}${f.waived ? ' (waived)' : ''}`,
  );
  return [
    '**New policy findings** (`npm run validate`)',
    '',
    ...(lines.length === 0 ? ['None: the change adds no guardrail finding.'] : lines),
    ...(note ? ['', `_${text(note)}_`] : []),
    '',
  ];
}

/** Rows of the cost table and unpriced items shown; the rest are in the JSON. */
const COST_ROWS = 100;

/**
 * The monthly cost: each environment's estimate before → after with the change of min and max, then the
 * lines that changed, then what is unpriced (never counted as 0), folded. `brief`: the estimates only.
 */
export function costSection(report: DiffReport, brief = false): string[] {
  const costed = report.environments.filter((e) => e.cost !== undefined);
  if (costed.length === 0) return report.costError === undefined ? [] : ['**Monthly cost**', '', `Not computed: ${text(report.costError)}`, ''];
  const { currency, pricesAsOf } = costed[0].cost!;
  const rows = costed.flatMap((e) =>
    e.cost!.lines.map(
      (l) =>
        `| **${text(e.name)}** | ${text(l.description)} | ${lineRange(l.before)} | ${lineRange(l.after)} | ${delta(l.before, l.after).slice(1, -1)} |`,
    ),
  );
  const unpriced = costed.flatMap((e) =>
    e.cost!.unpriced.map((u) => `- **${text(e.name)}** ${text(u.what)}: ${text(u.why)}${u.side === 'both' ? '' : ` (${u.side} the change only)`}`),
  );
  const more = (n: number) => (n > COST_ROWS ? [`… and ${n - COST_ROWS} more (see the JSON: \`npm run diff -- --format json\`)`] : []);
  const table = rows.length
    ? ['| Environment | Line | Before | After | Change |', '| --- | --- | --- | --- | --- |', ...rows.slice(0, COST_ROWS), ...more(rows.length), '']
    : [];
  const folded = unpriced.length
    ? [
        `<details><summary>Unpriced, not counted in the totals: ${unpriced.length}</summary>`,
        '',
        ...unpriced.slice(0, COST_ROWS),
        ...more(unpriced.length),
        '',
        '</details>',
        '',
      ]
    : [];
  const cut = brief && (table.length > 0 || folded.length > 0);
  return [
    `**Monthly cost** (estimate in ${text(currency)} at the prices of ${text(pricesAsOf)}, docs/cost.md)`,
    '',
    ...costed.map((e) => `- **${text(e.name)}**: ${text(costHeadline(e.cost!))}`),
    '',
    ...(cut
      ? ['The changed lines and the unpriced items are cut to fit the comment: see `npm run diff -- --format json`.', '']
      : [...table, ...folded]),
  ];
}

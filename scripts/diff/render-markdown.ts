import type { Change, DiffReport, Level } from './model';
import { countActions, countRisks, describeEffect, sideLabel } from './summary';
import { formatValue } from './values';

/** GitHub rejects comments longer than this (the same limit .github/scripts/comment.ts uses). */
export const GITHUB_COMMENT_LIMIT = 65536;

const ICON: Record<Level, string> = { high: ':red_circle:', medium: ':orange_circle:', low: ':white_circle:' };

/** Text safe inside a table cell: no pipes, no line breaks, no HTML. */
const cell = (text: string) =>
  text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
const code = (text: string) => (text.includes('`') ? cell(text) : `\`${cell(text)}\``);

function changeRows(c: Change): string[] {
  const title = `${c.from ? `${code(c.from)} → ` : ''}${code(c.address)}${c.name && !c.address.endsWith(c.name) ? ` (${cell(c.name)})` : ''}`;
  const action = c.level === 'low' ? `**${c.action}**` : `${ICON[c.level]} **${c.action}**`;
  if (c.action === 'create' || c.action === 'delete' || c.attributes.length === 0) {
    const what = c.action === 'create' ? `${c.attributes.length} arguments set` : c.action === 'delete' ? 'removed' : (c.notes ?? []).join('; ');
    return [`| ${title} | ${action} | ${cell(what)} | | | |`];
  }
  return c.attributes.map(
    (a, i) =>
      `| ${i === 0 ? title : ''} | ${i === 0 ? action : ''} | ${code(a.path)} | ${code(formatValue(a.old, 80))} | ${code(formatValue(a.new, 80))} | ${a.effect === 'in-place' ? describeEffect(a) : `**${a.effect}**`} |`,
  );
}

function table(changes: ReadonlyArray<Change>): string[] {
  return ['| Resource | Action | Argument | Old | New | Effect |', '| --- | --- | --- | --- | --- | --- |', ...changes.flatMap(changeRows)];
}

function environmentDetails(report: DiffReport, env: DiffReport['environments'][number]): string {
  const changes = report.changes.filter((c) => c.environment === env.name);
  const parts = [`<details><summary><b>${env.name}</b>: ${changes.length} ${changes.length === 1 ? 'change' : 'changes'}</summary>`, ''];
  for (const stack of env.stacks) {
    const own = changes.filter((c) => c.stack === stack);
    if (own.length) parts.push(`#### \`${stack}\``, '', ...table(own), '');
  }
  const objects = changes.filter((c) => c.layer === 'kubernetes');
  if (objects.length) parts.push('#### Kubernetes objects', '', ...table(objects), '');
  const notes = [
    ...new Set(
      changes.flatMap((c) =>
        c.attributes.filter((a) => a.effect !== 'in-place' && c.layer === 'terraform').map((a) => `\`${a.path}\` (${a.effect}): ${a.basis}`),
      ),
    ),
  ];
  if (notes.length) parts.push('Why:', '', ...notes.map((n) => `- ${cell(n)}`), '');
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
  const riskLines = report.risks.map((r) => `- ${ICON[r.level]} **${r.environment}**${r.stack ? ` \`${r.stack}\`` : ''}: ${cell(r.message)}`);
  const summary = [
    '| Environment | Status | Terraform | Kubernetes | Risks |',
    '| --- | --- | --- | --- | --- |',
    ...report.environments.map((e) => {
      const changes = report.changes.filter((c) => c.environment === e.name);
      return `| **${e.name}** | ${e.status} | ${countActions(changes, 'terraform')} | ${countActions(changes, 'kubernetes')} | ${countRisks(report, e.name)} |`;
    }),
  ];
  const changed = report.environments.filter((e) => report.changes.some((c) => c.environment === e.name));
  const details = changed.map((e) => environmentDetails(report, e));
  let shownRisks = riskLines.length;
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
      ...summary,
      '',
      ...details,
      '',
      'Predicted offline from the synthesized Terraform JSON and manifests; replacements per the azurerm 4.55.0 docs (`scripts/diff/data/`).',
    ].join('\n');

  let text = render();
  while (text.length > limit) {
    const longest = details.reduce((best, d, i) => (d.length > details[best].length ? i : best), 0);
    const env = changed[longest];
    const note = `<details><summary><b>${env.name}</b>: details cut to fit the comment</summary>\n\nRun \`npm run diff\` locally, or see the \`--format json\` output in the workflow artifact.\n</details>`;
    if (details[longest] && details[longest].length > note.length) {
      details[longest] = note;
    } else if (shownRisks > 5) {
      shownRisks = Math.max(5, shownRisks - Math.ceil((text.length - limit) / 80));
    } else {
      break;
    }
    text = render();
  }
  return text.length > limit ? `${text.slice(0, limit - 40)}\n\n… (cut at ${limit} characters)` : text;
}

/** Guardrail findings the head adds: errors block `npm run synth` unless waived, so reviewers see them first. */
function policySection(report: DiffReport): string[] {
  if (!report.policy) return [];
  const { newFindings, note } = report.policy;
  const lines = newFindings.map(
    (f) =>
      `- ${f.severity === 'error' && !f.waived ? '🔴' : '🟡'} \`${f.ruleId}\` **${f.environment ?? '-'}** ${code(f.object)}: ${cell(f.message)}${f.waived ? ' (waived)' : ''}`,
  );
  return [
    '**New policy findings** (`npm run validate`)',
    '',
    ...(lines.length === 0 ? ['None: the change adds no guardrail finding.'] : lines),
    ...(note ? ['', `_${cell(note)}_`] : []),
    '',
  ];
}

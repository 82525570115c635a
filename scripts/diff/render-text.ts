import { costChanged, costHeadline, delta, lineRange } from './cost';
import type { Action, Change, DiffReport, Level } from './model';
import { countActions, describeEffect, sideLabel } from './summary';
import { formatValue } from './values';

const SYMBOL: Record<Action, string> = { create: '+', delete: '-', update: '~', replace: '-/+', rotate: '~~', move: '->' };
const COLOUR: Record<Action, number> = { create: 32, delete: 31, update: 33, replace: 31, rotate: 35, move: 36 };
const LEVEL_COLOUR: Record<Level, number> = { high: 31, medium: 33, low: 2 };

/** The diff for a terminal; ANSI colours only when `colour` (stdout is a TTY and NO_COLOR is unset). */
export function renderText(report: DiffReport, colour: boolean): string {
  const paint = (code: number, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const bold = (text: string) => paint(1, text);
  const lines = [`${bold('npm run diff')}: ${sideLabel(report.base)} → ${sideLabel(report.head)}`, ''];

  lines.push(bold('Risks'));
  if (report.risks.length === 0) lines.push('  none found');
  for (const r of report.risks) {
    lines.push(`  ${paint(LEVEL_COLOUR[r.level], r.level.toUpperCase().padEnd(6))} ${r.environment}${r.stack ? ` ${r.stack}` : ''}: ${r.message}`);
  }
  lines.push('');
  lines.push(...policyLines(report, bold));
  lines.push(...costLines(report, bold));

  const change = (c: Change) => {
    const head = `${paint(COLOUR[c.action], `${SYMBOL[c.action].padEnd(3)} ${c.action.padEnd(7)}`)} ${c.from ? `${c.from} -> ` : ''}${c.address}${c.name && !c.address.endsWith(c.name) ? ` (${c.name})` : ''}`;
    const attributes =
      c.action === 'create' || c.action === 'delete'
        ? [`      ${c.attributes.length} ${c.action === 'create' ? 'arguments set' : 'arguments removed'}`]
        : c.attributes.map((a) => {
            const effect = describeEffect(a);
            const marked = a.effect === 'in-place' ? paint(2, effect) : paint(a.effect === 'replace' || a.effect === 'immutable' ? 31 : 33, effect);
            const why = a.effect === 'in-place' ? '' : paint(2, `  (${a.basis})`);
            return `      ${a.path}: ${formatValue(a.old)} → ${formatValue(a.new)}  ${marked}${why}`;
          });
    return [`    ${head}`, ...attributes, ...(c.notes ?? []).map((n) => `      ${paint(2, n)}`)];
  };

  for (const env of report.environments) {
    const changes = report.changes.filter((c) => c.environment === env.name);
    lines.push(
      `${bold(env.name)} (${env.status})  terraform: ${countActions(changes, 'terraform')}; kubernetes: ${countActions(changes, 'kubernetes')}`,
    );
    for (const stack of env.stacks) {
      const own = changes.filter((c) => c.stack === stack);
      if (own.length) lines.push(`  ${stack}`, ...own.flatMap(change));
    }
    const objects = changes.filter((c) => c.layer === 'kubernetes');
    if (objects.length) lines.push('  kubernetes objects', ...objects.flatMap(change));
    lines.push('');
  }
  return lines.join('\n');
}

/** The guardrail findings the head adds, one line each (waived ones say so). */
export function policyLines(report: DiffReport, bold: (text: string) => string = (t) => t): string[] {
  if (!report.policy) return [];
  const { newFindings, note } = report.policy;
  const lines = [bold('New policy findings (npm run validate)')];
  if (newFindings.length === 0) lines.push('  none');
  for (const f of newFindings) {
    lines.push(`  ${f.severity.toUpperCase().padEnd(7)} ${f.ruleId} ${f.environment ?? '-'} ${f.object}: ${f.message}${f.waived ? ' (waived)' : ''}`);
  }
  if (note) lines.push(`  note: ${note}`);
  return [...lines, ''];
}

/** The monthly cost per environment, before → after; below a changed one its changed lines and what is unpriced (never counted as 0). */
export function costLines(report: DiffReport, bold: (text: string) => string = (t) => t): string[] {
  const costed = report.environments.filter((e) => e.cost !== undefined);
  if (costed.length === 0) return report.costError === undefined ? [] : [bold('Monthly cost'), `  not computed: ${report.costError}`, ''];
  const { currency, pricesAsOf } = costed[0].cost!;
  const lines = [bold(`Monthly cost (estimate in ${currency} at the prices of ${pricesAsOf}, docs/cost.md)`)];
  for (const e of costed) {
    const cost = e.cost!;
    lines.push(`  ${e.name}: ${costHeadline(cost)}`);
    if (!costChanged(cost)) continue;
    for (const l of cost.lines) lines.push(`      ${l.description}: ${lineRange(l.before)} → ${lineRange(l.after)} ${delta(l.before, l.after)}`);
    for (const u of cost.unpriced)
      lines.push(`      unpriced, not counted: ${u.what}: ${u.why}${u.side === 'both' ? '' : ` (${u.side} the change only)`}`);
  }
  return [...lines, ''];
}

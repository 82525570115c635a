import { printable } from '../../config/printable';
import type { Finding } from '../model';
import type { Report } from '../engine';
import { RULES } from '../rules';
import { WAIVER_RULES } from '../waivers';

/** Findings for people: grouped by environment, then object; colour when the terminal has it. */
export function renderHuman(report: Report, options: { colour: boolean; elapsedMs?: number }): string {
  const paint = (code: number) => (text: string) => (options.colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const red = paint(31),
    yellow = paint(33),
    dim = paint(2),
    bold = paint(1);
  const titles = new Map<string, string>([
    ...RULES.map((r): [string, string] => [r.id, r.title]),
    ...Object.entries(WAIVER_RULES).map(([id, r]): [string, string] => [id, r.title]),
  ]);

  const lines: string[] = [];
  for (const environment of new Set([...report.environments, ...report.findings.map((f) => f.environment)])) {
    const own = report.findings.filter((f) => f.environment === environment);
    lines.push(
      bold(environment === undefined ? 'files of no environment' : `environment ${printable(environment)}`) +
        dim(own.length === 0 ? '  no findings' : ''),
    );
    const byObject = new Map<string, Finding[]>();
    for (const f of own) byObject.set(f.objectId, [...(byObject.get(f.objectId) ?? []), f]);
    for (const [objectId, findings] of byObject) {
      lines.push(`  ${printable(objectId)}  ${dim(printable(`${findings[0].source.file}:${findings[0].source.line}`))}`);
      for (const f of findings) {
        const label = f.waiver ? dim('waived ') : f.severity === 'error' ? red('error  ') : yellow('warning');
        lines.push(`    ${label} ${f.ruleId}  ${titles.get(f.ruleId) ?? ''}: ${printable(f.message)}`);
        // Waivers, object names and messages come from environment files: printable keeps them on their line.
        if (f.waiver) lines.push(dim(printable(`             waived until ${f.waiver.expires} by ${f.waiver.owner}: ${f.waiver.reason}`)));
      }
    }
  }
  const count = (test: (f: Finding) => boolean) => report.findings.filter(test).length;
  const errors = count((f) => !f.waiver && f.severity === 'error');
  const warnings = count((f) => !f.waiver && f.severity === 'warning');
  const summary =
    `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${count((f) => Boolean(f.waiver))} waived` +
    ` (${RULES.length} rules, ${report.files.length} files${report.today ? `, waivers and AKS support judged on ${report.today}` : ''}${options.elapsedMs !== undefined ? `, ${options.elapsedMs} ms` : ''})`;
  lines.push('', errors > 0 ? red(summary) : summary);
  return lines.join('\n');
}

import { ACTIONS, type AttributeChange, type Change, type DiffReport, type Layer, type Level } from './model';

/** `1 replace, 2 update` for the changes of one layer; `–` when none. */
export function countActions(changes: ReadonlyArray<Change>, layer: Layer): string {
  const of = changes.filter((c) => c.layer === layer);
  const parts = ACTIONS.map((a) => [a, of.filter((c) => c.action === a).length] as const).filter(([, n]) => n > 0);
  return parts.length ? parts.map(([a, n]) => `${n} ${a}`).join(', ') : '–';
}

/** `1 high, 2 medium` for the risks of one environment. */
export function countRisks(report: DiffReport, environment: string): string {
  const levels: Level[] = ['high', 'medium', 'low'];
  const parts = levels
    .map((l) => [l, report.risks.filter((r) => r.environment === environment && r.level === l).length] as const)
    .filter(([, n]) => n > 0);
  return parts.length ? parts.map(([l, n]) => `${n} ${l}`).join(', ') : 'none';
}

/** How the effect of a changed argument is shown: what happens, and why we think so when it matters. */
export function describeEffect(a: AttributeChange): string {
  if (a.effect === 'in-place') return a.basis.includes('assumed') ? 'in place (assumed: not listed in the provider docs)' : 'in place';
  return a.effect;
}

export const sideLabel = (side: DiffReport['base']) =>
  !side.commit ? side.ref : side.ref === side.commit ? side.commit.slice(0, 7) : `${side.ref} (${side.commit.slice(0, 7)})`;

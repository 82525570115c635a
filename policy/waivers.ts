import type { Finding, SourceLocation, Waiver } from './model';

/*
 * Waivers: an accepted finding is a decision with a reason, an owner and an end date. An expired waiver
 * fails (WAIVER001); one that matches nothing warns (WAIVER002), so stale decisions do not pile up; one
 * that names no rule fails (WAIVER003).
 *
 * "Today" is an input: `npm run validate` passes the clock's date (or --today), so its verdict on expiry
 * changes with time on purpose. Synth passes none: whether synth writes output stays a function of the
 * commit alone, and expiry is judged by validate in CI.
 */

/** Rules about waivers themselves, reported like any other. */
export const WAIVER_RULES = {
  WAIVER001: { title: 'Waiver expired', severity: 'error' },
  WAIVER002: { title: 'Waiver matches no finding', severity: 'warning' },
  WAIVER003: { title: 'Waiver names an unknown rule', severity: 'error' },
} as const;

/** A waiver with where it is written (the environment file). */
export interface WaiverEntry extends Waiver {
  readonly environment: string;
  readonly source: SourceLocation;
}

const globToRegExp = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

/** Whether a waiver accepts a finding: same environment, same rule, object matching (with `*`). */
export const waiverMatches = (waiver: WaiverEntry, finding: Pick<Finding, 'ruleId' | 'environment' | 'objectId'>) =>
  waiver.environment === finding.environment && waiver.rule === finding.ruleId && globToRegExp(waiver.object).test(finding.objectId);

/** Whether a waiver has expired on `today` (YYYY-MM-DD): `expires` is the last day it holds. */
export const isExpired = (waiver: Waiver, today: string) => waiver.expires < today;

/** Today's date in UTC as YYYY-MM-DD. */
export const utcDate = (date: Date) => date.toISOString().slice(0, 10);

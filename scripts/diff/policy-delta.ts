import * as path from 'node:path';
import { newFindings, validatePaths, type Finding } from '../../policy';
import type { PolicyDelta } from './model';

/** One side of the comparison: its synthesized output and the environment files (with their waivers) it was made from. */
export interface PolicySide {
  /** Folder holding cdktf.out/ and dist/. */
  readonly out: string;
  /** The side's environments/ folder. */
  readonly environmentsDir: string;
}

const findings = (side: PolicySide): ReadonlyArray<Finding> =>
  validatePaths([path.join(side.out, 'cdktf.out'), path.join(side.out, 'dist')], {
    environmentsDir: side.environmentsDir,
    // Each side's synth has already said what it warns about; the diff prints only the diff.
    warn: () => undefined,
  }).findings;

/**
 * Guardrail findings (policy/, the rules of `npm run validate`) that the head has and the base has not,
 * both judged by the head's rules so that only the change shows. Matching is by fingerprint (rule,
 * environment, object, message), so a finding that merely moved is not new. Expiry of waivers is not
 * judged here, as in synth: the diff depends on the two commits only.
 */
export function policyDelta(base: PolicySide, head: PolicySide): PolicyDelta {
  let before: ReadonlyArray<Finding>;
  try {
    before = findings(base);
  } catch (error) {
    // e.g. a base whose environment files the head's schema no longer reads: then every head finding is listed.
    before = [];
    const note = `the base's findings could not be computed (${(error as Error).message.split('\n')[0]}); every finding of the head is listed`;
    return { newFindings: newFindings(findings(head), before).map(summary), note };
  }
  return { newFindings: newFindings(findings(head), before).map(summary) };
}

const summary = (f: Finding): PolicyDelta['newFindings'][number] => ({
  ruleId: f.ruleId,
  severity: f.severity,
  environment: f.environment,
  object: f.objectId,
  message: f.message,
  waived: f.waiver !== undefined,
});

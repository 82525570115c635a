import * as fs from 'node:fs';
import { InputError } from '../config/load';
import type { Finding } from './model';
import type { JsonReport } from './report/json';

/*
 * New findings: what the head has that the base had not, by fingerprint (rule, environment, object and
 * message; not the line, so moving code does not make a finding new). The PR review diff calls this
 * with two `npm run validate -- --format json` reports.
 */
export function newFindings(head: ReadonlyArray<Finding>, base: ReadonlyArray<Pick<Finding, 'fingerprint'>>): Finding[] {
  const before = new Set(base.map((f) => f.fingerprint));
  return head.filter((f) => !before.has(f.fingerprint));
}

/** Reads a `--format json` report (the base side of a comparison). */
export function readJsonReport(file: string): JsonReport {
  let report: JsonReport;
  try {
    report = JSON.parse(fs.readFileSync(file, 'utf8')) as JsonReport;
  } catch (error) {
    throw new InputError(
      `--baseline ${file}: cannot read a JSON report: ${(error as Error).message}; write one with npm run validate -- --format json --output ${file}`,
    );
  }
  if (report?.version !== 1 || !Array.isArray(report.findings)) {
    throw new InputError(
      `--baseline ${file}: not a validate JSON report (version 1 with findings); write one with npm run validate -- --format json --output ${file}`,
    );
  }
  return report;
}

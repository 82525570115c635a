import type { Finding } from '../model';
import type { Report } from '../engine';

/** The `--format json` document; `npm run validate -- --baseline` reads it back. */
export interface JsonReport {
  readonly version: 1;
  readonly today?: string;
  readonly summary: { readonly errors: number; readonly warnings: number; readonly waived: number };
  readonly findings: ReadonlyArray<Finding & { readonly new?: boolean }>;
}

export function toJsonReport(report: Report, newFingerprints?: ReadonlySet<string>): JsonReport {
  const active = report.findings.filter((f) => !f.waiver);
  return {
    version: 1,
    today: report.today,
    summary: {
      errors: active.filter((f) => f.severity === 'error').length,
      warnings: active.filter((f) => f.severity === 'warning').length,
      waived: report.findings.length - active.length,
    },
    findings: report.findings.map((f) => (newFingerprints ? { ...f, new: newFingerprints.has(f.fingerprint) } : f)),
  };
}

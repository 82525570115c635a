import * as path from 'node:path';
import type * as Sarif from 'sarif';
import type { Finding, Rule, Severity, SourceLocation } from '../model';
import type { Report } from '../engine';
import { printable } from '../../config/printable';
import { RULES } from '../rules';
import { WAIVER_RULES } from '../waivers';

/*
 * SARIF 2.1.0 for GitHub code scanning. Findings of a configured environment are located in its
 * environment file (that is where the decision is made, and generated output is not in the repository);
 * the object's place in the generated file is a related location. Waived findings carry an accepted
 * suppression with the waiver's reason, owner and expiry.
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 * @see https://docs.github.com/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */
export const TOOL_NAME = 'aks-environments-policy';
const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** GitHub ranks security findings by this score: errors high, warnings medium. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '7.5', warning: '5.0' };
const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning' };

function artifact(file: string): Sarif.ArtifactLocation {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative.startsWith('..') || path.isAbsolute(relative)
    ? { uri: `file://${path.resolve(file).split(path.sep).join('/')}` }
    : { uri: relative.split(path.sep).join('/'), uriBaseId: '%SRCROOT%' };
}

/**
 * Untrusted text (object names, messages and waivers from environment files) as SARIF plain text: printable,
 * with the characters SARIF gives a meaning escaped, so `[text](uri)` is never an embedded link and `{0}`
 * never a placeholder (SARIF 2.1.0, 3.11.5 and 3.11.6).
 */
const sarifText = (text: string) =>
  printable(text)
    .replace(/[[\]]/g, (c) => `\\${c}`)
    .replace(/[{}]/g, (c) => c + c);

const location = (source: SourceLocation, message?: string): Sarif.Location => ({
  physicalLocation: { artifactLocation: artifact(source.file), region: { startLine: Math.max(1, source.line) } },
  ...(message ? { message: { text: message } } : {}),
});

function descriptor(rule: Pick<Rule, 'id' | 'title' | 'severity'> & Partial<Rule>): Sarif.ReportingDescriptor {
  const equivalents = Object.entries(rule.equivalents ?? {})
    .map(([tool, id]) => `${tool}: ${id}`)
    .join('; ');
  return {
    id: rule.id,
    name: rule.title
      .replace(/[^A-Za-z0-9]+/g, ' ')
      .trim()
      .split(' ')
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.why ?? rule.title },
    help: {
      text: `${rule.fix ?? ''}${equivalents ? `\nSame as ${equivalents}.` : ''}`,
      markdown: `**Fix:** ${rule.fix ?? ''}${equivalents ? `\n\nSame as ${equivalents}.` : ''}${rule.docs ? `\n\n[Documentation](${rule.docs})` : ''}`,
    },
    ...(rule.docs ? { helpUri: rule.docs } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ['security', rule.layer ?? 'waiver'], 'security-severity': SECURITY_SEVERITY[rule.severity] },
  };
}

export interface SarifOptions {
  /** Environment name -> its environment file. */
  readonly environmentFiles?: ReadonlyMap<string, string>;
  readonly version?: string;
  /** Where the rules are documented (docs/guardrails.md). */
  readonly informationUri?: string;
}

export function toSarif(report: Report, options: SarifOptions = {}): Sarif.Log {
  const descriptors = [
    ...RULES.map(descriptor),
    ...Object.entries(WAIVER_RULES).map(([id, r]) => descriptor({ id, title: r.title, severity: r.severity })),
  ];
  const index = new Map(descriptors.map((d, i) => [d.id, i]));
  const results = report.findings.map((f: Finding): Sarif.Result => {
    const environmentFile = f.environment !== undefined ? options.environmentFiles?.get(f.environment) : undefined;
    const inEnvironmentFile = environmentFile !== undefined && path.resolve(f.source.file) !== path.resolve(environmentFile);
    const primary = inEnvironmentFile ? location({ file: environmentFile, line: 1 }) : location(f.source);
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: `${f.environment ? `[${f.environment}] ` : ''}${sarifText(`${f.objectId}: ${f.message}`)}` },
      locations: [{ ...primary, logicalLocations: [{ fullyQualifiedName: printable(`${f.environment ?? '-'}/${f.objectId}`), kind: 'resource' }] }],
      ...(inEnvironmentFile ? { relatedLocations: [{ id: 0, ...location(f.source, `${sarifText(f.objectId)} in the synthesized output`) }] } : {}),
      partialFingerprints: { 'policyFinding/v1': f.fingerprint },
      ...(f.waiver
        ? {
            suppressions: [
              {
                kind: 'external',
                status: 'accepted',
                justification: printable(`${f.waiver.reason} (owner ${f.waiver.owner}, expires ${f.waiver.expires})`),
              },
            ],
          }
        : {}),
    };
  });
  return {
    version: '2.1.0',
    $schema: SCHEMA,
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            semanticVersion: options.version ?? '1.0.0',
            rules: descriptors,
          },
        },
        results,
      },
    ],
  };
}

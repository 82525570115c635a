import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ConfigError, parseEnvironment } from '../../config/load';
import { loadEnvironmentFacts } from '../../policy/environments';

/* Waivers as config: validated by the schema, located in the environment file for messages and code scanning. */
const ROOT = path.resolve(__dirname, '../..');
const devFile = path.join(ROOT, 'test/fixtures/environments/dev.yaml');
const dev = parse(fs.readFileSync(devFile, 'utf8'));
const withWaiver = (waiver: Record<string, unknown>) => ({
  ...dev,
  waivers: [
    {
      rule: 'K8S003',
      object: 'Deployment/photo-view/*',
      reason: 'one pod is enough for the demo cluster',
      owner: 'team',
      expires: '2027-01-31',
      ...waiver,
    },
  ],
});
const problems = (input: unknown) => {
  try {
    parseEnvironment('dev', input, 'environments/dev.yaml');
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
};

describe('waivers in the environment config', () => {
  it('accepts a waiver with rule, object, reason, owner and expiry date', () => {
    expect(problems(withWaiver({}))).toEqual([]);
    expect(parseEnvironment('dev', withWaiver({}), 'environments/dev.yaml').waivers[0]).toMatchObject({ rule: 'K8S003', expires: '2027-01-31' });
  });

  it('rejects a waiver without a real date, reason, owner or rule id', () => {
    expect(problems(withWaiver({ expires: 'next spring' }))).toEqual(['waivers.0.expires: must be a date YYYY-MM-DD']);
    expect(problems(withWaiver({ reason: 'because' }))).toEqual([
      'waivers.0.reason: must say why the finding is accepted and what ends it (at least 20 characters)',
    ]);
    expect(problems(withWaiver({ owner: '' }))).toEqual(['waivers.0.owner: must name who answers for the decision']);
    expect(problems(withWaiver({ rule: 'no-latest' }))).toEqual(['waivers.0.rule: must be a rule id like AKS001 or K8S003 (see docs/guardrails.md)']);
    expect(problems(withWaiver({ until: '2027-01-01' }))[0]).toContain("unknown key(s) 'until'");
  });

  it('locates each waiver at its line in the environment file', () => {
    const facts = loadEnvironmentFacts(path.join(ROOT, 'test/fixtures/environments'));
    const lines = fs.readFileSync(devFile, 'utf8').split('\n');
    const waivers = facts.find((f) => f.name === 'dev')?.waivers ?? [];
    expect(waivers.length).toBeGreaterThan(0);
    for (const w of waivers) expect(lines[w.source.line - 1]).toBe(`  - rule: ${w.rule}`);
  });
});

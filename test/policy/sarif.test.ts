import * as fs from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { validate } from '../../policy/engine';
import { toSarif } from '../../policy/report/sarif';
import { RULES } from '../../policy/rules';
import { goodKubernetes, goodTerraform, inputFiles, prodFactsWithWaivers } from './fixtures';

/*
 * SARIF validity: the log is checked against the OASIS SARIF 2.1.0 JSON schema (rtm.5, as shipped by
 * @microsoft/jest-sarif 1.0.0-beta.0, originally from the oasis-tcs/sarif-spec repository). The schema is
 * draft-04; ajv 8 reads it as draft-07 once the draft-04 `id` is renamed `$id` (no other draft-04-only
 * keyword is used in it).
 */
function sarifValidator() {
  const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  const { id, $schema, ...rest } = schema;
  expect($schema).toBe('http://json-schema.org/draft-04/schema#');
  // The schema's language pattern has a stray ']', which only non-Unicode regular expressions accept.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile({ $id: id, ...rest });
}

/** A report with an error, a warning, a waived finding and an unused waiver. */
function mixedReport() {
  const k8s = goodKubernetes();
  delete k8s.service.metadata.annotations; // NET004, waived
  const tf = goodTerraform();
  delete tf.resource.azurerm_container_registry.registry.retention_policy_in_days; // ACR003 warning
  tf.resource.azurerm_kubernetes_cluster.cluster.local_account_disabled = false; // AKS002 error
  const facts = prodFactsWithWaivers({ line: 12 }, { line: 17, rule: 'KV003', object: '*', reason: 'no longer needed, for the test' });
  return validate(inputFiles('prod', k8s, tf), { environments: [facts], today: '2026-11-23' });
}

describe('SARIF output', () => {
  const check = sarifValidator();

  it('is valid SARIF 2.1.0', () => {
    const log = toSarif(mixedReport(), { environmentFiles: new Map([['prod', 'environments/prod.yaml']]) });
    expect(check(log) ? [] : check.errors).toEqual([]);
    expect(log.version).toBe('2.1.0');
  });

  it('the schema check rejects a broken log', () => {
    const log = toSarif(mixedReport()) as unknown as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    log.runs[0].results[0].level = 'fatal';
    expect(check(log)).toBe(false);
  });

  it('describes every rule and reports each finding with level, fingerprint, location and suppression', () => {
    const log = toSarif(mixedReport(), { environmentFiles: new Map([['prod', 'environments/prod.yaml']]) });
    const run = log.runs[0];
    const rules = run.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual([...RULES.map((r) => r.id), 'WAIVER001', 'WAIVER002', 'WAIVER003']);
    expect(rules[0]).toMatchObject({
      helpUri: expect.stringMatching(/^https:/),
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '7.5' },
    });

    const results = run.results ?? [];
    const byRule = Object.fromEntries(results.map((r) => [r.ruleId, r]));
    expect(Object.keys(byRule).sort()).toEqual(['ACR003', 'AKS002', 'NET004', 'WAIVER002']);
    expect(byRule.AKS002).toMatchObject({
      level: 'error',
      message: { text: '[prod] azurerm_kubernetes_cluster.cluster: local_account_disabled is not true' },
      // The decision lives in the environment file; the generated object is a related location.
      locations: [{ physicalLocation: { artifactLocation: { uri: 'environments/prod.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } } }],
      relatedLocations: [{ physicalLocation: { artifactLocation: { uri: 'cdktf.out/stacks/platform-prod/cdk.tf.json' } } }],
      partialFingerprints: { 'policyFinding/v1': expect.stringMatching(/^[0-9a-f]{20}$/) },
    });
    expect(rules[byRule.AKS002.ruleIndex ?? -1].id).toBe('AKS002');
    expect(byRule.ACR003.level).toBe('warning');
    expect(byRule.NET004.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'public until the ingress exists (owner team-shop, expires 2026-12-31)' },
    ]);
    expect(byRule.AKS002.suppressions).toBeUndefined();
    expect(byRule.WAIVER002.locations?.[0].physicalLocation?.region?.startLine).toBe(17);
  });

  it('keeps text from environment files as plain text: no embedded link, no placeholder, no control character', () => {
    const k8s = goodKubernetes();
    delete k8s.service.metadata.annotations; // NET004, waived below
    const untrusted = { reason: 'public [until](http://evil) {0}', owner: 'team\u001b[2J\n::error file=x::forged' };
    const facts = prodFactsWithWaivers({ line: 12, ...untrusted }, { line: 17, object: 'Service/x/[y](http://evil){0}', ...untrusted });
    const log = toSarif(validate(inputFiles('prod', k8s, goodTerraform()), { environments: [facts], today: '2026-11-23' }));
    const strings: string[] = [];
    JSON.stringify(log.runs[0].results, (_, value) => (typeof value === 'string' ? (strings.push(value), value) : value));
    expect(check(log) ? [] : check.errors).toEqual([]);
    // oxlint-disable-next-line no-control-regex -- no string of the log may hold a control character
    expect(strings.filter((v) => /[\u0000-\u001f]/.test(v))).toEqual([]);
    const unused = (log.runs[0].results ?? []).find((r) => r.message.text?.includes('Service/x/'));
    expect(unused?.message.text).toContain('Service/x/\\[y\\](http://evil){{0}}');
    const suppression = (log.runs[0].results ?? []).find((r) => r.ruleId === 'NET004')?.suppressions?.[0];
    expect(suppression?.justification).toContain('owner team\\u001b[2J\\u000a::error file=x::forged');
  });
});

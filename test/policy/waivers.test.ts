import { failing, validate, type EnvironmentFacts } from '../../policy/engine';
import type { WaiverEntry } from '../../policy/waivers';
import { goodKubernetes, goodTerraform, inputFiles, PROD_FACTS } from './fixtures';

/** The fixture with a public load balancer (NET004) and the given waivers. */
/** `today: null` is synth's mode: no date, so expiry is not judged. */
function run(waivers: Array<Partial<WaiverEntry>>, today: string | null = '2026-11-23', environment = 'prod') {
  const k8s = goodKubernetes();
  delete k8s.service.metadata.annotations;
  const facts: EnvironmentFacts = {
    ...PROD_FACTS,
    name: environment,
    waivers: waivers.map((w, i) => ({
      rule: 'NET004',
      object: 'Service/shop/shop',
      reason: 'public until the ingress exists',
      owner: 'team-shop',
      expires: '2026-12-31',
      environment,
      source: { file: `environments/${environment}.yaml`, line: 40 + i },
      ...w,
    })),
  };
  const report = validate(inputFiles(environment, k8s, goodTerraform()), { environments: [facts], today: today ?? undefined });
  return {
    report,
    rules: report.findings.map((f) => [f.ruleId, f.severity, Boolean(f.waiver)]),
    failing: failing(report.findings).map((f) => f.ruleId),
  };
}

describe('waivers', () => {
  it('without a waiver, the finding fails', () => {
    expect(run([]).failing).toEqual(['NET004']);
  });

  it('a waiver for the rule and object accepts the finding until its expiry date (inclusive)', () => {
    expect(run([{}]).rules).toEqual([['NET004', 'error', true]]);
    expect(run([{}], '2026-12-31').failing).toEqual([]);
    const waived = run([{}]).report.findings[0];
    expect(waived.waiver).toEqual({
      rule: 'NET004',
      object: 'Service/shop/shop',
      reason: 'public until the ingress exists',
      owner: 'team-shop',
      expires: '2026-12-31',
    });
  });

  it('matches objects with * and only in its own environment', () => {
    expect(run([{ object: 'Service/shop/*' }]).failing).toEqual([]);
    expect(run([{ object: 'Service/other/*' }]).rules).toEqual([
      ['NET004', 'error', false],
      ['WAIVER002', 'warning', false],
    ]);
  });

  it('rejects an expired waiver: the finding fails again and the waiver itself is an error', () => {
    const { rules, failing: failed, report } = run([{}], '2027-01-01');
    expect(rules).toEqual([
      ['NET004', 'error', false],
      ['WAIVER001', 'error', false],
    ]);
    expect(failed).toEqual(['NET004', 'WAIVER001']);
    const expired = report.findings.find((f) => f.ruleId === 'WAIVER001');
    expect(expired).toMatchObject({
      source: { file: 'environments/prod.yaml', line: 40 },
      message: expect.stringContaining('expired on 2026-12-31'),
    });
  });

  it('synth judges no expiry (no date given), so its verdict is a function of the commit', () => {
    expect(run([{ expires: '2020-01-01' }], null).failing).toEqual([]);
  });

  it('warns about a waiver that matches nothing', () => {
    const { rules, failing: failed, report } = run([{}, { rule: 'AKS001', object: 'azurerm_kubernetes_cluster.*' }]);
    expect(rules).toEqual([
      ['NET004', 'error', true],
      ['WAIVER002', 'warning', false],
    ]);
    expect(failed).toEqual([]);
    expect(report.findings[1].message).toContain('waiver of AKS001 for azurerm_kubernetes_cluster.* matches no finding');
  });

  it('rejects a waiver of a rule that does not exist', () => {
    expect(run([{}, { rule: 'XYZ123' }]).failing).toEqual(['WAIVER003']);
  });

  it('a waiver of another environment does not apply', () => {
    const k8s = goodKubernetes();
    delete k8s.service.metadata.annotations;
    const prod: EnvironmentFacts = { ...PROD_FACTS, waivers: [] };
    const dev: EnvironmentFacts = {
      ...PROD_FACTS,
      name: 'dev',
      waivers: [
        {
          rule: 'NET004',
          object: '*',
          reason: 'dev only, for the test',
          owner: 'x',
          expires: '2030-01-01',
          environment: 'dev',
          source: { file: 'environments/dev.yaml', line: 1 },
        },
      ],
    };
    const report = validate(inputFiles('prod', k8s, goodTerraform()), { environments: [prod, dev], today: '2026-11-23' });
    expect(failing(report.findings).map((f) => [f.ruleId, f.environment])).toEqual([['NET004', 'prod']]);
  });
});

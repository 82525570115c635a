import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { newFindings, runValidate, validatePaths } from '../../policy';
import type { JsonReport } from '../../policy/report/json';
import { synthOutput } from '../support/synth-output';
import { ENVIRONMENTS, ROOT } from './project-output';

/*
 * The repository's own output (synthesized in this process, test/support/synth-output.ts), then validate on
 * it: the shipped environments pass with exactly their documented waivers. That synth's policy step passes
 * and refuses output breaking an un-waived error rule, and that validate synthesizes first when there is no
 * output, are tested on the processes in project.e2e.test.ts.
 */
let out: string;
beforeAll(() => {
  out = synthOutput();
});

function validateJson(today: string): { status: number; report: JsonReport } {
  const printed: string[] = [];
  const status = runValidate(['--format', 'json', '--today', today, path.join(out, 'cdktf.out'), path.join(out, 'dist')], {
    out: (t) => printed.push(t),
    err: () => undefined,
    isTerminal: false,
  });
  return { status, report: JSON.parse(printed.join('\n')) as JsonReport };
}

const waiversOf = (env: string): Array<{ rule: string; object: string; expires: string }> =>
  parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/environments', `${env}.yaml`), 'utf8')).waivers ?? [];

describe("the project's own output", () => {
  it('passes validate with only its documented waivers, each of them used', () => {
    const { status, report } = validateJson('2026-11-23');
    expect(report.findings.filter((f) => !f.waiver && f.severity === 'error')).toEqual([]);
    expect(status).toBe(0);
    for (const env of ENVIRONMENTS) {
      const used = new Set(report.findings.filter((f) => f.environment === env && f.waiver).map((f) => `${f.waiver?.rule} ${f.waiver?.object}`));
      expect([env, [...used].sort()]).toEqual([
        env,
        waiversOf(env)
          .map((w) => `${w.rule} ${w.object}`)
          .sort(),
      ]);
    }
    expect(report.findings.filter((f) => f.ruleId.startsWith('WAIVER'))).toEqual([]);
  });

  it('fails validate once the waivers have expired', () => {
    const latest =
      ENVIRONMENTS.flatMap(waiversOf)
        .map((w) => w.expires)
        .sort()
        .at(-1) ?? '';
    const dayAfter = new Date(Date.parse(latest) + 86_400_000).toISOString().slice(0, 10);
    const { status, report } = validateJson(dayAfter);
    expect(status).toBe(1);
    expect(report.findings.filter((f) => f.ruleId === 'WAIVER001')).toHaveLength(ENVIRONMENTS.flatMap(waiversOf).length);
  });

  it('refuses pods without supplementalGroups where the pod security initiative denies them, and warns where it audits', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-groups-'));
    fs.cpSync(out, copy, { recursive: true });
    const strip = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(strip);
      if (!value || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value)
          .filter(([k]) => k !== 'supplementalGroups')
          .map(([k, v]) => [k, strip(v)]),
      );
    };
    for (const env of ENVIRONMENTS) {
      const yaml = path.join(copy, `dist/photo-view-${env}.k8s.yaml`);
      const docs = parseAllDocuments(fs.readFileSync(yaml, 'utf8')).map((d) => stringify(strip(d.toJSON())));
      fs.writeFileSync(yaml, docs.join('---\n'));
      const stack = path.join(copy, `cdktf.out/stacks/apps-${env}/cdk.tf.json`);
      if (fs.existsSync(stack)) fs.writeFileSync(stack, JSON.stringify(strip(JSON.parse(fs.readFileSync(stack, 'utf8')))));
    }
    const options = { environmentsDir: path.join(ROOT, 'test/fixtures/environments'), today: '2026-11-23', warn: () => undefined };
    const findings = (dir: string) =>
      validatePaths([path.join(dir, 'cdktf.out'), path.join(dir, 'dist')], options)
        .findings.filter((f) => f.ruleId === 'AZP001')
        .map((f) => `${f.environment} ${f.severity} ${f.objectId}`);
    expect(findings(out)).toEqual([]);
    const severities = Object.fromEntries(
      ENVIRONMENTS.map((env) => [
        env,
        new Set(
          findings(copy)
            .filter((f) => f.startsWith(`${env} `))
            .map((f) => f.split(' ')[1]),
        ),
      ]),
    );
    // The fixtures: dev audits (security.podSecurityPolicy: audit), staging and prod deny.
    expect(severities).toEqual({ dev: new Set(['warning']), staging: new Set(['error']), prod: new Set(['error']) });
  });

  it('lists the findings that are new in a head output compared with a base output (the PR review diff)', () => {
    const head = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-head-'));
    fs.cpSync(out, head, { recursive: true });
    const prod = path.join(head, 'dist/photo-view-prod.k8s.yaml');
    fs.writeFileSync(prod, fs.readFileSync(prod, 'utf8').replace('azure-load-balancer-internal: "true"', 'azure-load-balancer-internal: "false"'));
    const options = { environmentsDir: path.join(ROOT, 'test/fixtures/environments'), today: '2026-11-23', warn: () => undefined };
    const base = validatePaths([path.join(out, 'cdktf.out'), path.join(out, 'dist')], options);
    const changed = validatePaths([path.join(head, 'cdktf.out'), path.join(head, 'dist')], options);
    expect(newFindings(changed.findings, base.findings).map((f) => [f.environment, f.ruleId, f.objectId])).toEqual([
      ['prod', 'NET004', 'Service/photo-view/photo-view'],
    ]);
  });
});

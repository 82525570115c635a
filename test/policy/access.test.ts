import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EnvironmentConfig } from '../../config';
import { accessModel } from '../../infra/access/proof';
import { validate } from '../../policy/engine';
import { environmentFacts } from '../../policy/environments';
import { readInputFile } from '../../policy/inputs';
import { RULES } from '../../policy/rules';
import { accessRule } from '../../policy/rules/access';
import { environment } from '../config/fixtures';
import { synthApps, synthPlatform } from '../infra/synth';

/*
 * ACCESS001 on what `npm run validate` reads: the synthesized stacks as files, data sources included,
 * with the facts policy/environments.ts makes of the environment's config.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-access-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const env = environment('dev');

/** Writes a stack's Terraform JSON where cdktf puts it and reads it back as validate does. */
function stackFile(stack: string, json: unknown) {
  const file = path.join(dir, 'cdktf.out/stacks', stack, 'cdk.tf.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
  return readInputFile(file);
}

const appsJson = () => synthApps(env).json;
const facts = [environmentFacts(env, 'test/fixtures/environments/dev.yaml')];

/** The plan identity without Azure Kubernetes Service Cluster User Role: it cannot read the cluster's kube_config. */
const withoutClusterUser = (config: EnvironmentConfig) => {
  const model = accessModel(config);
  const plan = model.grants.plan.filter((g) => !('builtIn' in g.role && g.role.builtIn === 'Azure Kubernetes Service Cluster User Role'));
  return { ...model, grants: { ...model.grants, plan } };
};

describe('ACCESS001 in npm run validate', () => {
  it("reads the apps stack's data sources, each at its address and line", () => {
    const file = stackFile('apps-dev', appsJson());
    const cluster = file.resources.find((r) => r.id === 'data.azurerm_kubernetes_cluster.Cluster');
    expect(cluster?.value.type).toBe('data.azurerm_kubernetes_cluster');
    const lines = fs.readFileSync(file.file, 'utf8').split('\n');
    expect(lines[cluster!.source.line - 1]).toContain('"Cluster"');
  });

  it('reports an operation on a data source the plan identity may not perform', () => {
    const files = [stackFile('apps-dev', appsJson())];
    const findings = validate(files, { environments: facts, rules: [accessRule(withoutClusterUser)] }).findings;
    expect(findings.map((f) => [f.ruleId, f.environment, f.objectId])).toContainEqual([
      'ACCESS001',
      'dev',
      'data.azurerm_kubernetes_cluster.Cluster',
    ]);
    expect(findings.find((f) => f.objectId === 'data.azurerm_kubernetes_cluster.Cluster')?.message).toBe(
      'apps-dev: the plan identity cannot plan data.azurerm_kubernetes_cluster.Cluster: read needs Microsoft.ContainerService/managedClusters/listClusterUserCredential/action on subscription, which none of its grants (infra/access/grants.ts) allows',
    );
  });

  it('passes both stacks with the grants of grants.ts, and no other rule takes a data source for a resource', () => {
    const files = [stackFile('platform-dev', synthPlatform(env).json), stackFile('apps-dev', appsJson())];
    const findings = validate(files, { environments: facts }).findings;
    expect(findings.filter((f) => f.ruleId === 'ACCESS001' || f.objectId.startsWith('data.'))).toEqual([]);
    expect(RULES.map((r) => r.id)).toContain('ACCESS001');
  });

  it('reports a type the proof does not know on its object, and still proves the rest', () => {
    const json = appsJson();
    json.data = { ...json.data, azurerm_client_config: { Current: {} } };
    const findings = validate([stackFile('apps-dev', json)], { environments: facts, rules: [accessRule(withoutClusterUser)] }).findings.filter(
      (f) => f.ruleId === 'ACCESS001',
    );
    expect(findings.map((f) => f.objectId).sort()).toEqual(['data.azurerm_client_config.Current', 'data.azurerm_kubernetes_cluster.Cluster']);
    expect(findings.find((f) => f.objectId === 'data.azurerm_client_config.Current')?.message).toBe(
      "the access proof cannot check it: resource type 'data.azurerm_client_config' has no resource provider entry in infra/access/providers.ts; add it (and its operations)",
    );
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { deployStages, loadEnvironments } from '../../config';
import { checkOutput } from '../../policy/gate';
import { unpricedProblems } from '../../cost/coverage';
import { loadSnapshot } from '../../cost/prices';
import { loadUsageFile, usageFor } from '../../cost/usage';
import { azurermProblems } from './azurerm-schema';
import { kubernetesProblems } from './kubernetes-schema';
import { synthOutput } from './synth-output';

/*
 * What must hold for any valid folder of environments, whatever their names, number, regions and sizes:
 * every file loads, both apps synthesize every environment, the output passes the guardrails (with the
 * files' waivers), every Terraform resource fits the azurerm schema, every manifest the Kubernetes schema,
 * the globally unique Azure names fit Azure's rules, the deploy order places every environment once, and
 * the price snapshot prices every VM size, region and meter they use (once it is a refreshed one: cost/coverage.ts).
 * Nothing here judges the date. Used on the user's environments/ and on the sets users make.
 */

/** Azure's rules for the names that must be globally unique. @see https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules */
const GLOBAL_NAMES: Record<string, RegExp> = {
  azurerm_container_registry: /^[a-zA-Z0-9]{5,50}$/,
  azurerm_key_vault: /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/,
};

/** Runs `fn` with ENVIRONMENTS_DIR set to `dir`, restoring it after. */
function withEnvironmentsDir<T>(dir: string, fn: () => T): T {
  const saved = process.env.ENVIRONMENTS_DIR;
  process.env.ENVIRONMENTS_DIR = dir;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.ENVIRONMENTS_DIR;
    else process.env.ENVIRONMENTS_DIR = saved;
  }
}

/** The environments of `dir` and every problem found in them; no problems is a pass. */
export function userEnvironmentProblems(dir: string): { names: string[]; problems: string[] } {
  const envs = loadEnvironments(dir, { warn: () => undefined });
  const names = envs.map((e) => e.name);
  const problems: string[] = [];
  const out = withEnvironmentsDir(dir, () => synthOutput());

  const gate = checkOutput({ output: out, environmentsDir: dir });
  problems.push(...gate.errors.map((f) => `guardrail ${f.ruleId} ${f.environment}: ${f.objectId}: ${f.message}`));

  const root = path.resolve(__dirname, '../..');
  const prices = loadSnapshot(path.join(root, 'cost/price-snapshot.json'));
  const usage = loadUsageFile(path.join(root, 'cost/usage.yaml'));
  for (const name of names) {
    const stacks: { platform?: any; apps?: any } = {};
    for (const stack of [`platform-${name}`, `apps-${name}`]) {
      const file = path.join(out, 'cdktf.out/stacks', stack, 'cdk.tf.json');
      if (!fs.existsSync(file)) {
        problems.push(`${stack}: not synthesized`);
        continue;
      }
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      problems.push(...azurermProblems(json).map((p) => `${stack}: ${p}`));
      stacks[stack.startsWith('apps-') ? 'apps' : 'platform'] = json;
      for (const [type, pattern] of Object.entries(GLOBAL_NAMES)) {
        for (const [address, body] of Object.entries<{ name?: string }>(json.resource?.[type] ?? {})) {
          if (typeof body.name === 'string' && !pattern.test(body.name))
            problems.push(`${stack}: ${type}.${address} name '${body.name}' breaks Azure's rule ${pattern}`);
        }
      }
    }
    if (stacks.platform) problems.push(...unpricedProblems(name, { platform: stacks.platform, apps: stacks.apps }, usageFor(usage, name), prices));
    const manifests = path.join(out, 'dist', `photo-view-${name}.k8s.yaml`);
    if (!fs.existsSync(manifests)) {
      problems.push(`${name}: no manifests in dist/`);
      continue;
    }
    for (const doc of parseAllDocuments(fs.readFileSync(manifests, 'utf8'))) {
      problems.push(...kubernetesProblems(doc.toJS()).map((p) => `${name}: ${p}`));
    }
  }

  const staged = deployStages(envs).flat();
  if ([...staged].sort().join() !== [...names].sort().join())
    problems.push(`deploy order places ${staged.join(', ')}; environments are ${names.join(', ')}`);
  return { names, problems };
}

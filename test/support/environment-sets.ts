import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';

/*
 * Folders of environments other than the fixtures, as users make them: the sample set plus one, a single
 * environment of another name, five environments in five regions with other VM sizes. The suite must pass
 * with any of them in place of environments/ (test/user-environments.e2e.test.ts, and .ci/run swaps one in).
 */
// From the project root, where jest and .ci/run start (this file also runs bundled, away from its folder).
const FIXTURES = path.resolve('test/fixtures/environments');

type Edit = Record<string, unknown>;

/** A fixture environment file with some values set (dotted paths), comments kept. */
function derived(fixture: string, values: Edit): string {
  const doc = parseDocument(fs.readFileSync(path.join(FIXTURES, `${fixture}.yaml`), 'utf8'));
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) doc.deleteIn(key.split('.'));
    else doc.setIn(key.split('.'), value);
  }
  return doc.toString();
}

/** A private environment's own runner network: Azure links a network to one private DNS zone of a name. */
const runnerNetwork = (name: string) =>
  `/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg-ci-runners/providers/Microsoft.Network/virtualNetworks/vnet-ci-runners-${name}`;

/** A private network like prod's, in its own address space. */
const network = (second: number) => ({
  'network.virtualNetwork.addressSpace': `10.${second}.0.0/16`,
  'network.virtualNetwork.subnets.systemNodes': `10.${second}.0.0/24`,
  'network.virtualNetwork.subnets.userNodes': `10.${second}.1.0/24`,
  'network.virtualNetwork.subnets.apiServer': `10.${second}.2.0/28`,
  'network.virtualNetwork.subnets.privateEndpoints': `10.${second}.3.0/27`,
  'network.virtualNetwork.subnets.internalLoadBalancers': `10.${second}.4.0/27`,
});

export const ENVIRONMENT_SETS = {
  /** The README's example: the samples plus qa, a copy of staging in northeurope with a bigger user pool. */
  samplesPlusQa: (): Record<string, string> => ({
    ...Object.fromEntries(['dev', 'staging', 'prod'].map((name) => [name, fs.readFileSync(path.join(FIXTURES, `${name}.yaml`), 'utf8')])),
    qa: derived('staging', {
      location: 'northeurope',
      'tags.environment': 'qa',
      'kubernetes.userPool.vmSize': 'Standard_D8ds_v5',
      'monitoring.actionGroup.shortName': 'pv-qa',
      'deploy.after': ['staging'],
    }),
  }),
  /** One environment, named like none of the samples. */
  single: (): Record<string, string> => ({
    sandbox: derived('dev', { 'tags.environment': 'sandbox', 'monitoring.actionGroup.shortName': 'pv-sandbox', location: 'eastus2' }),
  }),
  /** Five environments in five regions, with VM sizes the samples do not use. */
  fiveRegions: (): Record<string, string> => ({
    alpha: derived('dev', {
      location: 'eastus2',
      'kubernetes.systemPool.vmSize': 'Standard_D2ads_v5',
      'kubernetes.userPool.vmSize': 'Standard_E4ds_v5',
      'monitoring.actionGroup.shortName': 'pv-alpha',
      'tags.environment': 'alpha',
    }),
    bravo: derived('staging', {
      location: 'japaneast',
      'kubernetes.userPool.vmSize': 'Standard_D8ads_v5',
      'monitoring.actionGroup.shortName': 'pv-bravo',
      'tags.environment': 'bravo',
      'deploy.after': ['alpha'],
      ...network(30),
    }),
    charlie: derived('staging', {
      location: 'uksouth',
      'kubernetes.systemPool.vmSize': 'Standard_E2ds_v5',
      'monitoring.actionGroup.shortName': 'pv-charlie',
      'tags.environment': 'charlie',
      'deploy.after': ['alpha'],
      ...network(40),
    }),
    delta: derived('prod', {
      location: 'australiaeast',
      'kubernetes.userPool.vmSize': 'Standard_E8ds_v5',
      'monitoring.actionGroup.shortName': 'pv-delta',
      'tags.environment': 'delta',
      'deploy.after': ['bravo', 'charlie'],
      'deploy.runner': 'photo-view-delta-vnet',
      'network.runnerNetworks': [runnerNetwork('delta')],
      ...network(50),
    }),
    echo: derived('prod', {
      location: 'swedencentral',
      'kubernetes.systemPool.vmSize': 'Standard_D4ads_v5',
      'monitoring.actionGroup.shortName': 'pv-echo',
      'tags.environment': 'echo',
      'deploy.after': ['delta'],
      'deploy.runner': 'photo-view-echo-vnet',
      'network.runnerNetworks': [runnerNetwork('echo')],
      ...network(60),
    }),
  }),
};

export type EnvironmentSet = keyof typeof ENVIRONMENT_SETS;

/** Writes a set into `dir` (created, emptied of environment files first). */
export function writeEnvironmentSet(set: EnvironmentSet, dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) fs.rmSync(path.join(dir, file));
  const files = ENVIRONMENT_SETS[set]();
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, `${name}.yaml`), text);
  return Object.keys(files).sort();
}

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { loadEnvironments, parseEnvironment, runnerNetworkProblems } from '../../config';
import { configErrorOf, environment, rawEnvironment } from './fixtures';

/*
 * Two private environments that create their own Key Vault and registry zones cannot share a runner
 * network: Azure links a network to one zone of a name. Checked across the files of a folder.
 */
const RUNNER =
  '/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg-ci-runners/providers/Microsoft.Network/virtualNetworks/vnet-ci-runners';
const OTHER_RUNNER = RUNNER.replace('vnet-ci-runners', 'vnet-ci-runners-2');
const CENTRAL = '/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones';
const SUBNETS =
  '/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets';

/** prod's file (private endpoints in a VNet it creates, linked to RUNNER) as environment `name`, its `network` fields replaced. */
const privateCopy = (name: string, network: Record<string, unknown> = {}) => {
  const raw = rawEnvironment('prod');
  return parseEnvironment(name, { ...raw, network: { ...raw.network, ...network } }, `environments/${name}.yaml`);
};
/** The same in existing subnets, bringing central Key Vault and registry zones. */
const central = (name: string) =>
  privateCopy(name, {
    virtualNetwork: {
      mode: 'existing',
      addressSpace: ['10.30.0.0/16'],
      subnets: {
        systemNodes: `${SUBNETS}/system`,
        userNodes: `${SUBNETS}/user`,
        apiServer: `${SUBNETS}/apiserver`,
        privateEndpoints: `${SUBNETS}/endpoints`,
      },
      privateDnsZones: { keyVault: `${CENTRAL}/privatelink.vaultcore.azure.net`, registry: `${CENTRAL}/privatelink.azurecr.io` },
    },
  });

describe('runner networks shared across environments', () => {
  it('refuses a second environment that links zones of its own to the same runner network, naming the field and the other environment', () => {
    const problems = runnerNetworkProblems([privateCopy('prod'), privateCopy('prodeu')]);
    expect(problems.map((p) => [p.environment, p.path])).toEqual([['prodeu', 'network.runnerNetworks.0']]);
    expect(problems[0].message).toContain(
      "'prod' also links its privatelink.vaultcore.azure.net and privatelink.azurecr.io zones to this network, and each would link its own",
    );
  });

  it('allows separate runner networks, public environments, and one central zone shared by both', () => {
    expect(runnerNetworkProblems([privateCopy('prod'), privateCopy('prodeu', { runnerNetworks: [OTHER_RUNNER] })])).toEqual([]);
    expect(runnerNetworkProblems([privateCopy('prod'), environment('dev')])).toEqual([]);
    expect(runnerNetworkProblems([central('prod'), central('prodeu')])).toEqual([]);
  });

  it('compares network IDs without case, as Azure does', () => {
    expect(runnerNetworkProblems([privateCopy('prod'), privateCopy('prodeu', { runnerNetworks: [RUNNER.toUpperCase()] })])).toHaveLength(1);
  });

  it("refuses zones of their own in one VNet, and a runner network that is another environment's VNet", () => {
    const existing = (name: string, zones: boolean) => {
      const env = central(name);
      if (!zones && env.network.virtualNetwork.mode === 'existing')
        delete (env.network.virtualNetwork as { privateDnsZones?: unknown }).privateDnsZones;
      return { ...env, network: { ...env.network, runnerNetworks: [`${OTHER_RUNNER}-${name}`] } };
    };
    expect(runnerNetworkProblems([existing('prod', false), existing('prodeu', false)]).map((p) => p.path)).toEqual([
      'network.virtualNetwork.subnets.systemNodes',
    ]);
    const spoke = SUBNETS.slice(0, SUBNETS.lastIndexOf('/subnets'));
    const runsInSpoke = privateCopy('prodeu', { runnerNetworks: [spoke] });
    expect(runnerNetworkProblems([existing('prod', false), runsInSpoke]).map((p) => [p.environment, p.path])).toEqual([
      ['prodeu', 'network.runnerNetworks.0'],
    ]);
  });

  it('refuses a created zone beside a central one of the same name on one runner network', () => {
    expect(runnerNetworkProblems([central('prod'), privateCopy('prodeu')]).map((p) => p.environment)).toEqual(['prodeu']);
  });

  it('is part of loading a folder: the error names the file, the field and the value', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-networks-'));
    try {
      for (const name of ['prod', 'prodeu']) {
        const { deploy, ...raw } = rawEnvironment('prod');
        fs.writeFileSync(path.join(dir, `${name}.yaml`), stringify({ ...raw, deploy: { ...deploy, after: [] } }));
      }
      const message = configErrorOf(() => loadEnvironments(dir, { warn: () => undefined }));
      expect(message).toContain(path.join(dir, 'prodeu.yaml'));
      expect(message).toContain('network.runnerNetworks.0');
      expect(message).toContain(RUNNER);
      // One environment alone is fine: a deploy reads only its own file.
      expect(loadEnvironments(dir, { warn: () => undefined, only: ['prodeu'] })).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

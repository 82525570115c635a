import { namingContext, registryLoginServer, resourceName, type ResourceKind } from '../../config';
import { only, synthPlatform } from '../infra/synth';
import { synthPhotoView } from '../workloads/synth';
import { environment } from './fixtures';

/*
 * Golden names: every Azure name derived for the shipped environments, written out. A rename replaces
 * the resource (and the registry's images and the Key Vault's secrets with it), so any change to the
 * naming rules, the stable suffix or its inputs must show up here as a deliberate edit.
 */
const GOLDEN = {
  dev: {
    resourceGroup: 'rg-photoview-dev-weu',
    nodeResourceGroup: 'rg-photoview-dev-weu-nodes',
    containerRegistry: 'crphotoviewdev7lm8',
    kubernetesCluster: 'aks-photoview-dev-weu',
    keyVault: 'kv-photoview-dev-7lm8',
    logAnalyticsWorkspace: 'log-photoview-dev-weu',
    actionGroup: 'ag-photoview-dev-weu',
    alert: 'alert-photoview-dev-weu',
    'managedIdentity/app': 'id-photoview-dev-weu-app',
    'dataCollectionRule/ci': 'dcr-photoview-dev-weu-ci',
    'managedIdentity/aks': 'id-photoview-dev-weu-aks',
    'managedIdentity/kubelet': 'id-photoview-dev-weu-kubelet',
    virtualNetwork: 'vnet-photoview-dev-weu',
    monitorWorkspace: 'amw-photoview-dev-weu',
    'dataCollectionEndpoint/prom': 'dce-photoview-dev-weu-prom',
    'dataCollectionRule/prom': 'dcr-photoview-dev-weu-prom',
    applicationInsights: 'appi-photoview-dev-weu',
  },
  staging: {
    resourceGroup: 'rg-photoview-staging-weu',
    nodeResourceGroup: 'rg-photoview-staging-weu-nodes',
    containerRegistry: 'crphotoviewstagingonra',
    kubernetesCluster: 'aks-photoview-staging-weu',
    // 'kv-photoview-staging-onra' is 25 characters, one over Key Vault's limit, so the hyphens go.
    keyVault: 'kvphotoviewstagingonra',
    logAnalyticsWorkspace: 'log-photoview-staging-weu',
    actionGroup: 'ag-photoview-staging-weu',
    alert: 'alert-photoview-staging-weu',
    'managedIdentity/app': 'id-photoview-staging-weu-app',
    'dataCollectionRule/ci': 'dcr-photoview-staging-weu-ci',
    'managedIdentity/aks': 'id-photoview-staging-weu-aks',
    'managedIdentity/kubelet': 'id-photoview-staging-weu-kubelet',
    virtualNetwork: 'vnet-photoview-staging-weu',
    monitorWorkspace: 'amw-photoview-staging-weu',
    'dataCollectionEndpoint/prom': 'dce-photoview-staging-weu-prom',
    'dataCollectionRule/prom': 'dcr-photoview-staging-weu-prom',
    applicationInsights: 'appi-photoview-staging-weu',
  },
  prod: {
    resourceGroup: 'rg-photoview-prod-weu',
    nodeResourceGroup: 'rg-photoview-prod-weu-nodes',
    containerRegistry: 'crphotoviewprodyrr6',
    kubernetesCluster: 'aks-photoview-prod-weu',
    keyVault: 'kv-photoview-prod-yrr6',
    logAnalyticsWorkspace: 'log-photoview-prod-weu',
    actionGroup: 'ag-photoview-prod-weu',
    alert: 'alert-photoview-prod-weu',
    'managedIdentity/app': 'id-photoview-prod-weu-app',
    'dataCollectionRule/ci': 'dcr-photoview-prod-weu-ci',
    'managedIdentity/aks': 'id-photoview-prod-weu-aks',
    'managedIdentity/kubelet': 'id-photoview-prod-weu-kubelet',
    virtualNetwork: 'vnet-photoview-prod-weu',
    monitorWorkspace: 'amw-photoview-prod-weu',
    'dataCollectionEndpoint/prom': 'dce-photoview-prod-weu-prom',
    'dataCollectionRule/prom': 'dcr-photoview-prod-weu-prom',
    applicationInsights: 'appi-photoview-prod-weu',
  },
} as const;

type Golden = (typeof GOLDEN)[keyof typeof GOLDEN];
const ENVIRONMENTS = Object.keys(GOLDEN) as Array<keyof typeof GOLDEN>;

describe.each(ENVIRONMENTS)('derived Azure names of %s', (name) => {
  const golden: Golden = GOLDEN[name];
  const env = environment(name);

  it('are the golden names', () => {
    const ctx = namingContext(env);
    const derived = Object.fromEntries(
      Object.keys(golden).map((key) => {
        const [kind, qualifier] = key.split('/') as [ResourceKind, string?];
        return [key, resourceName(kind, ctx, qualifier)];
      }),
    );
    expect(derived).toEqual(golden);
    expect(registryLoginServer(ctx)).toBe(`${golden.containerRegistry}.azurecr.io`);
  });

  describe('are the names the stacks and manifests use', () => {
    let platform: ReturnType<typeof synthPlatform>['json'];
    beforeAll(() => {
      platform = synthPlatform(env).json;
    });

    it('platform stack', () => {
      const nameOf = (type: string) => only(platform, type).name;
      expect(nameOf('azurerm_resource_group')).toBe(golden.resourceGroup);
      expect(nameOf('azurerm_container_registry')).toBe(golden.containerRegistry);
      expect(nameOf('azurerm_kubernetes_cluster')).toBe(golden.kubernetesCluster);
      expect(only(platform, 'azurerm_kubernetes_cluster').node_resource_group).toBe(golden.nodeResourceGroup);
      expect(nameOf('azurerm_key_vault')).toBe(golden.keyVault);
      expect(nameOf('azurerm_log_analytics_workspace')).toBe(golden.logAnalyticsWorkspace);
      const namesOf = (type: string) =>
        Object.values<{ name: string }>(platform.resource[type] ?? {})
          .map((r) => r.name)
          .sort();
      expect(namesOf('azurerm_user_assigned_identity')).toEqual(
        [golden['managedIdentity/app'], golden['managedIdentity/aks'], golden['managedIdentity/kubelet']].sort(),
      );
      expect(namesOf('azurerm_monitor_data_collection_rule')).toEqual([golden['dataCollectionRule/ci'], golden['dataCollectionRule/prom']].sort());
      expect(namesOf('azurerm_monitor_workspace')).toEqual([golden.monitorWorkspace]);
      // Optional per environment: a created VNet and Application Insights exist where the config asks for them.
      for (const [type, key] of [
        ['azurerm_virtual_network', 'virtualNetwork'],
        ['azurerm_application_insights', 'applicationInsights'],
      ] as const) {
        for (const actual of namesOf(type)) expect(actual).toBe(golden[key]);
      }
      expect(nameOf('azurerm_monitor_action_group')).toBe(golden.actionGroup);
      const alerts = ['azurerm_monitor_metric_alert', 'azurerm_monitor_scheduled_query_rules_alert_v2'].flatMap((type) =>
        Object.values<{ name: string }>(platform.resource[type] ?? {}).map((a) => a.name),
      );
      expect(alerts.length).toBeGreaterThan(0);
      for (const alert of alerts) expect(alert.startsWith(`${golden.alert}-`)).toBe(true);
    });

    it('photo-view manifests', () => {
      const { find, one } = synthPhotoView(env);
      for (const d of find('Deployment')) {
        expect(d.spec.template.spec.containers[0].image.startsWith(`${golden.containerRegistry}.azurecr.io/`)).toBe(true);
      }
      expect(one('SecretProviderClass').spec.parameters.keyvaultName).toBe(golden.keyVault);
    });
  });
});

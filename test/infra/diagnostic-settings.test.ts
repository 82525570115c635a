import { TerraformStack, Testing } from '../../infra/cdktf';
import { DiagnosticSettings, LOG_TABLES, logAnalyticsDestinationType, type DiagnosticResourceType } from '../../infra/constructs/diagnostic-settings';
import { environment, ENVIRONMENT_NAMES } from '../config/fixtures';
import { synthPlatform } from './synth';

/** The ARM type of each azurerm resource type the stacks attach diagnostic settings to. */
const ARM_TYPE: Record<string, DiagnosticResourceType> = {
  azurerm_kubernetes_cluster: 'Microsoft.ContainerService/managedClusters',
  azurerm_container_registry: 'Microsoft.ContainerRegistry/registries',
  azurerm_log_analytics_workspace: 'Microsoft.OperationalInsights/workspaces',
  azurerm_key_vault: 'Microsoft.KeyVault/vaults',
  azurerm_virtual_network: 'Microsoft.Network/virtualNetworks',
  azurerm_network_security_group: 'Microsoft.Network/networkSecurityGroups',
  azurerm_public_ip: 'Microsoft.Network/publicIPAddresses',
};

describe.each(ENVIRONMENT_NAMES)('diagnostic settings of %s', (name) => {
  const { json } = synthPlatform(environment(name));
  const settings = Object.entries<any>(json.resource.azurerm_monitor_diagnostic_setting ?? {});

  it('write to resource-specific tables exactly where the target type has them', () => {
    expect(settings.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    for (const [id, setting] of settings) {
      const target = /^\$\{(azurerm_[a-z_]+)\.[^.]+\.id\}$/.exec(setting.target_resource_id)?.[1];
      expect({ id, target: target && ARM_TYPE[target] ? target : setting.target_resource_id }).toEqual({ id, target });
      const armType = ARM_TYPE[target!];
      seen.add(armType);
      const expected = LOG_TABLES[armType].resourceSpecific ? 'Dedicated' : undefined;
      expect({ id, destination: setting.log_analytics_destination_type }).toEqual({ id, destination: expected });
    }
    // The cluster, registry and workspace audit logs land in their own tables.
    for (const type of [
      'Microsoft.ContainerService/managedClusters',
      'Microsoft.ContainerRegistry/registries',
      'Microsoft.OperationalInsights/workspaces',
    ]) {
      expect(seen).toContain(type);
    }
  });
});

describe('LOG_TABLES', () => {
  it('gives Dedicated only to types with resource-specific tables', () => {
    expect(logAnalyticsDestinationType('Microsoft.ContainerService/managedClusters')).toBe('Dedicated');
    expect(logAnalyticsDestinationType('Microsoft.KeyVault/vaults')).toBeUndefined();
    expect(logAnalyticsDestinationType('Microsoft.Network/networkSecurityGroups')).toBeUndefined();
  });

  it('refuses a resource type nobody has checked, naming it and where to add it', () => {
    expect(() => logAnalyticsDestinationType('Microsoft.Storage/storageAccounts')).toThrow(
      /"Microsoft\.Storage\/storageAccounts".*LOG_TABLES in infra\/constructs\/diagnostic-settings\.ts/,
    );
    expect(() => logAnalyticsDestinationType('toString')).toThrow(/"toString"/);
    const stack = new TerraformStack(Testing.app(), 'stack');
    expect(
      () =>
        new DiagnosticSettings(stack, 'Unknown', {
          targetResourceId: '/subscriptions/x',
          resourceType: 'Microsoft.Sql/servers' as DiagnosticResourceType,
          logAnalyticsWorkspaceId: '/subscriptions/y',
          logCategories: ['SQLSecurityAuditEvents'],
        }),
    ).toThrow(/"Microsoft\.Sql\/servers"/);
  });
});

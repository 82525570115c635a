import { azurermProblems } from '../support/azurerm-schema';

// The schema check is only worth something if it catches the mistakes escape hatches make.
describe('azurerm schema check', () => {
  const cluster = (extra: Record<string, unknown>) => ({
    resource: {
      azurerm_kubernetes_cluster: {
        c: { name: 'a', location: 'westeurope', resource_group_name: 'rg', default_node_pool: { name: 'system', vm_size: 'x' }, ...extra },
      },
    },
  });

  it('accepts a minimal valid cluster', () => {
    expect(azurermProblems(cluster({}))).toEqual([]);
  });
  it('rejects an unknown argument', () => {
    expect(azurermProblems(cluster({ enable_rbac: true }))).toEqual(["azurerm_kubernetes_cluster.c: unknown argument 'enable_rbac'"]);
  });
  it('rejects a read-only attribute', () => {
    expect(azurermProblems(cluster({ oidc_issuer_url: 'https://x' }))).toEqual([
      "azurerm_kubernetes_cluster.c: 'oidc_issuer_url' is read-only (computed by Azure)",
    ]);
  });
  it('rejects a missing required argument, also in nested blocks', () => {
    expect(azurermProblems(cluster({ default_node_pool: { vm_size: 'x', upgrade_settings: {} } }))).toEqual([
      "azurerm_kubernetes_cluster.c.default_node_pool.upgrade_settings: missing required argument 'max_surge'",
      "azurerm_kubernetes_cluster.c.default_node_pool: missing required argument 'name'",
    ]);
  });
  it('rejects a resource type the provider does not have', () => {
    expect(azurermProblems({ resource: { azurerm_kubernetes_clutser: { c: {} } } })).toEqual([
      'azurerm_kubernetes_clutser: not a resource of the azurerm provider',
    ]);
  });
});

import { CLUSTER_NOT_FOUND, createsCluster, mayDefer, planHash, type PlanRecord } from '../../.github/scripts/reviewed-plan';

// The plan hash, in this process; planning and applying with the real terraform is in reviewed-plan.e2e.test.ts.
describe('plan hash', () => {
  // The shape of `terraform show -json` (format 1.2): an in-place update of one tag.
  const plan = (currentVersion: string, tag: string) => ({
    resource_changes: [
      {
        address: 'azurerm_kubernetes_cluster.c',
        change: {
          actions: ['update'],
          before: { current_kubernetes_version: currentVersion, tags: { a: 'x' } },
          after: { current_kubernetes_version: currentVersion, tags: { a: tag } },
          after_unknown: {},
        },
      },
      { address: 'azurerm_resource_group.r', change: { actions: ['no-op'], before: { name: 'rg' }, after: { name: 'rg' } } },
    ],
  });

  it('ignores values the plan does not change (AKS moving its patch version by itself)', () => {
    expect(planHash(plan('1.33.1', 'y'))).toBe(planHash(plan('1.33.2', 'y')));
  });

  it('changes with any value the plan applies', () => {
    expect(planHash(plan('1.33.1', 'y'))).not.toBe(planHash(plan('1.33.1', 'z')));
  });
});

describe('deferring an apps plan until its platform is applied', () => {
  const apps = (extra: Partial<PlanRecord>): PlanRecord => ({ stack: 'apps-dev', status: 'failed', add: 0, change: 0, destroy: 0, ...extra });
  const platform = (extra: Partial<PlanRecord>): PlanRecord => ({
    stack: 'platform-dev',
    status: 'changes',
    add: 1,
    change: 0,
    destroy: 0,
    ...extra,
  });
  // What terraform 1.11 prints for the azurerm data source when the cluster does not exist (format of
  // terraform-provider-azurerm's dataSourceKubernetesClusterRead: `%s was not found` with a ManagedClusterID).
  const NOT_FOUND = `╷
│ Error: Managed Cluster (Subscription: "00000000-0000-0000-0000-000000000000"
│ Resource Group Name: "rg-photoview-dev"
│ Managed Cluster Name: "aks-photoview-dev") was not found
│
│   with data.azurerm_kubernetes_cluster.Cluster,
╵`;

  it('recognises the cluster-not-found error, and not the empty kube_config of a missing role', () => {
    expect(CLUSTER_NOT_FOUND.test(NOT_FOUND)).toBe(true);
    expect(CLUSTER_NOT_FOUND.test('Error: Invalid index\n│ data.azurerm_kubernetes_cluster.Cluster.kube_config is empty list of object')).toBe(false);
    expect(CLUSTER_NOT_FOUND.test('Error: User Assigned Identity (Subscription: "0") was not found')).toBe(false);
  });

  it('sees a plan that creates or replaces the cluster, not one that updates it', () => {
    const plan = (actions: string[]) => ({ resource_changes: [{ address: 'a', type: 'azurerm_kubernetes_cluster', change: { actions } }] });
    expect(createsCluster(plan(['create']))).toBe(true);
    expect(createsCluster(plan(['delete', 'create']))).toBe(true);
    expect(createsCluster(plan(['update']))).toBe(false);
    expect(createsCluster({ resource_changes: [{ address: 'b', type: 'azurerm_resource_group', change: { actions: ['create'] } }] })).toBe(false);
  });

  it('defers only when the cluster was not found and the reviewed platform plan creates it', () => {
    expect(mayDefer(apps({ clusterNotFound: true }), platform({ createsCluster: true }))).toBe(true);
    // Any other failure, or a platform plan that does not create the cluster, stops the deploy.
    expect(mayDefer(apps({ error: 'Invalid index' }), platform({ createsCluster: true }))).toBe(false);
    expect(mayDefer(apps({ clusterNotFound: true }), platform({}))).toBe(false);
    expect(mayDefer(apps({ clusterNotFound: true }), platform({ status: 'no-changes', createsCluster: true }))).toBe(false);
    expect(mayDefer(undefined, platform({ createsCluster: true }))).toBe(false);
    expect(mayDefer(apps({ status: 'changes' }), platform({ createsCluster: true }))).toBe(false);
  });
});

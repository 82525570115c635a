import { planHash } from '../../.github/scripts/reviewed-plan';

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

import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Aspects, TerraformResource, TerraformStack, Testing } from '../../infra/cdktf';
import { TagsAspect } from '../../infra/constructs/tags';
import { environment } from '../config/fixtures';
import { synthPlatform } from './synth';
import { terraformTestApp } from '../support/test-apps';

/*
 * Tag precedence. Every taggable resource gets the environment file's `tags` plus the project's own
 * tags (environment, workload, managed-by). The project's tags win: cost reports, policies and the
 * drift tooling rely on them, so an environment file cannot relabel its resources as another
 * environment or as not managed by cdktf. Tags a resource sets itself win over both.
 */
describe('tags', () => {
  let resources: Array<{ address: string; tags?: Record<string, string> }>;
  /** Addresses of the resources whose provider class takes tags (what TagsAspect looks for). */
  let taggable: string[];
  beforeAll(() => {
    const env = environment('dev', { tags: { 'cost-center': 'cc-42', environment: 'production', workload: 'other', 'managed-by': 'hand' } });
    const { stack, json } = synthPlatform(env);
    const all = Object.entries<Record<string, { tags?: Record<string, string> }>>(json.resource).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, r]) => ({ address: `${type}.${name}`, tags: r.tags })),
    );
    resources = all.filter((r) => r.tags !== undefined);
    taggable = stack.node
      .findAll()
      .filter((c): c is TerraformResource => c instanceof TerraformResource && 'tagsInput' in c)
      .map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`);
  });

  it('reach every resource that takes tags', () => {
    expect(taggable.length).toBeGreaterThan(5);
    expect(resources.map((r) => r.address).sort()).toEqual([...taggable].sort());
    for (const kind of ['resource_group', 'container_registry', 'kubernetes_cluster', 'key_vault', 'log_analytics_workspace']) {
      expect(taggable.map((address) => address.split('.')[0])).toContain(`azurerm_${kind}`);
    }
  });

  it("keep the environment file's own tags", () => {
    for (const r of resources) expect([r.address, r.tags?.['cost-center']]).toEqual([r.address, 'cc-42']);
  });

  it("let the project's tags win over the environment file's", () => {
    for (const r of resources) {
      expect([r.address, r.tags]).toEqual([r.address, expect.objectContaining({ environment: 'dev', workload: 'photoview', 'managed-by': 'cdktf' })]);
    }
  });

  it('set by a resource itself win over the aspect', () => {
    const stack = new TerraformStack(terraformTestApp(), 'tags');
    new ResourceGroup(stack, 'Group', { name: 'rg', location: 'westeurope', tags: { owner: 'team-a' } });
    Aspects.of(stack).add(new TagsAspect({ owner: 'platform', 'managed-by': 'cdktf' }));
    const group = Object.values<{ tags: Record<string, string> }>(JSON.parse(Testing.synth(stack)).resource.azurerm_resource_group)[0];
    expect(group.tags).toEqual({ owner: 'team-a', 'managed-by': 'cdktf' });
  });
});

import { COMMENT_MARKER, GITHUB_COMMENT_LIMIT, renderComment } from '../../.github/scripts/comment';
import { summarizePlan } from '../../.github/scripts/plan-summary';
import { planSection } from '../../.github/scripts/sections';
import { PLAN } from './plan-output';

// The comment's parts, in this process; the pr-comment command as a process is in pr-comment.e2e.test.ts.
describe('plan summary', () => {
  it('counts adds, changes and destroys and lists replaced and destroyed resources', () => {
    expect(summarizePlan(PLAN, 0)).toEqual({
      status: 'changes',
      add: 1,
      change: 1,
      destroy: 2,
      replaced: ['azurerm_kubernetes_cluster.Cluster_EB0386A7'],
      destroyed: ['azurerm_role_assignment.Old'],
    });
  });
  it('recognises a plan without changes', () => {
    expect(summarizePlan('apps-dev  No changes. Your infrastructure matches the configuration.', 0).status).toBe('no-changes');
  });
  it('reports a failed plan', () => {
    expect(summarizePlan('Error: building AzureRM Client', 1).status).toBe('failed');
  });
  it('explains an apps stack planned before its platform is deployed', () => {
    expect(planSection('apps-dev', 'Error: cluster not found', 1).summary).toMatch(
      /Could not be planned.*does not exist yet: `platform-dev` is new or changes it in this pull request and is not deployed/,
    );
  });
  it('explains precisely an apps plan missing because the plan identity has Reader only', () => {
    const output = [
      'apps-dev  Error: Invalid index',
      'apps-dev    on cdk.tf.json line 40, in provider "kubernetes":',
      'apps-dev    40:   "host": "${data.azurerm_kubernetes_cluster.Cluster.kube_config[0].host}"',
      'apps-dev      data.azurerm_kubernetes_cluster.Cluster.kube_config is empty list of object',
    ].join('\n');
    const summary = planSection('apps-dev', output, 1).summary;
    expect(summary).toContain('`listClusterUserCredential` needs the "Azure Kubernetes Service Cluster User Role"');
    expect(summary).toContain('returns an empty `kube_config`, so the kubernetes provider fails with "Invalid index"');
    expect(summary).toContain('The offline diff above still shows');
  });
  it('names the permission a plan was denied', () => {
    const output = "Error: ... does not have authorization to perform action 'Microsoft.Storage/storageAccounts/listKeys/action' over scope ...";
    expect(planSection('platform-dev', output, 1).summary).toContain('`Microsoft.Storage/storageAccounts/listKeys/action` was denied');
  });
  it('puts replaced resources in the summary a reviewer reads first', () => {
    expect(planSection('platform-dev', PLAN, 0).summary).toContain(
      '**Replaced** (destroyed and re-created):\n- `azurerm_kubernetes_cluster.Cluster_EB0386A7`',
    );
  });
});

describe('comment', () => {
  it('starts with the marker the workflow updates it by', () => {
    expect(renderComment('Review', [{ title: 'A', summary: 's' }]).startsWith(COMMENT_MARKER)).toBe(true);
  });
  it("is trimmed to GitHub's size limit, cutting details but keeping every summary", () => {
    const huge = 'x'.repeat(50_000);
    const text = renderComment('Review', [
      { title: 'platform-dev', summary: 'SUMMARY-1', details: huge },
      { title: 'platform-prod', summary: 'SUMMARY-2', details: huge },
      { title: 'apps-dev', summary: 'SUMMARY-3', details: 'short' },
    ]);
    expect(text.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    for (const s of ['SUMMARY-1', 'SUMMARY-2', 'SUMMARY-3', 'short', 'trimmed to fit the comment']) expect(text).toContain(s);
  });
});

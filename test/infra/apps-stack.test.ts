import { Testing } from '../../infra/cdktf';
import { PlatformStack } from '../../infra/stacks/platform-stack';
import { AppsStack, AKS_ENTRA_SERVER_ID } from '../../infra/stacks/apps-stack';
import { escapeTemplates } from '../../infra/constructs/kubernetes-manifests';
import { synthPhotoView, CLIENT_ID } from '../workloads/synth';
import { environment, ENVIRONMENT_NAMES } from '../config/fixtures';
import { namingContext, type EnvironmentConfig, resourceName } from '../../config';
import { only, synthPlatform } from './synth';

function synthApps(env: EnvironmentConfig, props: Partial<ConstructorParameters<typeof AppsStack>[1]> = {}) {
  const app = Testing.app();
  const platform = new PlatformStack(app, { environment: env });
  const stack = new AppsStack(app, { environment: env, platform, ...props });
  const json = JSON.parse(Testing.synth(stack, true));
  const manifests = Object.values(json.resource.kubernetes_manifest) as any[];
  return { stack, platform, json, manifests, text: JSON.stringify(json) };
}

describe.each(ENVIRONMENT_NAMES)('apps stack of %s', (name) => {
  const env = environment(name);
  const { stack, platform, json, manifests, text } = synthApps(env);
  const byKind = (kind: string) => manifests.filter((m) => m.manifest.kind === kind);

  it('depends on the platform stack of the same environment', () => {
    expect(stack.node.id).toBe(`apps-${name}`);
    expect(stack.dependencies).toEqual([platform]);
  });

  it('keeps its own state key in the azurerm backend', () => {
    expect(json.terraform.backend.azurerm).toMatchObject({ key: `apps-${name}.tfstate`, use_azuread_auth: true });
  });

  it('reads the cluster and the app identity by their derived names', () => {
    const naming = namingContext(env);
    expect(json.data.azurerm_kubernetes_cluster.Cluster).toMatchObject({ name: resourceName('kubernetesCluster', naming), resource_group_name: resourceName('resourceGroup', naming) });
    expect(json.data.azurerm_user_assigned_identity.AppIdentity).toMatchObject({ name: resourceName('managedIdentity', naming, 'app') });
    expect(json.data.azurerm_kubernetes_cluster.Cluster.name).toBe(only(synthPlatform(env).json, 'azurerm_kubernetes_cluster').name);
  });

  it('authenticates the kubernetes provider with Entra ID through kubelogin, with no credentials in the output', () => {
    expect(json.provider.kubernetes).toEqual([{
      host: '${data.azurerm_kubernetes_cluster.Cluster.kube_config[0].host}',
      cluster_ca_certificate: '${base64decode(data.azurerm_kubernetes_cluster.Cluster.kube_config[0].cluster_ca_certificate)}',
      exec: [{ api_version: 'client.authentication.k8s.io/v1beta1', command: 'kubelogin', args: ['get-token', '--login', 'azurecli', '--server-id', AKS_ENTRA_SERVER_ID] }],
    }]);
    expect(text).not.toMatch(/client_key|client_certificate|"token"|password|config_path|kube_config_raw|kube_admin_config/);
  });

  it('applies exactly the objects of the photo-view chart (the ones in dist/), with the real identity client ID', () => {
    const expected = synthPhotoView(env).manifests.map((m) => JSON.parse(JSON.stringify(m).replaceAll(CLIENT_ID, '${data.azurerm_user_assigned_identity.AppIdentity.client_id}')));
    const applied = manifests.map((m) => m.manifest);
    expect(applied).toHaveLength(expected.length);
    for (const object of expected) expect(applied).toContainEqual(object);
  });

  it('waits for every Deployment to roll out, within the configured time', () => {
    expect(byKind('Deployment').length).toBeGreaterThan(0);
    for (const d of byKind('Deployment')) {
      expect(d.wait).toEqual({ rollout: true });
      expect(d.timeouts).toEqual({ create: '10m', update: '10m' });
    }
  });

  it('applies in order: namespace, configuration, Deployments, then the Services that send them traffic', () => {
    const address = (m: any) => Object.entries(json.resource.kubernetes_manifest).find(([, v]) => v === m)![0];
    const namespace = `kubernetes_manifest.${address(byKind('Namespace')[0])}`;
    const configMap = `kubernetes_manifest.${address(byKind('ConfigMap')[0])}`;
    for (const d of byKind('Deployment')) expect(d.depends_on).toEqual(expect.arrayContaining([namespace, configMap]));
    for (const s of byKind('Service')) {
      expect(s.depends_on).toEqual(expect.arrayContaining(byKind('Deployment').map((d) => `kubernetes_manifest.${address(d)}`)));
    }
  });
});

describe('apps stack options', () => {
  it('takes the rollout timeout from config', () => {
    const { manifests } = synthApps(environment('dev', { app: { rolloutTimeoutMinutes: 25 } }));
    expect(manifests.find((m) => m.manifest.kind === 'Deployment').timeouts).toEqual({ create: '25m', update: '25m' });
  });

  it('uses workload identity for kubelogin when asked (CI without the Azure CLI)', () => {
    const { json } = synthApps(environment('dev'), { kubeloginMode: 'workloadidentity' });
    expect(json.provider.kubernetes[0].exec[0].args).toContain('workloadidentity');
  });

  it('keeps manifest text literal: ${ and %{ in settings are escaped for Terraform', () => {
    const { manifests } = synthApps(environment('dev', { app: { settings: { GREETING: 'Hello ${USER} %{x}' } } }));
    expect(manifests.find((m) => m.manifest.kind === 'ConfigMap').manifest.data.GREETING).toBe('Hello $${USER} %%{x}');
    expect(escapeTemplates({ a: ['${b}'] })).toEqual({ a: ['$${b}'] });
  });

  it('fails the synth when a workload check fails', () => {
    expect(() => synthApps(environment('dev', { app: { release: { strategy: 'rolling', tag: 'latest' } } })))
      .toThrow(/environment 'dev': image tag of track 'main' is 'latest'/);
  });
});

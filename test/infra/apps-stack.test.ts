import { parse } from 'yaml';
import { AKS_ENTRA_SERVER_ID } from '../../infra/stacks/apps-stack';
import { atLeastPattern, escapeTemplates } from '../../infra/constructs/kubernetes-manifests';
import { synthPhotoView, CLIENT_ID } from '../workloads/synth';
import { environment, ENVIRONMENT_NAMES } from '../config/fixtures';
import { keyVaultSecretName, namingContext, resourceName } from '../../config';
import { only, synthApps, synthPlatform, type AppsStackJson, type ManifestResource } from './synth';

/** One kubernetes_manifest of the apps stack, as the dependency graph sees it. */
interface Node {
  address: string;
  kind: string;
  name: string;
  role?: string;
  dependsOn: string[];
  resource: ManifestResource;
}

/** The apps stack's apply graph, parsed from the synthesized depends_on. */
function applyGraph(json: AppsStackJson) {
  const nodes: Node[] = Object.entries(json.resource.kubernetes_manifest).map(([key, r]) => ({
    address: `kubernetes_manifest.${key}`,
    kind: r.manifest.kind,
    name: r.manifest.metadata.name,
    role: r.manifest.metadata.annotations?.['photo-view.io/traffic'],
    // Only the graph of the manifests; the Deployments also wait for the secret grants (tested on their own).
    dependsOn: (r.depends_on ?? []).filter((d) => d.startsWith('kubernetes_manifest.')),
    resource: r,
  }));
  const find = (kind: string, name?: string) => {
    const found = nodes.filter((n) => n.kind === kind && (name === undefined || n.name === name));
    if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
    return found[0];
  };
  /** Whether `a` is applied before `b` (b depends on a, directly or through others). */
  const before = (a: Node, b: Node): boolean => {
    const seen = new Set<string>();
    const visit = (n: Node): boolean =>
      n.dependsOn.some((d) => d === a.address || (!seen.has(d) && (seen.add(d), visit(nodes.find((x) => x.address === d)!))));
    return visit(b);
  };
  return { nodes, find, before, all: (kind: string) => nodes.filter((n) => n.kind === kind) };
}

/** The stack's azurerm_role_assignment resources by key. */
const roleAssignments = (json: AppsStackJson) =>
  ((json.resource as Record<string, unknown>).azurerm_role_assignment ?? {}) as Record<string, { scope: string; [k: string]: unknown }>;

describe.each(ENVIRONMENT_NAMES)('apps stack of %s', (name) => {
  const env = environment(name);
  type Apps = ReturnType<typeof synthApps>;
  let stack: Apps['stack'];
  let platform: Apps['platform'];
  let json: Apps['json'];
  let manifests: Apps['manifests'];
  let text: string;
  beforeAll(() => {
    ({ stack, platform, json, manifests, text } = synthApps(env));
  });
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
    expect(json.data.azurerm_kubernetes_cluster.Cluster).toMatchObject({
      name: resourceName('kubernetesCluster', naming),
      resource_group_name: resourceName('resourceGroup', naming),
    });
    expect(json.data.azurerm_user_assigned_identity.AppIdentity).toMatchObject({ name: resourceName('managedIdentity', naming, 'app') });
    expect(json.data.azurerm_kubernetes_cluster.Cluster.name).toBe(only(synthPlatform(env).json, 'azurerm_kubernetes_cluster').name);
  });

  it('authenticates the kubernetes provider with Entra ID through kubelogin, with no credentials in the output', () => {
    expect(json.provider.kubernetes).toEqual([
      {
        host: '${data.azurerm_kubernetes_cluster.Cluster.kube_config[0].host}',
        cluster_ca_certificate: '${base64decode(data.azurerm_kubernetes_cluster.Cluster.kube_config[0].cluster_ca_certificate)}',
        exec: [
          {
            api_version: 'client.authentication.k8s.io/v1beta1',
            command: 'kubelogin',
            args: ['get-token', '--login', 'azurecli', '--server-id', AKS_ENTRA_SERVER_ID],
          },
        ],
      },
    ]);
    expect(text).not.toMatch(/client_key|client_certificate|"token"|password|config_path|kube_config_raw|kube_admin_config/);
  });

  it('applies exactly the objects of the photo-view chart (the ones in dist/), with the real identity client ID', () => {
    const telemetry = 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/';
    const platform = { appIdentityClientId: CLIENT_ID, applicationInsightsConnectionString: telemetry };
    const expected = synthPhotoView(env, platform).manifests.map((m) =>
      JSON.parse(
        JSON.stringify(m)
          .replaceAll(CLIENT_ID, '${data.azurerm_user_assigned_identity.AppIdentity.client_id}')
          // Read from the resource by its derived name, as the chart gets it in dist/ from the platform output.
          .replaceAll(telemetry, '${data.azurerm_application_insights.AppInsights.connection_string}'),
      ),
    );
    const applied = manifests.map((m) => m.manifest);
    expect(applied).toHaveLength(expected.length);
    for (const object of expected) expect(applied).toContainEqual(object);
  });

  it('grants the app identity Key Vault Secrets User on each secret it mounts, and nothing on the vault', () => {
    const naming = namingContext(env);
    const vault = `/subscriptions/${env.subscriptionId}/resourceGroups/${resourceName('resourceGroup', naming)}/providers/Microsoft.KeyVault/vaults/${resourceName('keyVault', naming)}`;
    const assignments = Object.values(roleAssignments(json));
    expect(env.app.secretNames.length).toBeGreaterThan(0);
    expect(assignments).toEqual(
      env.app.secretNames.map((variable) => ({
        scope: `${vault}/secrets/${keyVaultSecretName(variable)}`,
        role_definition_name: 'Key Vault Secrets User',
        principal_id: '${data.azurerm_user_assigned_identity.AppIdentity.principal_id}',
        principal_type: 'ServicePrincipal',
        skip_service_principal_aad_check: true,
      })),
    );
    // The names the SecretProviderClass mounts, so the ones the pre-flight checks exist.
    const entries = byKind('SecretProviderClass').flatMap((m) => (parse(m.manifest.spec.parameters.objects) as { array: string[] }).array);
    const mounted = entries.map((entry) => (parse(entry) as { objectName: string }).objectName);
    expect(assignments.map((a) => a.scope.split('/secrets/')[1]).sort()).toEqual([...mounted].sort());
  });

  it('starts the pods only after their identity may read the secrets: every Deployment depends on every grant', () => {
    const grants = Object.keys(roleAssignments(json)).map((key) => `azurerm_role_assignment.${key}`);
    expect(grants).toHaveLength(env.app.secretNames.length);
    for (const d of byKind('Deployment')) expect(d.depends_on).toEqual(expect.arrayContaining(grants));
    for (const m of manifests.filter((r) => r.manifest.kind !== 'Deployment')) {
      expect((m.depends_on ?? []).filter((x) => x.startsWith('azurerm_role_assignment.'))).toEqual([]);
    }
  });

  it('waits for every Deployment to roll out, within the configured time', () => {
    expect(byKind('Deployment').length).toBeGreaterThan(0);
    for (const d of byKind('Deployment')) {
      expect(d.wait).toEqual({ rollout: true });
      expect(d.timeouts).toEqual({ create: '10m', update: '10m' });
    }
  });

  it('applies in order: namespace, configuration, serving Deployments, then the Services that send them traffic', () => {
    const g = applyGraph(json);
    const namespace = g.find('Namespace');
    const configMap = g.find('ConfigMap');
    for (const d of g.all('Deployment')) expect(g.before(namespace, d) && g.before(configMap, d)).toBe(true);
    for (const s of g.all('Service')) {
      for (const d of g.all('Deployment')) expect(g.before(d, s)).toBe(d.role === 'serving');
    }
  });
});

describe('apps stack options', () => {
  it('takes the rollout timeout from config', () => {
    const { manifests } = synthApps(environment('dev', { app: { rolloutTimeoutMinutes: 25 } }));
    expect(manifests.find((m) => m.manifest.kind === 'Deployment')?.timeouts).toEqual({ create: '25m', update: '25m' });
  });

  it('uses workload identity for kubelogin when asked (CI without the Azure CLI)', () => {
    const { json } = synthApps(environment('dev'), { kubeloginMode: 'workloadidentity' });
    expect(json.provider.kubernetes[0].exec[0].args).toContain('workloadidentity');
  });

  it('keeps manifest text literal: ${ and %{ in settings are escaped for Terraform', () => {
    const { manifests } = synthApps(environment('dev', { app: { settings: { GREETING: 'Hello ${USER} %{x}' } } }));
    expect(manifests.find((m) => m.manifest.kind === 'ConfigMap')?.manifest.data.GREETING).toBe('Hello $${USER} %%{x}');
    expect(escapeTemplates({ a: ['${b}'] })).toEqual({ a: ['$${b}'] });
    expect(escapeTemplates({ plain: 'x', braces: 'a{b}$', both: '${a}%{b}', n: 1 })).toEqual({
      plain: 'x',
      braces: 'a{b}$',
      both: '$${a}%%{b}',
      n: 1,
    });
  });

  it('fails the synth when a workload check fails', () => {
    expect(() => synthApps(environment('dev', { app: { replicas: 46 } }))).toThrow(/environment 'dev': 46 pods x .* do not fit/);
  });
});

describe('apply order by role: what a cluster sees during each release step', () => {
  const TRACK = 'photo-view.io/track';
  const graphOf = (name: string, app: Record<string, unknown>) => applyGraph(synthApps(environment(name, { app })).json);
  const blueGreen = (release: Record<string, unknown>, autoscaling = { minReplicas: 4, maxReplicas: 8 }) =>
    graphOf('staging', { release: { strategy: 'blueGreen', blueTag: '1.4.2', greenTag: '1.5.0', ...release }, autoscaling });
  const canary = (release: Record<string, unknown>) =>
    graphOf('prod', { release: { strategy: 'canary', stableTag: '1.4.2', canaryTag: '1.5.0', ...release } });

  /** The colour going live is scaled up (HPA), rolled out and has enough ready pods before the Service moves; the other follows it. */
  function expectSwitchTo(g: ReturnType<typeof applyGraph>, live: string, idle: string, minReady: number) {
    const service = g.find('Service', 'photo-view');
    expect(service.resource.manifest.spec.selector[TRACK]).toBe(live);
    const [hpa, deployment, pdb] = ['HorizontalPodAutoscaler', 'Deployment', 'PodDisruptionBudget'].map((k) => g.find(k, `photo-view-${live}`));
    expect(g.before(hpa, deployment) && g.before(deployment, pdb) && g.before(pdb, service)).toBe(true);
    expect(pdb.resource.wait).toEqual({ fields: { 'status.currentHealthy': atLeastPattern(minReady) } });
    expect(deployment.resource.wait).toEqual({ rollout: true });
    for (const kind of ['HorizontalPodAutoscaler', 'Deployment', 'PodDisruptionBudget']) {
      const losing = g.find(kind, `photo-view-${idle}`);
      expect(g.before(service, losing)).toBe(true);
      expect(g.before(losing, service)).toBe(false);
    }
  }

  it('blue/green flip: green is scaled to the HPA minimum and ready before the Service selects it; blue is pinned down after', () => {
    expectSwitchTo(blueGreen({ active: 'green' }), 'green', 'blue', 4);
  });

  it('blue/green rollback: blue before the Service, green after', () => {
    expectSwitchTo(blueGreen({ active: 'blue' }), 'blue', 'green', 4);
  });

  it('flip plus scale-down in one change: the old colour is pinned to 1 pod only after the Service moved away', () => {
    const g = blueGreen({ active: 'green', scaledDown: { colour: 'blue', replicas: 1 } });
    expectSwitchTo(g, 'green', 'blue', 4);
    expect(g.find('HorizontalPodAutoscaler', 'photo-view-blue').resource.manifest.spec).toMatchObject({ minReplicas: 1, maxReplicas: 1 });
  });

  it('blue/green without autoscaling: the live colour waits for all its replicas before the switch', () => {
    const g = graphOf('staging', {
      release: { strategy: 'blueGreen', active: 'green', blueTag: '1.4.2', greenTag: '1.5.0', scaledDown: { colour: 'blue', replicas: 0 } },
    });
    const service = g.find('Service', 'photo-view');
    expect(g.find('PodDisruptionBudget', 'photo-view-green').resource.wait?.fields?.['status.currentHealthy']).toBe(atLeastPattern(10));
    expect(g.before(g.find('Deployment', 'photo-view-green'), service)).toBe(true);
    expect(g.before(service, g.find('Deployment', 'photo-view-blue'))).toBe(true);
  });

  it('canary promotion: stable rolls out the new tag before the Services are applied; the canary goes to 0 after', () => {
    const g = canary({ stableTag: '1.5.0', canaryPercent: 0 });
    const service = g.find('Service', 'photo-view');
    expect(g.before(g.find('Deployment', 'photo-view-stable'), service)).toBe(true);
    expect(g.before(g.find('PodDisruptionBudget', 'photo-view-stable'), service)).toBe(true);
    expect(g.find('PodDisruptionBudget', 'photo-view-stable').resource.wait?.fields?.['status.currentHealthy']).toBe(atLeastPattern(10));
    expect(g.before(service, g.find('Deployment', 'photo-view-canary'))).toBe(true);
  });

  it('canary rollback (0%): stable is back at its full minimum before the canary is scaled to 0', () => {
    const g = canary({ canaryPercent: 0 });
    const stableBudget = g.find('PodDisruptionBudget', 'photo-view-stable');
    expect(stableBudget.resource.wait?.fields?.['status.currentHealthy']).toBe(atLeastPattern(10));
    expect(g.before(stableBudget, g.find('Deployment', 'photo-view-canary'))).toBe(true);
  });

  it('canary move: both tracks serve, so both are ready before the Services are applied', () => {
    const g = canary({ canaryPercent: 30 });
    const service = g.find('Service', 'photo-view');
    for (const track of ['stable', 'canary']) expect(g.before(g.find('PodDisruptionBudget', `photo-view-${track}`), service)).toBe(true);
    expect(g.find('PodDisruptionBudget', 'photo-view-canary').resource.wait?.fields?.['status.currentHealthy']).toBe(atLeastPattern(3));
  });

  it('deletes a removed ConfigMap or Deployment only after what depended on it was updated (create_before_destroy)', () => {
    const g = applyGraph(synthApps(environment('staging')).json);
    for (const n of g.nodes)
      expect([n.kind, n.resource.lifecycle]).toEqual([
        n.kind,
        ['ConfigMap', 'Deployment'].includes(n.kind) ? { create_before_destroy: true } : undefined,
      ]);
  });

  const STRATEGIES: Record<string, Record<string, unknown>> = {
    rolling: { strategy: 'rolling', tag: '1.5.0' },
    blueGreen: { strategy: 'blueGreen', active: 'green', blueTag: '1.4.2', greenTag: '1.5.0' },
    canary: { strategy: 'canary', stableTag: '1.5.0', canaryTag: '1.5.0', canaryPercent: 0 },
  };
  const transitions = Object.keys(STRATEGIES).flatMap((from) =>
    Object.keys(STRATEGIES)
      .filter((to) => to !== from)
      .map((to) => [from, to]),
  );
  const graphs: Record<string, ReturnType<typeof applyGraph>> = {};
  const strategyGraph = (strategy: string) => (graphs[strategy] ??= graphOf('staging', { release: STRATEGIES[strategy] }));

  it.each(transitions)(
    'strategy %s -> %s: the new serving Deployments are ready before the Service; the old ones are deleted after it moved',
    (from, to) => {
      const before = strategyGraph(from);
      const after = strategyGraph(to);
      const serviceBefore = before.find('Service', 'photo-view');
      const serviceAfter = after.find('Service', 'photo-view');
      const names = (g: typeof before) => g.all('Deployment').map((d) => d.name);
      const removed = before.all('Deployment').filter((d) => !names(after).includes(d.name));
      expect(removed.length).toBeGreaterThan(0);
      for (const d of removed.filter((r) => r.role === 'serving')) {
        // In state, the Service depends on it and it is create_before_destroy: Terraform deletes it after updating the Service.
        expect(before.before(d, serviceBefore)).toBe(true);
        expect(d.resource.lifecycle).toEqual({ create_before_destroy: true });
      }
      for (const d of after.all('Deployment').filter((n) => n.role === 'serving')) {
        expect(after.before(after.find('PodDisruptionBudget', d.name), serviceAfter)).toBe(true);
      }
    },
  );
});

describe('atLeastPattern (the field waiter matches ready-pod counts as text)', () => {
  it('matches exactly the integers >= n', () => {
    const wrong: string[] = [];
    for (const n of [0, 1, 2, 4, 9, 10, 19, 90, 99, 100, 101, 109, 250, 999]) {
      const re = new RegExp(atLeastPattern(n));
      for (let v = 0; v <= 1200; v++) if (re.test(String(v)) !== v >= n) wrong.push(`${v} against >= ${n}`);
    }
    expect(wrong).toEqual([]);
  });
});

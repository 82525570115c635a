import { compareObjects } from '../../scripts/diff/kubernetes';
import type { Change, JsonObject } from '../../scripts/diff/model';
import { compareOutputs, readSynthOutput } from '../../scripts/diff/compare';
import { renderText } from '../../scripts/diff/render-text';
import { synthOutput } from '../support/synth-output';
import { ENVIRONMENT_NAMES } from '../config/fixtures';
import { compareStack, KNOWN_AFTER_APPLY, type StackJson } from '../../scripts/diff/terraform';

/*
 * The comparison rules on this project's real synthesized output, changed in memory the way a commit
 * would change it: one synth, many cases.
 */
// The shipped environments' output, synthesized in this process (test/support/synth-output.ts), read in beforeAll; nothing here writes to it.
let synth: { outdir: string };
let output: ReturnType<typeof readSynthOutput>;
beforeAll(() => {
  synth = { outdir: synthOutput() };
  output = readSynthOutput(synth.outdir);
});

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
type Resources = Record<string, Record<string, JsonObject>>;
const platform = () => copy(output.stacks.get('platform-dev') as StackJson) as StackJson & { resource: Resources; terraform: JsonObject };
const only = (resources: Resources, type: string) => Object.values(resources[type])[0];
const compare = (head: StackJson) => compareStack({ environment: 'dev', stack: 'platform-dev', base: output.stacks.get('platform-dev'), head });
const byType = (changes: Change[], type: string) => changes.filter((c) => c.type === type);

describe('Terraform comparison', () => {
  it('synthesized the shipped environments', () => {
    expect([...output.stacks.keys()].sort()).toEqual(ENVIRONMENT_NAMES.flatMap((env) => [`apps-${env}`, `platform-${env}`]).sort());
    expect([...output.objects.keys()].sort()).toEqual(ENVIRONMENT_NAMES);
  });

  it('replaces what refers to a re-created resource by an argument that forces replacement', () => {
    const head = platform();
    only(head.resource, 'azurerm_container_registry').name = 'crphotoviewdevnew1';
    const changes = compare(head);
    expect(byType(changes, 'azurerm_container_registry')[0]).toMatchObject({ action: 'replace', level: 'high' });
    const grant = byType(changes, 'azurerm_role_assignment').find((c) => c.address.includes('Registry'));
    expect(grant).toMatchObject({ action: 'replace' });
    expect(grant?.attributes).toContainEqual(expect.objectContaining({ path: 'scope', new: KNOWN_AFTER_APPLY, effect: 'replace' }));
    const diagnostics = byType(changes, 'azurerm_monitor_diagnostic_setting').find((c) => c.address.includes('Registry'));
    expect(diagnostics).toMatchObject({ action: 'replace' });
    // The vault's diagnostic setting and the cluster's grants do not refer to the registry and stay.
    expect(byType(changes, 'azurerm_monitor_diagnostic_setting').some((c) => c.address.includes('KeyVault'))).toBe(false);
    expect(byType(changes, 'azurerm_role_assignment').some((c) => c.address.includes('AppTeamAccess'))).toBe(false);
  });

  it('replaces for a block the docs say forces a new resource only when the block is added or removed', () => {
    const head = platform();
    const cluster = only(head.resource, 'azurerm_kubernetes_cluster');
    const network = cluster.network_profile as JsonObject;
    expect(network.outbound_type).toBeDefined();
    network.outbound_type = 'userDefinedRouting';
    const [inBlock] = byType(compare(head), 'azurerm_kubernetes_cluster');
    expect(inBlock.action).toBe('update');
    expect(inBlock.attributes).toEqual([
      expect.objectContaining({
        path: 'network_profile.outbound_type',
        effect: 'in-place',
        basis: expect.stringContaining('network_profile forces a new resource when it is added or removed'),
      }),
    ]);
    delete cluster.network_profile;
    const [removed] = byType(compare(head), 'azurerm_kubernetes_cluster');
    expect(removed.action).toBe('replace');
  });

  it('says the apply fails when a pool must rotate without temporary_name_for_rotation', () => {
    const head = platform();
    const pool = only(head.resource, 'azurerm_kubernetes_cluster_node_pool');
    pool.vm_size = 'Standard_D8ds_v5';
    delete pool.temporary_name_for_rotation;
    const [change] = byType(compare(head), 'azurerm_kubernetes_cluster_node_pool');
    expect(change.action).toBe('rotate');
    expect(change.risks).toContainEqual(
      expect.objectContaining({
        kind: 'node-pool-rotation',
        level: 'high',
        message: expect.stringContaining('sets no temporary_name_for_rotation: the apply fails'),
      }),
    );
  });

  it('skips arguments under lifecycle.ignore_changes', () => {
    const head = platform();
    const cluster = only(head.resource, 'azurerm_kubernetes_cluster');
    expect((cluster.lifecycle as JsonObject).ignore_changes).toContain('default_node_pool[0].node_count');
    (cluster.default_node_pool as JsonObject).node_count = 7;
    expect(byType(compare(head), 'azurerm_kubernetes_cluster')).toEqual([]);
  });

  it('takes a move declared by a moved block as done, without an address risk', () => {
    const original = platform();
    const [name] = Object.keys(original.resource.azurerm_container_registry);
    // What cdktf writes for a renamed construct: the new address everywhere, and moveFromId's block.
    const head = JSON.parse(JSON.stringify(original).replaceAll(name, 'Images_1234ABCD')) as typeof original;
    const moved = { from: `azurerm_container_registry.${name}`, to: 'azurerm_container_registry.Images_1234ABCD' };
    const changes = compare({ ...head, moved: [moved] });
    const [change] = byType(changes, 'azurerm_container_registry');
    expect(change).toMatchObject({ action: 'move', from: moved.from, risks: [], notes: [expect.stringContaining('moved block')] });
    // Resources pointing at the registry follow it: no change of their own.
    expect(changes.map((c) => c.address)).toEqual([moved.to]);
  });

  it('flags lowered node pool capacity, a Kubernetes version change and API server exposure', () => {
    const head = platform();
    only(head.resource, 'azurerm_kubernetes_cluster_node_pool').max_count = 2;
    const cluster = only(head.resource, 'azurerm_kubernetes_cluster');
    cluster.kubernetes_version = '1.99';
    cluster.api_server_access_profile = { authorized_ip_ranges: ['0.0.0.0/0'] };
    const changes = compare(head);
    const [pool] = byType(changes, 'azurerm_kubernetes_cluster_node_pool');
    expect(pool.risks).toContainEqual(expect.objectContaining({ kind: 'capacity-lowered', message: expect.stringContaining('max_count 3 → 2') }));
    const [aks] = byType(changes, 'azurerm_kubernetes_cluster');
    expect(aks.risks.map((r) => r.kind).sort()).toEqual(['kubernetes-version', 'public-exposure']);
  });

  it('flags a state backend change', () => {
    const head = platform();
    ((head.terraform.backend as JsonObject).azurerm as JsonObject).key = 'elsewhere.tfstate';
    const [change] = compare(head).filter((c) => c.address === 'terraform.backend');
    expect(change.risks).toEqual([expect.objectContaining({ kind: 'state-backend', level: 'high' })]);
  });

  it('redacts arguments the azurerm schema marks sensitive', () => {
    const head = platform();
    only(head.resource, 'azurerm_kubernetes_cluster').http_proxy_config = { trusted_ca: 'LS0tLS1CRUdJTi-private-ca' };
    const [change] = byType(compare(head), 'azurerm_kubernetes_cluster');
    expect(change.attributes).toContainEqual(expect.objectContaining({ path: 'http_proxy_config.trusted_ca', new: '(sensitive)', redacted: true }));
    expect(JSON.stringify(change)).not.toContain('private-ca');
  });
});

describe('Kubernetes comparison', () => {
  const objects = (env: string) => copy(output.objects.get(env) ?? []);
  const find = (list: JsonObject[], kind: string, name: string) => {
    const o = list.find((x) => x.kind === kind && (x.metadata as JsonObject).name === name);
    expect([kind, name, o]).toEqual([kind, name, expect.anything()]);
    return o as JsonObject;
  };

  it('flags a changed Deployment selector as immutable', () => {
    const head = objects('dev');
    const selector = ((find(head, 'Deployment', 'photo-view').spec as JsonObject).selector as JsonObject).matchLabels as JsonObject;
    selector.tier = 'web';
    const change = compareObjects('dev', output.objects.get('dev') ?? [], head).find((c) => c.type === 'Deployment');
    expect(change?.attributes).toContainEqual(expect.objectContaining({ path: 'spec.selector.matchLabels.tier', effect: 'immutable' }));
    expect(change?.risks).toContainEqual(expect.objectContaining({ kind: 'immutable-field', level: 'high' }));
  });

  it('flags the deletion of a Deployment and a Service that serve traffic', () => {
    const head = objects('dev').filter((o) => !['Deployment', 'Service'].includes(String(o.kind)));
    const changes = compareObjects('dev', output.objects.get('dev') ?? [], head);
    for (const address of ['Deployment/photo-view/photo-view', 'Service/photo-view/photo-view']) {
      expect(changes.find((c) => c.address === address)).toMatchObject({
        action: 'delete',
        level: 'high',
        risks: expect.arrayContaining([expect.objectContaining({ kind: 'serving-deleted' })]),
      });
    }
  });

  it('flags fewer pods behind a Service as lowered capacity', () => {
    const head = objects('dev');
    const spec = find(head, 'Deployment', 'photo-view').spec as JsonObject;
    expect(typeof spec.replicas).toBe('number');
    spec.replicas = (spec.replicas as number) - 1;
    const risks = compareObjects('dev', output.objects.get('dev') ?? [], head).flatMap((c) => c.risks);
    expect(risks).toContainEqual(expect.objectContaining({ kind: 'capacity-lowered', address: 'Service/photo-view/photo-view' }));
  });

  it('says which colour goes live when blue/green flips', () => {
    const base = output.objects.get('staging') ?? [];
    const head = objects('staging');
    const service = find(head, 'Service', 'photo-view');
    const selector = (service.spec as JsonObject).selector as JsonObject;
    const before = selector['photo-view.io/track'];
    expect(['blue', 'green']).toContain(before);
    const after = before === 'blue' ? 'green' : 'blue';
    selector['photo-view.io/track'] = after;
    const risk = compareObjects('staging', base, head)
      .flatMap((c) => c.risks)
      .find((r) => r.kind === 'traffic');
    expect(risk?.live?.before.map((s) => [s.track, s.percent])).toEqual([[before, 100]]);
    expect(risk?.live?.after.map((s) => [s.track, s.percent])).toEqual([[after, 100]]);
    expect(risk?.message).toMatch(new RegExp(`goes live on ${after} \\(photo-view:[^)]+\\) 100 % \\(was ${before}`));
  });

  it('redacts a secret-looking environment variable value and Secret data', () => {
    const head = objects('dev');
    const container = (((find(head, 'Deployment', 'photo-view').spec as JsonObject).template as JsonObject).spec as JsonObject)
      .containers as JsonObject[];
    container[0].env = [...((container[0].env as JsonObject[] | undefined) ?? []), { name: 'API_TOKEN', value: 'tok-123-must-not-show' }];
    head.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'extra', namespace: 'photo-view' },
      stringData: { anything: 'plain-but-secret-456' },
    });
    const changes = compareObjects('dev', output.objects.get('dev') ?? [], head);
    const text = JSON.stringify(changes);
    expect(text).toContain('API_TOKEN');
    expect(text).not.toMatch(/tok-123|plain-but-secret/);
  });
});

describe('terminal format', () => {
  let report: ReturnType<typeof compareOutputs>;
  beforeAll(() => {
    const head = { stacks: new Map(output.stacks), objects: new Map(output.objects) };
    const changed = copy(output.stacks.get('platform-prod') as StackJson) as StackJson & { resource: Resources };
    only(changed.resource, 'azurerm_container_registry').location = 'northeurope';
    head.stacks.set('platform-prod', changed);
    report = compareOutputs(output, head, { base: { ref: 'main', commit: 'a'.repeat(40) }, head: { ref: 'working tree', commit: 'b'.repeat(40) } });
  });

  it('lists risks first, then each environment with old → new and why', () => {
    const text = renderText(report, false);
    expect(text.indexOf('Risks')).toBeLessThan(text.indexOf('prod (changed)'));
    expect(text).toMatch(
      /HIGH +prod platform-prod: azurerm_container_registry\.\S+ \(\S+\) is destroyed and re-created: location "westeurope" → "northeurope"/,
    );
    expect(text).toMatch(/location: "westeurope" → "northeurope" {2}replace {2}\(azurerm 4\.55\.0 docs, location: /);
    expect(text).not.toContain('\u001b[');
  });

  it('is coloured only when asked (stdout is a terminal)', () => {
    expect(renderText(report, true)).toContain('\u001b[31m');
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { estimateCost, type StackJson } from '../../cost/estimate';
import type { UsageFile } from '../../cost/usage';
import { compareOutputs, type SynthOutput } from '../../scripts/diff/compare';
import { compareCost, costGate, costHeadline, loadCostInputs, parseCostThresholds, withCost, type CostThreshold } from '../../scripts/diff/cost';
import type { DiffReport, EnvironmentCost } from '../../scripts/diff/model';
import { costSection, renderMarkdown } from '../../scripts/diff/render-markdown';
import { renderText } from '../../scripts/diff/render-text';
import { cluster, NO_USAGE, stack, testPrices } from '../cost/fixtures';
import { liveMarkup, structure } from './markdown-check';

/*
 * The cost part of `npm run diff` on small hand-made stacks and the round test prices of test/cost/fixtures.ts
 * (D2ds_v5 $0.10/h, D4ds_v5 $0.20/h, AKS uptime SLA $0.10/h, Premium registry unit $1.20/day, no D8ds_v5).
 * Every expected figure is worked out in the comment above it; a month is 730 hours.
 */
const prices = testPrices();
const estimate = (platform: StackJson) => estimateCost({ platform }, NO_USAGE, prices);
const compare = (before: StackJson | undefined, after: StackJson | undefined) =>
  compareCost(before && estimate(before), after && estimate(after), prices);

/** A cluster with an autoscaled apps pool of D4ds_v5, 1 to `maxCount` nodes. */
const withApps = (maxCount: number, overrides: Record<string, unknown> = {}) =>
  stack({
    azurerm_kubernetes_cluster: { c: cluster(overrides) },
    azurerm_kubernetes_cluster_node_pool: {
      apps: {
        name: 'apps',
        kubernetes_cluster_id: '${azurerm_kubernetes_cluster.c.id}',
        vm_size: 'Standard_D4ds_v5',
        min_count: 1,
        max_count: maxCount,
        os_disk_type: 'Ephemeral',
      },
    },
  });

describe('the cost of each environment, before and after', () => {
  it('a maxCount change moves only the max', () => {
    // System pool 1 × D2ds_v5 = $73; apps pool D4ds_v5 at $146 a node: 1 to 3 → min 219, max 73 + 438 = 511;
    // max_count 5 → max 73 + 730 = 803. The min stays 219: +0 / +292.
    const cost = compare(withApps(3), withApps(5));
    expect(cost.before).toEqual({ min: 219, max: 511, partial: false });
    expect(cost.after).toEqual({ min: 219, max: 803, partial: false });
    expect(cost.lines).toEqual([
      {
        id: 'nodes:aks-test/apps',
        description: 'node pool aks-test/apps: Standard_D4ds_v5, 1 to 5 nodes',
        before: { min: 146, max: 438 },
        after: { min: 146, max: 730 },
      },
    ]);
    expect(cost.unpriced).toEqual([]);
    expect(costHeadline(cost)).toBe('219–511 USD/month → 219–803 (±0 / +292)');
  });

  it('a tier change from Free to Standard moves both min and max', () => {
    // The uptime SLA: 730 h × $0.10 = $73 on both bounds; the node stays at $73.
    const cost = compare(
      stack({ azurerm_kubernetes_cluster: { c: cluster() } }),
      stack({ azurerm_kubernetes_cluster: { c: cluster({ sku_tier: 'Standard' }) } }),
    );
    expect([cost.before, cost.after]).toEqual([
      { min: 73, max: 73, partial: false },
      { min: 146, max: 146, partial: false },
    ]);
    expect(cost.lines).toEqual([
      {
        id: 'aks-tier:aks-test',
        description: 'AKS Standard tier, uptime SLA: aks-test',
        before: { min: 0, max: 0 },
        after: { min: 73, max: 73 },
      },
    ]);
    expect(costHeadline(cost)).toBe('73 USD/month → 146 (+73)');
  });

  it('a geo-replica adds a Premium registry unit in the replica region', () => {
    // 730 / 24 days × $1.20 = $36.50 a registry; the replica in northeurope another $36.50.
    const registry = (georeplications: unknown[]) =>
      stack({ azurerm_container_registry: { r: { name: 'crtest', location: 'westeurope', sku: 'Premium', georeplications } } });
    const cost = compare(registry([]), registry([{ location: 'northeurope' }]));
    expect(cost.lines).toEqual([
      {
        id: 'registry-replica:crtest/northeurope',
        description: expect.stringContaining('northeurope'),
        before: null,
        after: { min: 36.5, max: 36.5 },
      },
    ]);
    expect(costHeadline(cost)).toBe('36.5 USD/month → 73 (+36.5)');
  });

  it('names what has no price, counts it as nothing, and says the total is partial', () => {
    // A pool of D8ds_v5 (no row in the test prices) and its managed OS disk (no size set): unpriced after, total unchanged.
    const bigPool = stack({
      azurerm_kubernetes_cluster: { c: cluster() },
      azurerm_kubernetes_cluster_node_pool: {
        big: { name: 'big', kubernetes_cluster_id: '${azurerm_kubernetes_cluster.c.id}', vm_size: 'Standard_D8ds_v5', min_count: 2, max_count: 4 },
      },
    });
    const cost = compare(stack({ azurerm_kubernetes_cluster: { c: cluster() } }), bigPool);
    expect(cost.after).toEqual({ min: 73, max: 73, partial: true });
    expect(cost.lines).toEqual([]);
    expect(cost.unpriced).toEqual([
      {
        id: 'nodes:aks-test/big',
        what: 'node pool aks-test/big: Standard_D8ds_v5, 2 to 4 nodes',
        why: 'no price for Linux VM Standard_D8ds_v5 in westeurope in the snapshot',
        side: 'after',
      },
      expect.objectContaining({ id: 'os-disk:aks-test/big', side: 'after' }),
    ]);
    expect(costHeadline(cost)).toBe('73 USD/month, unchanged; partial: 2 unpriced, not counted');
  });
});

describe('the JSON of npm run diff: cost per environment', () => {
  const output = (stacks: Record<string, StackJson>): SynthOutput => ({
    stacks: new Map(Object.entries(stacks)) as SynthOutput['stacks'],
    objects: new Map(),
  });
  const usage: UsageFile = { defaults: NO_USAGE, environments: {} };
  // dev: Free → Standard (+73); qa: added (1 node, $73); old: removed (1 node, $73).
  const base = output({ 'platform-dev': withApps(3), 'platform-old': stack({ azurerm_kubernetes_cluster: { c: cluster() } }) });
  const head = output({
    'platform-dev': withApps(3, { sku_tier: 'Standard' }),
    'platform-qa': stack({ azurerm_kubernetes_cluster: { c: cluster() } }),
  });
  const report = withCost(
    compareOutputs(base, head, { base: { ref: 'main', commit: 'a' }, head: { ref: 'working tree', commit: 'b' } }),
    base,
    head,
    {
      prices,
      usage: { before: usage, after: usage },
    },
  );
  const costOf = (name: string) => report.environments.find((e) => e.name === name)?.cost;

  it('has before, after, currency, pricesAsOf, the lines that differ and the unpriced items on every environment', () => {
    expect(report.environments.map((e) => [e.name, e.status])).toEqual([
      ['dev', 'changed'],
      ['old', 'removed'],
      ['qa', 'added'],
    ]);
    expect(JSON.parse(JSON.stringify(costOf('dev')))).toEqual({
      before: { min: 219, max: 511, partial: false },
      after: { min: 292, max: 584, partial: false },
      currency: 'USD',
      pricesAsOf: '2026-11-30',
      lines: [
        { id: 'aks-tier:aks-test', description: 'AKS Standard tier, uptime SLA: aks-test', before: { min: 0, max: 0 }, after: { min: 73, max: 73 } },
      ],
      unpriced: [],
    });
  });

  it('has a null side for an environment added or removed', () => {
    expect(costOf('qa')).toMatchObject({ before: null, after: { min: 73, max: 73 } });
    expect(costOf('qa')?.lines.every((l) => l.before === null)).toBe(true);
    expect(costOf('old')).toMatchObject({ before: { min: 73, max: 73 }, after: null });
    expect(costHeadline(costOf('qa')!)).toBe('new: 73 USD/month');
    expect(costHeadline(costOf('old')!)).toBe('73 USD/month → removed (-73)');
  });

  it('shows the delta per environment first, then the changed lines, in Markdown and text', () => {
    const markdown = renderMarkdown(report);
    const section = markdown.slice(markdown.indexOf('**Monthly cost**'));
    expect(section).toMatch(/^\*\*Monthly cost\*\* \(estimate in USD at the prices of 2026-11-30/);
    expect(section).toContain('- **dev**: 219–511 USD/month → 292–584 (+73)\n');
    expect(section).toContain('- **qa**: new: 73 USD/month\n');
    expect(section.indexOf('- **dev**')).toBeLessThan(section.indexOf('| Environment | Line |'));
    expect(section).toContain('| **dev** | AKS Standard tier, uptime SLA: aks-test | 0 | 73 | +73 |');
    expect(markdown.indexOf('**Monthly cost**')).toBeLessThan(markdown.indexOf('| Environment | Status |'));
    const text = renderText(report, false);
    expect(text).toContain('  dev: 219–511 USD/month → 292–584 (+73)\n      AKS Standard tier, uptime SLA: aks-test: 0 → 73 (+73)');
  });

  it('cuts the changed lines and the unpriced items before the estimates and the summary table when too long', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ id: `u${i}`, what: `meter ${i}`, why: 'no price in the snapshot', side: 'both' as const }));
    const long: DiffReport = {
      ...report,
      environments: report.environments.map((e) => ({
        ...e,
        cost: { ...e.cost!, after: e.cost!.after && { ...e.cost!.after, partial: true }, unpriced: many },
      })),
    };
    expect(renderMarkdown(long)).toContain('… and 350 more (see the JSON');
    const trimmed = renderMarkdown(long, 4000);
    expect(trimmed.length).toBeLessThanOrEqual(4000);
    expect(trimmed).toContain('- **dev**: 219–511 USD/month → 292–584 (+73); partial: 150 unpriced, not counted');
    expect(trimmed).toContain('The changed lines and the unpriced items are cut to fit the comment');
    expect(trimmed).toContain('| Environment | Status |');
  });

  it('says why there is no cost when the inputs could not be read', () => {
    const broken: DiffReport = {
      ...compareOutputs(base, head, { base: report.base, head: report.head }),
      costError: 'cost/price-snapshot.json is not JSON',
    };
    expect(costSection(broken)).toEqual(['**Monthly cost**', '', 'Not computed: cost/price-snapshot.json is not JSON', '']);
    expect(renderText(broken, false)).toContain('Monthly cost\n  not computed: cost/price-snapshot.json is not JSON');
    expect(costGate(broken, [{ item: 'cost:+20%', amount: 20, percent: true }])).toEqual([
      'cost not computed (cost:+20%): cost/price-snapshot.json is not JSON',
    ]);
  });

  it('escapes every value it shows', () => {
    const hostile = '`x` | *y* <b>z</b> [l](https://evil.example) @someone\n# heading';
    const cost: EnvironmentCost = {
      ...costOf('dev')!,
      currency: hostile,
      pricesAsOf: hostile,
      lines: [{ id: hostile, description: hostile, before: null, after: { min: 1, max: 2 } }],
      unpriced: [{ id: hostile, what: hostile, why: hostile, side: 'after' }],
    };
    const named = (name: string): DiffReport => ({ ...report, environments: [{ name, status: 'changed', stacks: [], cost }] });
    const markdown = costSection(named(hostile)).join('\n');
    expect(liveMarkup(markdown)).toEqual([]);
    expect(structure(markdown)).toEqual(structure(costSection(named('dev')).join('\n').replaceAll('dev', 'x')));
  });
});

describe('--fail-on cost:…', () => {
  it('reads a percentage or an amount, with or without the plus', () => {
    expect(parseCostThresholds(['replace', 'cost:+20%', 'cost:12.5%', 'cost:+500', 'high'])).toEqual({
      thresholds: [
        { item: 'cost:+20%', amount: 20, percent: true },
        { item: 'cost:12.5%', amount: 12.5, percent: true },
        { item: 'cost:+500', amount: 500, percent: false },
      ],
    });
  });

  it.each(['cost:', 'cost:+', 'cost:-5%', 'cost:+20 %', 'cost:+20%%', 'cost:twenty', 'cost:+1e3', 'cost:+5$'])('refuses %s with one line', (item) => {
    const parsed = parseCostThresholds([item]);
    expect('error' in parsed && parsed.error).toMatch(/^--fail-on '[^']*' is not a cost threshold; write cost:\+20% .* or cost:\+500 /);
    expect('error' in parsed && parsed.error).not.toContain('\n');
  });

  const withTotals = (before: [number, number] | null, after: [number, number] | null, unpriced: EnvironmentCost['unpriced'] = []): DiffReport => ({
    base: { ref: 'main', commit: 'a' },
    head: { ref: 'head', commit: 'b' },
    risks: [],
    changes: [],
    environments: [
      {
        name: 'dev',
        status: 'changed',
        stacks: [],
        cost: {
          before: before && { min: before[0], max: before[1], partial: false },
          after: after && { min: after[0], max: after[1], partial: false },
          currency: 'USD',
          pricesAsOf: '2026-11-30',
          lines: [],
          unpriced,
        },
      },
    ],
  });
  const percent = (amount: number): CostThreshold => ({ item: `cost:+${amount}%`, amount, percent: true });
  const absolute = (amount: number): CostThreshold => ({ item: `cost:+${amount}`, amount, percent: false });

  it('matches a rise of more than the percentage, of the max or of the min', () => {
    // 100 → 120 is exactly 20 %: not more. 100 → 120.01 is.
    expect(costGate(withTotals([100, 100], [120, 120]), [percent(20)])).toEqual([]);
    expect(costGate(withTotals([100, 1000], [100, 1200.01]), [percent(20)])).toEqual([
      'dev: monthly max 1,000 → 1,200 USD (+200, +20 %) rises more than +20%',
    ]);
    // The min: 10 → 13 (+30 %); the max 100 → 103 (+3 %).
    expect(costGate(withTotals([10, 100], [13, 103]), [percent(20)])).toEqual(['dev: monthly min 10 → 13 USD (+3, +30 %) rises more than +20%']);
    // Falling costs never match.
    expect(costGate(withTotals([100, 200], [10, 20]), [percent(0), absolute(0)])).toEqual([]);
  });

  it('matches a rise of more than the amount in the snapshot currency', () => {
    expect(costGate(withTotals([1000, 2000], [1400, 2500]), [absolute(500)])).toEqual([]);
    expect(costGate(withTotals([1000, 2000], [1400, 2500.5]), [absolute(500)])).toEqual([
      'dev: monthly max 2,000 → 2,501 USD (+501, +25 %) rises more than +500',
    ]);
  });

  it('takes an added environment as a rise from 0, and a removed one as none', () => {
    expect(costGate(withTotals(null, [73, 73]), [percent(20)])).toEqual([
      'dev: monthly min 0 → 73 USD (+73) rises more than +20%',
      'dev: monthly max 0 → 73 USD (+73) rises more than +20%',
    ]);
    expect(costGate(withTotals([73, 73], null), [percent(20), absolute(0)])).toEqual([]);
  });

  it('matches what becomes unpriced: a rise nobody can measure is not passed as none', () => {
    const newly = [{ id: 'nodes:x', what: 'node pool x: Standard_D8ds_v5', why: 'no price', side: 'after' as const }];
    expect(costGate(withTotals([100, 100], [100, 100], newly), [percent(20)])).toEqual([
      'dev: cost:+20% cannot be checked: unpriced after the change, priced or absent before: node pool x: Standard_D8ds_v5',
    ]);
    // Unpriced on both sides: the totals compare like with like.
    expect(costGate(withTotals([100, 100], [100, 100], [{ ...newly[0], side: 'both' }]), [percent(20)])).toEqual([]);
  });
});

describe('the cost inputs of both sides', () => {
  const root = path.resolve(__dirname, '../..');
  const tree = (files: Record<string, string>) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-tree-'));
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content);
    }
    return dir;
  };
  const usage = (gb: number) =>
    `defaults: { logAnalyticsGbPerDay: ${gb}, applicationInsightsGbPerDay: 0, prometheusSamplesPerMinute: 0, keyVaultOperationsPerMonth: 0, internetEgressGbPerMonth: 0, loadBalancerGbProcessedPerMonth: 0 }\n`;
  const prices = fs.readFileSync(path.join(root, 'cost/price-snapshot.json'), 'utf8');

  it('prices both sides with the head’s snapshot, each with its own usage (the head’s when the base has none or a broken one)', () => {
    const head = tree({ 'cost/price-snapshot.json': prices, 'cost/usage.yaml': usage(2) });
    expect(loadCostInputs(tree({ 'cost/usage.yaml': usage(1) }), head, root).usage.before.defaults.logAnalyticsGbPerDay).toBe(1);
    expect(loadCostInputs(tree({}), head, root).usage.before.defaults.logAnalyticsGbPerDay).toBe(2);
    expect(loadCostInputs(tree({ 'cost/usage.yaml': 'defaults: 1\n' }), head, root).usage.before.defaults.logAnalyticsGbPerDay).toBe(2);
  });

  it('names a head file that does not read by its path in the tree, not the temporary folder', () => {
    const head = tree({ 'cost/price-snapshot.json': '{ not json', 'cost/usage.yaml': usage(1) });
    expect(() => loadCostInputs(tree({}), head, root)).toThrow(/^cost\/price-snapshot\.json is not JSON: /);
  });
});

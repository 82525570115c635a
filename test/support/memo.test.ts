import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PHOTO_VIEW_CONTRACT } from '../../workloads/photo-view/contract';
import { environment } from '../config/fixtures';
import { readYaml } from './yaml';
import { synthApps, synthPlatform } from '../infra/synth';
import { synthPhotoView } from '../workloads/synth';
import { memoize, memoKey } from './memo';

/*
 * The memos of the test helpers (memo.ts, the synth helpers, readYaml): the same input is computed once,
 * any difference in the input is computed again, and no caller sees what another changed.
 */
describe('memoize', () => {
  it('computes once per input, again for a different input', () => {
    const calls: string[] = [];
    const twice = memoize((value: { n: number }) => (calls.push(JSON.stringify(value)), value.n * 2));
    expect([twice({ n: 1 }), twice({ n: 1 }), twice({ n: 2 })]).toEqual([2, 2, 4]);
    expect(calls).toEqual(['{"n":1}', '{"n":2}']);
    expect(twice.size()).toBe(2);
  });

  it('refuses input that JSON would not describe exactly', () => {
    expect(() => memoKey({ a: new Map([['x', 1]]) })).toThrow('input.a is not plain data (Map)');
    expect(() => memoKey([{ when: new Date(0) }])).toThrow('input[0].when is not plain data (Date)');
    expect(() => memoKey({ f: () => 1 })).toThrow('input.f is not plain data (function)');
    expect(() => memoKey({ n: NaN })).toThrow('input.n is NaN, which JSON cannot hold');
    expect(memoKey([{ a: 1, b: [true, null, 'x'] }])).toBe('[{"a":1,"b":[true,null,"x"]}]');
  });
});

describe('the synth helpers', () => {
  it('synthesize an environment once, and again when anything in it differs', () => {
    expect(synthPlatform(environment('dev')).stack).toBe(synthPlatform(environment('dev')).stack);
    expect(synthPlatform(environment('dev', { tags: { team: 'a' } })).stack).not.toBe(synthPlatform(environment('dev')).stack);
    expect(synthApps(environment('dev')).stack).toBe(synthApps(environment('dev')).stack);
    expect(synthApps(environment('dev'), { kubeloginMode: 'workloadidentity' }).stack).not.toBe(synthApps(environment('dev')).stack);
    expect(synthPhotoView(environment('dev')).chart).toBe(synthPhotoView(environment('dev')).chart);
    expect(synthPhotoView(environment('dev'), { appIdentityClientId: 'other' }).chart).not.toBe(synthPhotoView(environment('dev')).chart);
  });

  it('give every caller its own copy of the JSON and manifests', () => {
    const first = synthPlatform(environment('dev'));
    first.json.resource.azurerm_resource_group = {};
    expect(Object.keys(synthPlatform(environment('dev')).json.resource.azurerm_resource_group)).toHaveLength(1);
    const apps = synthApps(environment('dev'));
    apps.manifests.length = 0;
    apps.json.resource.kubernetes_manifest = {};
    expect(synthApps(environment('dev')).manifests.length).toBeGreaterThan(5);
    const chart = synthPhotoView(environment('dev'));
    chart.one('Service', 'photo-view').metadata.name = 'changed';
    chart.problems.push('changed');
    expect(synthPhotoView(environment('dev')).find('Service', 'photo-view')).toHaveLength(1);
    expect(synthPhotoView(environment('dev')).problems).toEqual([]);
  });

  it('synthesize again when the image contract, read by the chart besides its props, was replaced', () => {
    const port = (manifests: ReturnType<typeof synthPhotoView>['manifests']) =>
      manifests.find((m) => m.kind === 'Deployment')?.spec.template.spec.containers[0].ports[0].containerPort;
    expect(port(synthPhotoView(environment('prod')).manifests)).toBe(PHOTO_VIEW_CONTRACT.port);
    jest.replaceProperty(PHOTO_VIEW_CONTRACT, 'port', 9393);
    try {
      expect(port(synthPhotoView(environment('prod')).manifests)).toBe(9393);
      expect(port(synthApps(environment('prod')).manifests.map((r) => r.manifest))).toBe(9393);
    } finally {
      jest.restoreAllMocks();
    }
    expect(port(synthPhotoView(environment('prod')).manifests)).toBe(PHOTO_VIEW_CONTRACT.port);
  });
});

describe('readYaml', () => {
  it('reads the file every time: an edited file gives its new data; each caller gets its own copy', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-yaml-'));
    try {
      const file = path.join(dir, 'env.yaml');
      fs.writeFileSync(file, 'a: 1\nlist: [x]\n');
      const first = readYaml(file);
      expect(first).toEqual({ a: 1, list: ['x'] });
      first.list.push('changed');
      expect(readYaml(file)).toEqual({ a: 1, list: ['x'] });
      fs.writeFileSync(file, 'a: 2\nlist: [x]\n');
      expect(readYaml(file)).toEqual({ a: 2, list: ['x'] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

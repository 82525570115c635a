import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readInputFile } from '../../policy/inputs';
// oxlint-disable-next-line typescript/no-require-imports -- the module object itself, whose export policy/inputs.ts calls (an import namespace cannot be spied on)
const yaml = require('yaml') as typeof import('yaml');

/*
 * policy/inputs.ts parses a YAML text once however often it is read (validating a base and a head output
 * meets the same files again), and every read still gets its own values, its own file name and the
 * errors in the order the documents give them.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-inputs-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const STREAM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n';

describe('reading Kubernetes YAML', () => {
  it('parses a text once, however many files and reads carry it', () => {
    const parse = jest.spyOn(yaml, 'parseAllDocuments');
    try {
      const base = readInputFile(write('base/photo-view-dev.k8s.yaml', `${STREAM}# once\n`));
      const head = readInputFile(write('head/photo-view-dev.k8s.yaml', `${STREAM}# once\n`));
      expect(parse).toHaveBeenCalledTimes(1);
      expect(head.kubernetes.map((o) => [o.id, o.source])).toEqual([
        ['ConfigMap/a', { file: head.file, line: 1 }],
        ['Service/b', { file: head.file, line: 8 }],
      ]);
      expect(base.kubernetes.map((o) => o.source.file)).toEqual([base.file, base.file]);
      expect([base.unit, head.unit]).toEqual(['photo-view-dev', 'photo-view-dev']);
    } finally {
      parse.mockRestore();
    }
  });

  it('gives every read values of its own', () => {
    const file = write('own.yaml', `${STREAM}# own\n`);
    const data = (read: ReturnType<typeof readInputFile>) => (read.kubernetes[0].value as unknown as { data: Record<string, string> }).data;
    data(readInputFile(file)).k = 'changed';
    expect(data(readInputFile(file)).k).toBe('v');
  });

  it('reports the first bad document first, read again or not', () => {
    const text = 'name: no-kind\n---\nkey: [unclosed\n';
    for (const name of ['first.yaml', 'again.yaml']) {
      const file = write(name, text);
      expect(() => readInputFile(file)).toThrow(`${file}:1: not a Kubernetes object (apiVersion and kind are required)`);
    }
    const syntax = write('syntax.yaml', 'key: [unclosed\n---\nname: no-kind\n');
    expect(() => readInputFile(syntax)).toThrow(new RegExp(`^${syntax.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: YAML syntax: `));
    expect(() => readInputFile(syntax)).toThrow(/YAML syntax/);
  });
});

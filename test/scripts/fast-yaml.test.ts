import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Yaml } from 'cdk8s';
import type * as YamlLibrary from 'yaml';
import { loadEnvironments } from '../../config';
import { ENVIRONMENTS_DIR } from '../config/fixtures';
import { synthPhotoView } from '../workloads/synth';

/*
 * scripts/fast-yaml.cjs prints manifests without building the yaml library's document tree. It must print
 * exactly what the library prints, or say it cannot (undefined) so that the library prints that object.
 */
// oxlint-disable-next-line typescript/no-require-imports -- the printer is a CommonJS build script
const fastYaml = require('../../scripts/fast-yaml.cjs') as { stringifyBlockYaml(yaml: typeof YamlLibrary, value: unknown): string | undefined };
// oxlint-disable-next-line typescript/no-require-imports -- the same helper the bundle and the tests load cdk8s through
const { rewriteFile } = require('../../scripts/fast-resolve.cjs') as { rewriteFile(file: string, source: Buffer): string | undefined };

/** The copy of `yaml` cdk8s prints with. */
const YAML = createRequire(require.resolve('cdk8s'))('yaml') as typeof YamlLibrary;
const OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;
const library = (value: unknown) => YAML.stringify(value, OPTIONS);
const fast = (value: unknown) => fastYaml.stringifyBlockYaml(YAML, value);

describe('the manifest printer (scripts/fast-yaml.cjs)', () => {
  const environments = loadEnvironments(ENVIRONMENTS_DIR, { warn: () => undefined });

  it.each(environments.map((e) => [e.name, e]))("prints every object of %s's chart itself, as the library prints it", (_name, environment) => {
    const { manifests } = synthPhotoView(environment);
    expect(manifests.length).toBeGreaterThan(10);
    for (const manifest of manifests) {
      const printed = fast(manifest);
      expect({ kind: manifest.kind, printed }).toEqual({ kind: manifest.kind, printed: library(manifest) });
    }
  });

  it('is what cdk8s prints with, in the tests as in the synth bundle (the rewrite of cdk8s/lib/yaml.js)', () => {
    const file = require.resolve('cdk8s/lib/yaml.js');
    expect(rewriteFile(file, fs.readFileSync(file))).toContain('fastYaml_1.stringifyBlockYaml(YAML, r) ?? YAML.stringify(r,');
    // oxlint-disable-next-line typescript/no-require-imports -- the module instance cdk8s's yaml.js requires
    const printer = require(path.resolve(__dirname, '../../scripts/fast-yaml.cjs'));
    const spy = jest.spyOn(printer, 'stringifyBlockYaml');
    try {
      const object = { apiVersion: 'v1', kind: 'ConfigMap', data: { 'settings.json': '{\n  "a": 1\n}\n' } };
      expect(Yaml.stringify(object)).toBe(library(object));
      expect(spy).toHaveReturnedWith(library(object));
    } finally {
      spy.mockRestore();
    }
  });

  it.each([
    [
      'an object reached twice (the library writes an anchor and an alias)',
      (() => {
        const labels = { app: 'x' };
        return { a: labels, b: labels };
      })(),
    ],
    ['a control character', { a: 'bell\u0007' }],
    ['a multi-line string the library double-quotes', { a: 'x\n  ' }],
    ['the merge key', { '<<': { a: 1 } }],
    ['a block scalar that keeps trailing newlines', { a: 'one\ntwo\n\n' }],
    ['NaN', { a: Number.NaN }],
    ['-0', { a: -0 }],
    ['a Date', { a: new Date(0) }],
    ['an object with toJSON', { a: { toJSON: () => 'x' } }],
    ['a key longer than 1024 characters', { ['k'.repeat(1100)]: 1 }],
    ['an empty object', {}],
    ['an array at the top', [1]],
  ])('leaves %s to the library', (_what, value) => {
    expect(fast(value)).toBeUndefined();
  });

  // Strings that each rule of the library's string printer treats differently.
  const STRINGS = [
    '',
    ' ',
    'a',
    'photo-view',
    'app.kubernetes.io/name',
    'x:y',
    'x: y',
    'x #y',
    'x#y',
    '#x',
    '-',
    '-x',
    '- x',
    '?',
    '? x',
    ':x',
    'x:',
    'x ',
    ' x',
    "it's",
    'say "hi"',
    `both ' and "`,
    'back\\slash',
    'tab\there',
    'true',
    'True',
    'yes',
    'No',
    'on',
    'OFF',
    'y',
    'n',
    '~',
    'null',
    'NULL',
    '0',
    '42',
    '-1',
    '+1',
    '0x1F',
    '0o17',
    '017',
    '0b101',
    '1_000',
    '3.14',
    '.5',
    '1e3',
    '1.5e-3',
    '.inf',
    '-.Inf',
    '.nan',
    '190:20:30',
    '2026-11-23',
    '2026-11-23T10:00:00Z',
    '<<',
    '=',
    '---',
    '---x',
    '...',
    '%x',
    '@x',
    '`x',
    '!x',
    '&x',
    '*x',
    '|',
    '>',
    '[x]',
    '{x}',
    'a,b',
    'é',
    'emoji 🚀',
    'x\ny',
    'x\ny\n',
    'x\n\ny\n',
    '\nx\n',
    ' x\ny\n',
    'x\n  y\n',
    'x\ny \n',
    'line\n---\nline\n',
    '%x\ny\n',
    'a: 1\nb: 2\n',
    "'q'\nx",
    '"q"\nx',
    'x\n\n\ny',
    'x\t\ny\n',
    'k'.repeat(30),
  ];
  const KEYS = ['a', 'name', 'app.kubernetes.io/name', '80', 'true', 'x y', 'x: y', "it's", '-', '?x', '---', '<<', 'é', 'null', 'k'.repeat(40)];

  /** A deterministic pseudo-random generator (mulberry32): the same objects on every run. */
  function random(seed: number) {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function generate(next: () => number, depth: number): unknown {
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
    const roll = next();
    if (depth > 3 || roll < 0.45) {
      return pick<unknown>([pick(STRINGS), pick(STRINGS), pick(STRINGS), 0, 7, -3, 2.5, 1e21, 123456789012, true, false, null, undefined]);
    }
    const size = Math.floor(next() * 4);
    if (roll < 0.7) return Array.from({ length: size }, () => generate(next, depth + 1));
    return Object.fromEntries(Array.from({ length: size }, () => [next() < 0.5 ? pick(KEYS) : pick(STRINGS), generate(next, depth + 1)]));
  }

  it('prints 800 generated objects with tricky strings as the library does, or leaves them to it', () => {
    const next = random(20261123);
    let printed = 0;
    for (let i = 0; i < 800; i++) {
      const value = { kind: 'Generated', [KEYS[i % KEYS.length]]: generate(next, 0), spec: generate(next, 0) };
      const text = fast(value);
      if (text === undefined) continue;
      printed++;
      if (text !== library(value)) expect({ value, text }).toEqual({ value, text: library(value) });
    }
    // Most of them go the fast way, so the comparison covers the printer, not only its refusals.
    expect(printed).toBeGreaterThan(500);
  });
});

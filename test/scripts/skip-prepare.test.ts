import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformResource } from '../../infra/cdktf';
import { PlatformStack } from '../../infra/stacks/platform-stack';
import { AppsStack } from '../../infra/stacks/apps-stack';
import { environment } from '../config/fixtures';
import { crossStackApp } from './fixtures/cross-stack-app';
// oxlint-disable-next-line typescript/no-require-imports -- a CommonJS script without type declarations
const { needsPrepare, withoutPrepare } = require('../../scripts/skip-prepare.cjs') as {
  needsPrepare(error: unknown): boolean;
  withoutPrepare<T>(fn: () => T): T;
};

/*
 * The rewrite of cdktf's app.js and tfExpression.js (scripts/fast-resolve.cjs), which the tests load as synth
 * does: with the switch (scripts/skip-prepare.cjs), App.synth() skips the prepare pass, writes the same
 * files, and stops with a marked error on a cross-stack reference, the one thing that pass is for; without
 * it, cdktf runs as published. The bundle's answer to that error is tested in fast-resolve.e2e.test.ts.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skip-prepare-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every file an app wrote, by path under its outdir. */
function written(outdir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(outdir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [path.relative(outdir, path.join(e.parentPath, e.name)), fs.readFileSync(path.join(e.parentPath, e.name), 'utf8')]),
  );
}

/** Synthesizes the shipped prod environment's stacks into a new folder; the files and how often elements were turned into Terraform. */
function synthProd(name: string) {
  const app = new App({ outdir: path.join(tmp, name), stackTraces: false });
  const platform = new PlatformStack(app, { environment: environment('prod') });
  new AppsStack(app, { environment: environment('prod'), platform });
  const toTerraform = jest.spyOn(TerraformResource.prototype, 'toTerraform');
  try {
    app.synth();
    return { files: written(app.outdir), calls: toTerraform.mock.calls.length };
  } finally {
    toTerraform.mockRestore();
  }
}

describe("cdktf's prepare pass, skipped on request", () => {
  it('is skipped with the switch: every element is turned into Terraform once instead of twice, and the files are the same', () => {
    const published = synthProd('published');
    const skipped = withoutPrepare(() => synthProd('skipped'));
    expect(skipped.calls).toBeGreaterThan(20);
    expect(published.calls).toBe(2 * skipped.calls);
    expect(Object.keys(skipped.files).sort()).toEqual(Object.keys(published.files).sort());
    expect(skipped.files).toEqual(published.files);
  });

  it('stops with the marked error on a cross-stack reference, which the published pass turns into an output and a remote state', () => {
    let thrown: unknown;
    try {
      withoutPrepare(() => crossStackApp(new App({ outdir: path.join(tmp, 'cross-skipped'), stackTraces: false })).synth());
    } catch (error) {
      thrown = error;
    }
    expect(needsPrepare(thrown)).toBe(true);
    expect(needsPrepare(new Error('other'))).toBe(false);

    const app = crossStackApp(new App({ outdir: path.join(tmp, 'cross-published'), stackTraces: false }));
    app.synth();
    const files = written(app.outdir);
    const consumer = JSON.parse(files[path.join('stacks', 'consumer', 'cdk.tf.json')]);
    expect(Object.keys(consumer.data.terraform_remote_state)).toEqual(['cross-stack-reference-input-origin']);
    expect(Object.keys(JSON.parse(files[path.join('stacks', 'origin', 'cdk.tf.json')]).output)).toHaveLength(2);
  });

  it('leaves the switch as it was, also when the app throws', () => {
    const key = Symbol.for('aks-environments.cdktf-skip-prepare');
    expect((globalThis as Record<symbol, unknown>)[key]).toBeUndefined();
    expect(() =>
      withoutPrepare(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect((globalThis as Record<symbol, unknown>)[key]).toBeUndefined();
  });
});

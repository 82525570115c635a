import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PHOTO_VIEW_CONTRACT } from '../../workloads/photo-view/contract';
import { memoKey } from './memo';
import { synthOutput, synthOutputInput } from './synth-output';

/*
 * synthOutput() is made once per test file and input (memo.ts): that input must change with everything the
 * apps read, and a new input must really synthesize again.
 */
const ROOT = path.resolve(__dirname, '../..');
const key = () => memoKey(synthOutputInput());

describe('the in-process synth output, kept per test file', () => {
  let environments: string;
  beforeEach(() => {
    environments = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-output-input-'));
    fs.cpSync(path.join(ROOT, 'test/fixtures/environments'), environments, { recursive: true });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(environments, { recursive: true, force: true });
  });

  it('has an input that changes with an environment file, an environment variable and the chart contract', () => {
    jest.replaceProperty(process, 'env', { ...process.env, ENVIRONMENTS_DIR: environments });
    const before = key();
    fs.appendFileSync(path.join(environments, 'dev.yaml'), '\n# edited\n');
    const edited = key();
    process.env.STATE_BACKEND = 'local';
    const variable = key();
    jest.replaceProperty(PHOTO_VIEW_CONTRACT, 'port', 9393);
    expect(new Set([before, edited, variable, key()]).size).toBe(4);
  });

  it('synthesizes again, in the same file, for another input', () => {
    jest.replaceProperty(process, 'env', { ...process.env, ENVIRONMENTS_DIR: environments, SYNTH_ENVIRONMENTS: 'dev' });
    const dir = synthOutput();
    const files = (sub: string) => fs.readdirSync(path.join(dir, sub)).sort();
    expect([files('cdktf.out/stacks'), files('dist')]).toEqual([['apps-dev', 'platform-dev'], ['photo-view-dev.k8s.yaml']]);
    fs.appendFileSync(path.join(environments, 'dev.yaml'), '\n# edited\n');
    const again = synthOutput();
    expect(again).not.toBe(dir);
    expect(fs.readdirSync(path.join(again, 'dist'))).toEqual(['photo-view-dev.k8s.yaml']);
  });
});

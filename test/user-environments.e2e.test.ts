import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ENVIRONMENT_SETS, writeEnvironmentSet, type EnvironmentSet } from './support/environment-sets';
import { userEnvironmentProblems } from './support/user-environments';

/*
 * Teams replace the sample environments with their own. The checks of the user's folder pass for the
 * sets they make: the samples plus qa, one environment of another name, five in five regions with other
 * VM sizes. (No other test reads environments/; .ci/run also runs the unit tier with one swapped in.)
 */
describe('the checks of the user environments, on sets users make', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'environment-sets-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each(Object.keys(ENVIRONMENT_SETS) as EnvironmentSet[])('%s', (set) => {
    const dir = path.join(root, set);
    const written = writeEnvironmentSet(set, dir);
    const { names, problems } = userEnvironmentProblems(dir);
    expect(names).toEqual(written);
    expect(problems).toEqual([]);
  });

  it('finds what is wrong: a guardrail broken without a waiver', () => {
    const dir = path.join(root, 'broken');
    writeEnvironmentSet('single', dir);
    const file = path.join(dir, 'sandbox.yaml');
    // The dev fixture's public load balancer is accepted by a waiver (NET004); without it, the guardrail fails.
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^waivers:[\s\S]*$/m, ''));
    expect(userEnvironmentProblems(dir).problems).toEqual([expect.stringMatching(/^guardrail NET004 sandbox: Service\/photo-view\/photo-view/)]);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { deployOrderProblems, deployStages, loadEnvironments, MAX_DEPLOY_STAGES, parseEnvironment, type DeployNode } from '../../config';
import { configErrorOf, rawEnvironment } from './fixtures';

/** Every folder this file creates, removed at the end. */
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-order-test-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** An environment for the pure functions: a name and what it deploys after. */
const node = (name: string, after: string[] = []): DeployNode => ({ name, deploy: { after, runner: 'ubuntu-latest' } });

/** A fixture file with a public network, its `deploy` block replaced. */
const publicEnvironment = (deploy?: Record<string, unknown>) => {
  const { deploy: _, ...raw } = rawEnvironment('dev');
  return deploy ? { ...raw, deploy } : raw;
};

/** A fixture file with a private API server and private endpoints, its `deploy` block replaced. */
const privateEnvironment = (deploy?: Record<string, unknown>) => {
  const { deploy: _, ...raw } = rawEnvironment('prod');
  return deploy ? { ...raw, deploy } : raw;
};

/** A folder of environment files (name -> `deploy` block), each a copy of a public fixture file. */
function folder(deploys: Record<string, Record<string, unknown> | undefined>): string {
  const dir = fs.mkdtempSync(path.join(TMP, 'envs-'));
  for (const [name, deploy] of Object.entries(deploys)) fs.writeFileSync(path.join(dir, `${name}.yaml`), stringify(publicEnvironment(deploy)));
  return dir;
}

const load = (dir: string, only?: string[]) => loadEnvironments(dir, { warn: () => undefined, only });

describe('deploy stages', () => {
  it('a chain deploys one environment per stage', () => {
    expect(deployStages([node('cc', ['bb']), node('aa'), node('bb', ['aa'])])).toEqual([['aa'], ['bb'], ['cc']]);
  });

  it('a diamond: both middles in one stage, the end after both', () => {
    const envs = [node('top'), node('left', ['top']), node('right', ['top']), node('end', ['right', 'left'])];
    expect(deployStages(envs)).toEqual([['top'], ['left', 'right'], ['end']]);
  });

  it('an environment waits for its latest predecessor, not its first', () => {
    expect(deployStages([node('aa'), node('bb', ['aa']), node('cc', ['aa', 'bb'])])).toEqual([['aa'], ['bb'], ['cc']]);
  });

  it('independent environments deploy together in the first stage, sorted by name', () => {
    expect(deployStages([node('qa'), node('eu'), node('us')])).toEqual([['eu', 'qa', 'us']]);
  });

  it('refuses to compute stages from an invalid order', () => {
    expect(() => deployStages([node('aa', ['bb']), node('bb', ['aa'])])).toThrow(/cycle: aa -> bb -> aa/);
  });

  it(`allows ${MAX_DEPLOY_STAGES} stages`, () => {
    const chain = Array.from({ length: MAX_DEPLOY_STAGES }, (_, i) => node(`e${i}`, i === 0 ? [] : [`e${i - 1}`]));
    expect(deployStages(chain)).toHaveLength(MAX_DEPLOY_STAGES);
    expect(deployOrderProblems(chain)).toEqual([]);
  });
});

describe('the deploy order of an environments folder', () => {
  it('loads with defaults: no predecessor, a GitHub-hosted runner', () => {
    const [env] = load(folder({ alpha: undefined }));
    expect(env.deploy).toEqual({ after: [], runner: 'ubuntu-latest' });
  });

  it('loads a valid order', () => {
    const envs = load(folder({ alpha: undefined, beta: { after: ['alpha'] }, gamma: { after: ['beta'], runner: 'self-hosted-gamma' } }));
    expect(deployStages(envs)).toEqual([['alpha'], ['beta'], ['gamma']]);
    expect(envs.find((e) => e.name === 'gamma')!.deploy.runner).toBe('self-hosted-gamma');
  });

  it('refuses an unknown predecessor, naming the file, the field, the value and the known environments', () => {
    const dir = folder({ alpha: undefined, beta: { after: ['qa'] } });
    expect(configErrorOf(() => load(dir))).toContain(
      `${path.join(dir, 'beta.yaml')} (environment 'beta'): deploy.after.0 = "qa": unknown environment 'qa'; known environments: alpha, beta`,
    );
  });

  it('refuses an environment that deploys after itself', () => {
    const dir = folder({ alpha: { after: ['alpha'] }, beta: undefined });
    expect(configErrorOf(() => load(dir))).toContain(
      `${path.join(dir, 'alpha.yaml')} (environment 'alpha'): deploy.after.0 = "alpha": an environment cannot deploy after itself; allowed: other environments (beta)`,
    );
  });

  it('refuses a predecessor listed twice', () => {
    const dir = folder({ alpha: undefined, beta: { after: ['alpha', 'alpha'] } });
    expect(configErrorOf(() => load(dir))).toContain(`(environment 'beta'): deploy.after.1 = "alpha": 'alpha' is listed twice`);
  });

  it('refuses a cycle and names it', () => {
    const dir = folder({ dev: { after: ['qa'] }, qa: { after: ['dev'] } });
    expect(configErrorOf(() => load(dir))).toContain(
      `${path.join(dir, 'dev.yaml')} (environment 'dev'): deploy.after = ["qa"]: deploy order has a cycle: dev -> qa -> dev`,
    );
    const three = folder({ aa: { after: ['cc'] }, bb: { after: ['aa'] }, cc: { after: ['bb'] }, dd: undefined });
    expect(configErrorOf(() => load(three))).toContain('deploy order has a cycle: aa -> bb -> cc -> aa');
  });

  it(`refuses more than MAX_DEPLOY_STAGES (${MAX_DEPLOY_STAGES}) stages, naming the limit and the chain`, () => {
    const names = Array.from({ length: MAX_DEPLOY_STAGES + 1 }, (_, i) => `e${i}`);
    const dir = folder(Object.fromEntries(names.map((name, i) => [name, i === 0 ? undefined : { after: [names[i - 1]] }])));
    const message = configErrorOf(() => load(dir));
    const last = names.at(-1)!;
    expect(message).toContain(
      `${path.join(dir, `${last}.yaml`)} (environment '${last}'): deploy.after = ["${names.at(-2)}"]: would deploy in stage ${MAX_DEPLOY_STAGES + 1} (${names.join(' -> ')}), beyond the limit of ${MAX_DEPLOY_STAGES} stages`,
    );
    // Only the environment beyond the limit is named.
    expect(message.split('\n')).toHaveLength(2);
  });

  it('does not read the other files when only some environments are loaded (a deploy of one)', () => {
    const dir = folder({ alpha: undefined, beta: { after: ['qa'] } });
    fs.writeFileSync(path.join(dir, 'gamma.yaml'), 'not: [valid');
    expect(load(dir, ['beta']).map((e) => e.deploy.after)).toEqual([['qa']]);
  });

  it('refuses a predecessor that cannot be an environment name, and a runner that is not one label', () => {
    const message = configErrorOf(() =>
      parseEnvironment('alpha', publicEnvironment({ after: ['Prod Env'], runner: 'self-hosted, linux' }), 'alpha.yaml'),
    );
    expect(message).toContain(`alpha.yaml (environment 'alpha'): deploy.after.0 = "Prod Env": must be an environment name`);
    expect(message).toContain(`alpha.yaml (environment 'alpha'): deploy.runner = "self-hosted, linux": must be one runner label`);
    expect(configErrorOf(() => parseEnvironment('alpha', publicEnvironment({ before: ['beta'] }), 'alpha.yaml'))).toContain(
      "deploy: unknown key(s) 'before'; allowed keys: after, runner",
    );
  });
});

describe('the runner of a private environment', () => {
  it('refuses a GitHub-hosted runner (the default) for a private API server and private endpoints', () => {
    for (const deploy of [undefined, { runner: 'ubuntu-latest' }, { runner: 'ubuntu-24.04' }]) {
      expect(configErrorOf(() => parseEnvironment('secret', privateEnvironment(deploy), 'secret.yaml'))).toContain(
        `secret.yaml (environment 'secret'): deploy.runner = "${deploy?.runner ?? 'ubuntu-latest'}": network.apiServer.access is 'private' and network.privateEndpoints is true, ` +
          'so a GitHub-hosted runner cannot reach the environment; set deploy.runner to the label of a self-hosted runner in (or peered with) its VNet',
      );
    }
  });

  it('refuses it for private endpoints alone', () => {
    const raw = privateEnvironment();
    raw.network.apiServer = { access: 'public', vnetIntegration: true };
    expect(configErrorOf(() => parseEnvironment('secret', raw, 'secret.yaml'))).toContain(
      `deploy.runner = "ubuntu-latest": network.privateEndpoints is true, so a GitHub-hosted runner cannot reach the environment`,
    );
  });

  it('accepts a self-hosted runner, even when only that environment is loaded', () => {
    expect(parseEnvironment('secret', privateEnvironment({ runner: 'vnet-runner' }), 'secret.yaml').deploy.runner).toBe('vnet-runner');
    const dir = fs.mkdtempSync(path.join(TMP, 'private-'));
    fs.writeFileSync(path.join(dir, 'secret.yaml'), stringify(privateEnvironment()));
    expect(configErrorOf(() => load(dir, ['secret']))).toContain(
      `(environment 'secret'): deploy.runner = "ubuntu-latest": network.apiServer.access is 'private'`,
    );
  });
});

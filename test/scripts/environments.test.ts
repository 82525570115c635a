import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { environmentsOutput, renderText, runEnvironments, USAGE } from '../../scripts/environments';
import { rawEnvironment } from '../config/fixtures';

// `npm run environments` in this process (the process itself, its exit codes: environments.e2e.test.ts).
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'environments-test-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** A folder of environments copied from a public fixture file, each with its `deploy` block. */
function folder(deploys: Record<string, Record<string, unknown> | undefined>): string {
  const dir = fs.mkdtempSync(path.join(TMP, 'envs-'));
  for (const [name, deploy] of Object.entries(deploys)) {
    const { deploy: _, ...raw } = rawEnvironment('dev');
    fs.writeFileSync(path.join(dir, `${name}.yaml`), stringify(deploy ? { ...raw, deploy } : raw));
  }
  return dir;
}

const DIAMOND = { base: undefined, east: { after: ['base'] }, west: { after: ['base'], runner: 'west-vnet' }, last: { after: ['east', 'west'] } };

/** What the command prints for these arguments, and its exit code. */
function run(args: string[], dir: string): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runEnvironments(args, { out: (text) => (out += text), err: (text) => (err += text) }, { ENVIRONMENTS_DIR: dir });
  return { code, out, err };
}

describe('npm run environments', () => {
  it('--json gives every environment with its stage and runner, and the stages', () => {
    const { code, out } = run(['--json'], folder(DIAMOND));
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      environments: [
        { name: 'base', after: [], runner: 'ubuntu-latest', stage: 0, location: 'westeurope', privateRegistry: false, pullRequestPlans: false },
        { name: 'east', after: ['base'], runner: 'ubuntu-latest', stage: 1, location: 'westeurope', privateRegistry: false, pullRequestPlans: false },
        { name: 'west', after: ['base'], runner: 'west-vnet', stage: 1, location: 'westeurope', privateRegistry: false, pullRequestPlans: false },
        {
          name: 'last',
          after: ['east', 'west'],
          runner: 'ubuntu-latest',
          stage: 2,
          location: 'westeurope',
          privateRegistry: false,
          pullRequestPlans: false,
        },
      ],
      stages: [['base'], ['east', 'west'], ['last']],
    });
  });

  it('--json says which environments pull requests plan with Azure: only those whose file sets github.pullRequestPlans', () => {
    const dir = folder({ base: undefined, east: undefined, west: undefined });
    const github = (pullRequestPlans?: boolean) => ({
      repository: 'contoso/aks-environments',
      ...(pullRequestPlans === undefined ? {} : { pullRequestPlans }),
    });
    for (const [name, value] of [
      ['east', github(true)],
      ['west', github()],
    ] as const) {
      const file = path.join(dir, `${name}.yaml`);
      fs.writeFileSync(file, stringify({ ...parse(fs.readFileSync(file, 'utf8')), github: value }));
    }
    const byName = Object.fromEntries(environmentsOutput(dir).environments.map((e) => [e.name, e.pullRequestPlans]));
    expect(byName).toEqual({ base: false, east: true, west: false });
    expect(environmentsOutput(dir, 'east').environments[0].pullRequestPlans).toBe(true);
  });

  it('prints one line per stage without --json', () => {
    expect(run([], folder(DIAMOND)).out).toBe(
      'stage 1: base (ubuntu-latest)\nstage 2: east (ubuntu-latest), west (west-vnet)\nstage 3: last (ubuntu-latest)\n',
    );
  });

  it('--env gives that environment alone, as the single stage, reading only its file', () => {
    const dir = folder(DIAMOND);
    fs.writeFileSync(path.join(dir, 'broken.yaml'), 'not: [valid');
    expect(environmentsOutput(dir, 'west')).toEqual({
      environments: [
        { name: 'west', after: ['base'], runner: 'west-vnet', stage: 0, location: 'westeurope', privateRegistry: false, pullRequestPlans: false },
      ],
      stages: [['west']],
    });
    expect(run(['--env=west'], dir).out).toBe('stage 1: west (west-vnet)\n');
  });

  it('--env refuses an unknown name, or one that is no environment name, in one line listing the known ones', () => {
    const dir = folder(DIAMOND);
    for (const [name, shown] of [
      ['north', "'north'"],
      ['West', "'West'"],
      ['../base', "'../base'"],
      ['x\n::error::injected', "'x\\n::error::injected'"],
      ['a'.repeat(60), `'${'a'.repeat(40)}...'`],
    ]) {
      expect(() => run(['--env', name], dir)).toThrow(
        new Error(`unknown environment ${shown}; known environments in '${dir}': base, east, last, west`),
      );
    }
  });

  it('refuses unknown options and --env without a name: one line, exit code 2', () => {
    const dir = folder(DIAMOND);
    const refused = (error: string) => ({
      code: 2,
      out: '',
      err: `npm run environments: ${error} (npm run environments -- --help lists the options)\n`,
    });
    expect(run(['--yaml'], dir)).toEqual(refused("unknown option '--yaml'"));
    expect(run(['--env'], dir)).toEqual(refused('--env needs a value'));
    expect(run(['--env', '--json'], dir)).toEqual(refused('--env needs a value'));
    expect(run(['--env', 'base', '--env', 'east'], dir)).toEqual(refused('--env given twice'));
  });

  it('--help prints the usage and reads nothing', () => {
    expect(run(['--help'], path.join(TMP, 'missing'))).toEqual({ code: 0, out: `${USAGE}\n`, err: '' });
  });

  it('text output of a single stage', () => {
    expect(
      renderText({
        environments: [{ name: 'solo', after: [], runner: 'r1', stage: 0, location: 'westeurope', privateRegistry: false, pullRequestPlans: false }],
        stages: [['solo']],
      }),
    ).toBe('stage 1: solo (r1)\n');
  });
});

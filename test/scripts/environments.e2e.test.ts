import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { rawEnvironment } from '../config/fixtures';

// `npm run environments` as a process, as the workflows run it: what it prints and exits with.
const ROOT = path.resolve(__dirname, '../..');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'environments-e2e-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

function folder(deploys: Record<string, Record<string, unknown> | undefined>): string {
  const dir = fs.mkdtempSync(path.join(TMP, 'envs-'));
  for (const [name, deploy] of Object.entries(deploys)) {
    const { deploy: _, ...raw } = rawEnvironment('dev');
    fs.writeFileSync(path.join(dir, `${name}.yaml`), stringify(deploy ? { ...raw, deploy } : raw));
  }
  return dir;
}

const environments = (args: string[], dir: string) =>
  spawnSync(process.execPath, ['scripts/run-app.mjs', 'scripts/environments.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ENVIRONMENTS_DIR: dir },
  });

describe('npm run environments (process)', () => {
  const dir = folder({ one: undefined, two: { after: ['one'], runner: 'two-vnet' }, three: { after: ['one'] } });

  it('--json prints the stages on stdout alone, exit 0', () => {
    const result = environments(['--json'], dir);
    expect([result.status, result.stderr]).toEqual([0, '']);
    const output = JSON.parse(result.stdout);
    expect(output.stages).toEqual([['one'], ['three', 'two']]);
    expect(output.environments.map((e: any) => [e.name, e.runner, e.stage])).toEqual([
      ['one', 'ubuntu-latest', 0],
      ['three', 'ubuntu-latest', 1],
      ['two', 'two-vnet', 1],
    ]);
  });

  it('--env with an unknown name: one line on stderr, nothing on stdout, exit 1', () => {
    const result = environments(['--json', '--env', 'prod'], dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`npm run environments: unknown environment 'prod'; known environments in '${dir}': one, three, two\n`);
  });

  it('a config error: the ConfigError message without a stack trace, exit 1', () => {
    const bad = folder({ one: { after: ['two'] }, two: { after: ['one'] } });
    const result = environments([], bad);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid environment configuration:');
    expect(result.stderr).toContain('deploy order has a cycle: one -> two -> one');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

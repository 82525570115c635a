import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument } from 'yaml';

/*
 * A real git repository in a temporary folder holding a copy of this project (its node_modules
 * linked), for running `npm run diff` between real commits.
 */
const ROOT = path.resolve(__dirname, '../..');

const run = (command: string, args: string[], cwd: string) => {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
};

export interface DiffRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The process environment without ENVIRONMENTS_DIR (which tests point at the fixtures): the diff reads each tree's own folder. */
function withoutEnvironmentsDir(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { ENVIRONMENTS_DIR: _ignored, ...rest } = env;
  return rest;
}

export class GitFixture {
  public readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-repo-'));

  constructor() {
    const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT)
      .split('\0')
      .filter((f) => f && f.split('/')[0] !== 'node_modules' && fs.existsSync(path.join(ROOT, f)) && fs.statSync(path.join(ROOT, f)).isFile());
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(this.dir, file)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, file), path.join(this.dir, file));
    }
    // The test fixtures' environments, not the user's: the diff reads environments/ in each tree.
    fs.rmSync(path.join(this.dir, 'environments'), { recursive: true, force: true });
    fs.cpSync(path.join(ROOT, 'test/fixtures/environments'), path.join(this.dir, 'environments'), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(this.dir, 'node_modules'), 'dir');
    this.git('init', '--quiet', '--initial-branch=main');
    fs.appendFileSync(path.join(this.dir, '.git/info/exclude'), 'node_modules\n');
    this.commit('base');
  }

  git(...args: string[]): string {
    return run('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], this.dir);
  }

  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** Sets values in an environment file, keeping the rest of it. */
  setEnvironment(env: string, values: Record<string, unknown>): void {
    const file = path.join(this.dir, 'environments', `${env}.yaml`);
    const doc = parseDocument(fs.readFileSync(file, 'utf8'));
    for (const [key, value] of Object.entries(values)) doc.setIn(key.split('.'), value);
    fs.writeFileSync(file, doc.toString());
  }

  /** Adds a policy waiver (docs/guardrails.md) to an environment file, for a change the policy would refuse. */
  addWaiver(env: string, rule: string, object: string): void {
    const file = path.join(this.dir, 'environments', `${env}.yaml`);
    const doc = parseDocument(fs.readFileSync(file, 'utf8'));
    if (!doc.hasIn(['waivers'])) doc.setIn(['waivers'], doc.createNode([]));
    doc.addIn(['waivers'], {
      rule,
      object,
      reason: 'accepted in this test of npm run diff, not in any real environment',
      owner: 'test',
      expires: '2099-12-31',
    });
    fs.writeFileSync(file, doc.toString());
  }

  /** Replaces text in a file; fails when the text is not there, so a test never passes on a no-op. */
  replaceIn(file: string, from: string, to: string): void {
    const full = path.join(this.dir, file);
    const text = fs.readFileSync(full, 'utf8');
    if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
    fs.writeFileSync(full, text.replace(from, to));
  }

  /** `npm run diff -- ARGS` in the repository. */
  diff(...args: string[]): DiffRun {
    const r = spawnSync(process.execPath, ['scripts/run-app.mjs', 'scripts/diff/main.ts', ...args], {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...withoutEnvironmentsDir(process.env), NO_COLOR: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

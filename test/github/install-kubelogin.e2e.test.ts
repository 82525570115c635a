import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * .github/scripts/install-kubelogin.sh with stand-ins for curl (serves a local file instead of the
 * release) and uname (the runner's machine type): what does not have the recorded sha256 is never
 * unpacked or installed, and an architecture without a recorded checksum is refused.
 */
const SCRIPT = path.resolve(__dirname, '../../.github/scripts/install-kubelogin.sh');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'install-kubelogin-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function install(machine: string): { status: number | null; stdout: string; installed: boolean; path: string } {
  const dir = fs.mkdtempSync(path.join(tmp, 'run-'));
  const bin = path.join(dir, 'stand-ins');
  fs.mkdirSync(bin);
  // A zip that is not the release: the right layout, other bytes.
  const fake = path.join(dir, 'fake.zip');
  fs.writeFileSync(fake, 'PK not the release');
  fs.writeFileSync(path.join(bin, 'curl'), `#!/bin/sh\nwhile [ $# -gt 0 ]; do [ "$1" = --output ] && out="$2"; shift; done\ncp "${fake}" "$out"\n`, {
    mode: 0o755,
  });
  fs.writeFileSync(path.join(bin, 'uname'), `#!/bin/sh\necho ${machine}\n`, { mode: 0o755 });
  const githubPath = path.join(dir, 'github-path');
  const r = spawnSync('bash', [SCRIPT], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, RUNNER_TEMP: dir, GITHUB_PATH: githubPath },
  });
  return {
    status: r.status,
    stdout: r.stdout + r.stderr,
    installed: fs.existsSync(path.join(dir, 'bin', 'kubelogin')),
    path: fs.existsSync(githubPath) ? fs.readFileSync(githubPath, 'utf8') : '',
  };
}

describe('installing kubelogin', () => {
  it('refuses a download whose sha256 is not the recorded one, and installs nothing', () => {
    const r = install('x86_64');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /::error::kubelogin v\d+\.\d+\.\d+: kubelogin-linux-amd64\.zip does not have the recorded sha256 [0-9a-f]{64}; not installed/,
    );
    expect(r.installed).toBe(false);
    expect(r.path).toBe('');
  });

  it('refuses an architecture whose checksum is not recorded, before downloading anything', () => {
    const r = install('aarch64');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('no sha256 recorded for kubelogin-linux-arm64.zip');
    expect(r.installed).toBe(false);
  });
});

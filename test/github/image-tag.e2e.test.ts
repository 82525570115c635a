import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { environmentsOutput } from '../../scripts/environments';

/*
 * .github/scripts/image-tag-absent.sh with a stand-in `az` that answers as the registry would: only the
 * registry's own "not found" lets the image workflow build; anything else stops it (fails closed).
 */
const SCRIPT = path.resolve(__dirname, '../../.github/scripts/image-tag-absent.sh');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'image-tag-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function check(exitCode: number, stderr: string): { status: number | null; output: string } {
  const bin = fs.mkdtempSync(path.join(tmp, 'bin-'));
  fs.writeFileSync(path.join(bin, 'stderr.txt'), stderr);
  fs.writeFileSync(path.join(bin, 'az'), `#!/bin/sh\ncat "${path.join(bin, 'stderr.txt')}" >&2\nexit ${exitCode}\n`, { mode: 0o755 });
  const r = spawnSync('bash', [SCRIPT, 'crphotoviewdev', 'photo-view:1.4.2'], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
  });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('the released-tag check', () => {
  it('lets a new tag through, and a new repository', () => {
    expect(check(1, 'ERROR: manifest unknown: manifest tagged by "1.4.2" is not found').status).toBe(0);
    expect(check(1, 'ERROR: {"errors":[{"code":"NAME_UNKNOWN","message":"repository photo-view is not found"}]}').status).toBe(0);
  });

  it('refuses a tag that exists', () => {
    const r = check(0, '');
    expect(r.status).toBe(1);
    expect(r.output).toContain('photo-view:1.4.2 already exists in crphotoviewdev');
  });

  it('refuses when the registry cannot be asked: no permission, a firewall, a network error', () => {
    for (const error of [
      "ERROR: The client 'x' does not have authorization to perform action 'Microsoft.ContainerRegistry/registries/read'",
      'ERROR: client with IP 20.1.2.3 is not allowed access. Refer https://aka.ms/acr/firewall to grant access.',
      'ERROR: Could not connect to the registry login server',
      '',
    ]) {
      const r = check(1, error);
      expect([error, r.status]).toEqual([error, 1]);
      expect(r.output).toContain('could not tell whether photo-view:1.4.2 exists');
    }
  });
});

describe('privateRegistry in npm run environments', () => {
  it('is true where the registry denies public networks (network.privateEndpoints)', () => {
    const out = environmentsOutput(path.resolve(__dirname, '../fixtures/environments'));
    const byName = Object.fromEntries(out.environments.map((e) => [e.name, e.privateRegistry]));
    expect(byName).toEqual({ dev: false, staging: false, prod: true });
  });
});

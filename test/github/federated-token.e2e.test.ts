import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readYaml } from '../support/yaml';

/*
 * The deploy job's federated-token refresh, run by bash as the step runs it (its `set -o pipefail` and its
 * request_token function, taken from deploy-environment.yml), with a stand-in curl: a failed request or a
 * reply without a token must keep the last good token file and return non-zero, so the refresh loop warns.
 */
const workflow = readYaml(path.resolve(__dirname, '../../.github/workflows/deploy-environment.yml')) as {
  jobs: { deploy: { steps: Array<{ run?: string }> } };
};
const run = workflow.jobs.deploy.steps.map((s) => s.run ?? '').find((r) => r.includes('request_token() {'))!;
/** The script up to the end of the function: its options and the function, nothing it starts. */
const definition = run.slice(0, run.indexOf('\n}', run.indexOf('request_token() {')) + 2);

function refresh(curlScript: string): { status: number | null; token: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'federated-token-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'curl'), `#!/usr/bin/env bash\n${curlScript}\n`, { mode: 0o755 });
  const tokenFile = path.join(dir, 'federated-token');
  fs.writeFileSync(tokenFile, 'last-good-token\n');
  // Called as the refresh loop calls it, in an `||` list, where bash -e does not stop a failed command.
  const result = spawnSync('bash', ['-e', '-c', `${definition}\nrequest_token || exit 1`], {
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      AZURE_FEDERATED_TOKEN_FILE: tokenFile,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://example.invalid/token?x=1',
    },
  });
  const token = fs.readFileSync(tokenFile, 'utf8');
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: result.status, token };
}

const hasJq = spawnSync('jq', ['--version']).status === 0;
(hasJq ? describe : describe.skip)('the federated token refresh of the apps deploy', () => {
  it('writes the new token when the request succeeds', () => {
    expect(refresh(`echo '{"value":"new-token"}'`)).toEqual({ status: 0, token: 'new-token\n' });
  });

  it('keeps the last good token and fails when the request fails', () => {
    expect(refresh('echo "curl: (22) The requested URL returned error: 500" >&2; exit 22')).toEqual({ status: 1, token: 'last-good-token\n' });
  });

  it('keeps the last good token and fails when the reply holds no token', () => {
    expect(refresh(`echo '{"message":"throttled"}'`)).toEqual({ status: 1, token: 'last-good-token\n' });
  });
});

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitFixture } from '../diff/git-fixture';
import { REAL_IDS, withRealIds } from '../support/real-ids';

/*
 * The bootstrap app as README's first-deploy step runs it (cdktf deploy runs the same app command), in a
 * fresh copy of the repository: no cdktf.out/ yet, and environment files with real-looking IDs, since the
 * bootstrap refuses placeholders.
 */
jest.setTimeout(120_000);

it('synthesizes the bootstrap stack in a fresh clone, where cdktf.out/ does not exist yet', () => {
  const repo = new GitFixture();
  const environments = path.join(repo.dir, 'environments');
  // What a copy sets before its bootstrap: the repository, and one subscription for the shared state account.
  for (const name of ['dev', 'staging', 'prod']) {
    repo.setEnvironment(name, {
      'github.repository': 'contoso/aks-environments',
      'state.subscriptionId': REAL_IDS['11111111-1111-1111-1111-111111111111'],
    });
  }
  for (const file of fs.readdirSync(environments)) {
    const text = fs.readFileSync(path.join(environments, file), 'utf8');
    fs.writeFileSync(path.join(environments, file), withRealIds(text));
  }
  expect(fs.existsSync(path.join(repo.dir, 'cdktf.out'))).toBe(false);
  const run = spawnSync(process.execPath, ['scripts/run-app.mjs', 'infra/bootstrap.ts'], {
    cwd: repo.dir,
    encoding: 'utf8',
    env: { ...process.env, CDKTF_OUTDIR: 'cdktf.out/bootstrap', ENVIRONMENTS_DIR: environments },
  });
  expect(run.stderr).not.toMatch(/ENOENT|Invalid environment configuration/);
  expect(run.status).toBe(0);
  const stack = JSON.parse(fs.readFileSync(path.join(repo.dir, 'cdktf.out/bootstrap/stacks/bootstrap/cdk.tf.json'), 'utf8'));
  expect(Object.keys(stack.output)).toContain('tenant_id');
  fs.rmSync(repo.dir, { recursive: true, force: true });
});

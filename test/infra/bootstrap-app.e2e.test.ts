import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitFixture } from '../diff/git-fixture';

/*
 * The bootstrap app as README's first-deploy step runs it (cdktf deploy runs the same app command), in a
 * fresh copy of the repository: no cdktf.out/ yet, and environment files with real-looking IDs, since the
 * bootstrap refuses placeholders.
 */
jest.setTimeout(120_000);

const REAL_IDS: Record<string, string> = {
  '11111111-1111-1111-1111-111111111111': '5f0c6d2e-8a41-4b7e-9c3d-2e1f0a9b8c7d',
  '22222222-2222-2222-2222-222222222222': '6a1d7e3f-9b52-4c8f-8d4e-3f2a1b0c9d8e',
  '33333333-3333-3333-3333-333333333333': '7b2e8f40-ac63-4d90-9e5f-4a3b2c1d0e9f',
  '00000000-0000-0000-0000-000000000000': '72f988bf-86f1-41af-91ab-2d7cd011db47',
  'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa': '0b9e2f4c-3d1a-4e5b-8f6c-7a8d9e0f1a2b',
  'bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb': '9c4d7e1f-2a3b-4c5d-8e9f-0a1b2c3d4e5f',
};

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
    fs.writeFileSync(
      path.join(environments, file),
      text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => REAL_IDS[id] ?? id),
    );
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

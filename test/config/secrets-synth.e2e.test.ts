import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nameWords } from '../../config/secret-rules';
import { ROOT } from '../support/shared-synth';
import { fakeSecrets } from './secret-fakes';

/*
 * End to end: `npm run synth` over an environment file with every kind of secret in its settings and
 * tags stops at the config check; nothing reaches cdktf.out/, dist/ or the log.
 */

describe('npm run synth with secrets in the environment file', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-secrets-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('refuses every secret, naming each field, and writes nothing', () => {
    const envs = path.join(scratch, 'envs');
    const out = path.join(scratch, 'out');
    fs.mkdirSync(envs);
    const secrets = fakeSecrets().map((s, i) => ({ ...s, setting: `S${i}_${nameWords(s.name).join('_').toUpperCase()}` }));
    const dev = fs.readFileSync(path.join(ROOT, 'test/fixtures/environments/dev.yaml'), 'utf8');
    const settings = secrets.map((s) => `    ${s.setting}: ${JSON.stringify(s.value)}`).join('\n');
    const tags = secrets
      .filter((s) => s.value.length <= 256)
      .map((s, i) => `  t${i}: ${JSON.stringify(s.value)}`)
      .join('\n');
    fs.writeFileSync(
      path.join(envs, 'dev.yaml'),
      dev
        .replace('    LOG_LEVEL: debug\n', `    LOG_LEVEL: debug\n${settings}\n`)
        .replace('  costCenter: photo-view\n', `  costCenter: photo-view\n${tags}\n`),
    );

    const run = spawnSync(process.execPath, ['scripts/synth.mjs', '--outdir', out], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ENVIRONMENTS_DIR: envs },
    });
    expect(run.status).toBe(1);
    for (const s of secrets) {
      expect(run.stderr).toContain(`${envs}/dev.yaml (environment 'dev'): app.settings.${s.setting}: looks like a secret`);
      expect(run.stdout + run.stderr).not.toContain(s.value);
    }
    expect(run.stderr).toContain('synth failed; cdktf.out/ and dist/ were left as they were');
    expect(fs.existsSync(path.join(out, 'cdktf.out')) || fs.existsSync(path.join(out, 'dist'))).toBe(false);
  }, 120_000);
});

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// `npm run synth` as a process (the in-process chart tests are in gitops.test.ts).
const ROOT = path.resolve(__dirname, '../..');

describe('dist/ for GitOps: manifests with the placeholder client ID', () => {
  it('are refused with REQUIRE_PLATFORM_OUTPUTS=1, leaving earlier output intact', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-'));
    try {
      fs.mkdirSync(path.join(out, 'dist'));
      fs.writeFileSync(path.join(out, 'dist', 'photo-view-dev.k8s.yaml'), 'earlier output\n');
      const result = spawnSync(process.execPath, ['scripts/synth.mjs', '--outdir', out], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, REQUIRE_PLATFORM_OUTPUTS: '1' },
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        'REQUIRE_PLATFORM_OUTPUTS=1: no platform-outputs/<env>.json for dev, prod, staging, so their manifests would carry a placeholder',
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(fs.readFileSync(path.join(out, 'dist', 'photo-view-dev.k8s.yaml'), 'utf8')).toBe('earlier output\n');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

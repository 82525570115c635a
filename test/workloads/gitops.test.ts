import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { environment } from '../config/fixtures';
import { UNDEPLOYED_CLIENT_ID } from '../../workloads/platform-outputs';
import { NOT_DEPLOYABLE_ANNOTATION } from '../../workloads/charts/photo-view';
import { CLIENT_ID, synthPhotoView } from './synth';

const ROOT = path.resolve(__dirname, '../..');

describe('dist/ for GitOps: manifests with the placeholder client ID', () => {
  it('are marked not deployable on every object, saying how to get the real client ID', () => {
    const { manifests } = synthPhotoView(environment('prod'), { appIdentityClientId: UNDEPLOYED_CLIENT_ID });
    expect(manifests.length).toBeGreaterThan(10);
    for (const m of manifests) {
      expect(m.metadata.annotations?.[NOT_DEPLOYABLE_ANNOTATION]).toBe(
        'placeholder workload identity client ID; run: npx cdktf output platform-prod --outputs-file platform-outputs/prod.json && npm run synth',
      );
    }
  });

  it('are not marked once the platform outputs give the real client ID', () => {
    const { manifests } = synthPhotoView(environment('prod'), { appIdentityClientId: CLIENT_ID });
    for (const m of manifests) expect(m.metadata.annotations ?? {}).not.toHaveProperty(NOT_DEPLOYABLE_ANNOTATION);
  });

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

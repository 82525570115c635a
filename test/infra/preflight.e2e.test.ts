import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { keyVaultSecretName, namingContext, resourceName } from '../../config';
import { environment } from '../config/fixtures';
import { synthPhotoView } from '../workloads/synth';

/*
 * The pre-flight script runs as a real process against the chart's real manifests; `az` is a stand-in
 * on PATH that answers like the Azure CLI from a description of what exists in Azure.
 */
const ROOT = path.resolve(__dirname, '../..');
// A shell script, not node: it starts in milliseconds. The world is a folder: images/<registry>/<repo>:<tag>
// files, vaults/<vault> holding the JSON list of enabled secret names, and a `forbidden` flag file.
const FAKE_AZ = `#!/bin/sh
echo "$*" >> "$FAKE_AZ_WORLD/calls"
while [ $# -gt 0 ]; do
  case "$1" in --name) name=$2;; --image) image=$2;; --vault-name) vault=$2;; esac
  shift
done
if [ -n "$image" ]; then
  [ -f "$FAKE_AZ_WORLD/images/$name/$image" ] && exit 0
  echo "ERROR: The requested data does not exist. Error: manifest unknown: manifest tagged by '$image' is not found" >&2; exit 3
fi
if [ -f "$FAKE_AZ_WORLD/forbidden" ]; then echo "ERROR: (Forbidden) Caller is not authorized to perform action on resource." >&2; exit 1; fi
[ -f "$FAKE_AZ_WORLD/vaults/$vault" ] || { echo "ERROR: Failed to resolve '$vault'" >&2; exit 1; }
cat "$FAKE_AZ_WORLD/vaults/$vault"
`;

interface World {
  images: string[];
  vaults: Record<string, string[]>;
  forbidden?: boolean;
}

function preflight(envName: string, world: World, release?: Record<string, unknown>) {
  const env = environment(envName, release ? { app: { release } } : {});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-'));
  try {
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin/az'), FAKE_AZ, { mode: 0o755 });
    const worldDir = path.join(dir, 'world');
    for (const image of world.images) {
      fs.mkdirSync(path.dirname(path.join(worldDir, 'images', image)), { recursive: true });
      fs.writeFileSync(path.join(worldDir, 'images', image), '');
    }
    fs.mkdirSync(path.join(worldDir, 'vaults'), { recursive: true });
    for (const [vault, names] of Object.entries(world.vaults)) fs.writeFileSync(path.join(worldDir, 'vaults', vault), JSON.stringify(names));
    if (world.forbidden) fs.writeFileSync(path.join(worldDir, 'forbidden'), '');
    const manifests = path.join(dir, `photo-view-${envName}.k8s.yaml`);
    fs.writeFileSync(
      manifests,
      synthPhotoView(env)
        .manifests.map((m) => stringify(m))
        .join('---\n'),
    );
    const started = Date.now();
    const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/preflight.mjs'), envName, '--manifests', manifests], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${path.join(dir, 'bin')}${path.delimiter}${process.env.PATH}`, FAKE_AZ_WORLD: worldDir },
    });
    const calls = fs.existsSync(path.join(worldDir, 'calls')) ? fs.readFileSync(path.join(worldDir, 'calls'), 'utf8') : '';
    return { ...result, seconds: (Date.now() - started) / 1000, calls };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const naming = namingContext(environment('prod'));
const REGISTRY = resourceName('containerRegistry', naming);
const VAULT = resourceName('keyVault', naming);
const SECRET = keyVaultSecretName('STORAGE_CONNECTION_STRING');
const ALL_SECRETS = environment('prod').app.secretNames.map(keyVaultSecretName);
// prod pins its images by digest (tag@sha256:...): the registry must hold the digest.
const prodRelease = environment('prod').app.release as { stableTag: string; canaryTag: string };
const byDigest = (tag: string) => `${REGISTRY}/photo-view@${tag.split('@')[1]}`;
const everything: World = { images: [byDigest(prodRelease.stableTag), byDigest(prodRelease.canaryTag)], vaults: { [VAULT]: ALL_SECRETS } };

describe('pre-flight before the apps deploy', () => {
  it('passes within seconds when every image tag and secret exists, naming what it checked', () => {
    const result = preflight('prod', everything);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`2 image(s) and ${ALL_SECRETS.length} secret(s) present`);
    expect(result.stdout).toContain(`${REGISTRY}.azurecr.io/photo-view:1.5.0`);
    expect(result.seconds).toBeLessThan(10);
  });

  it('fails, naming the missing image tag, instead of waiting for a rollout timeout', () => {
    const result = preflight('prod', { ...everything, images: [byDigest(prodRelease.stableTag)] });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`pre-flight for environment 'prod' failed`);
    expect(result.stderr).toContain(`image ${REGISTRY}.azurecr.io/photo-view:${prodRelease.canaryTag} is not in registry ${REGISTRY}: push it first`);
    expect(result.stderr).not.toContain(`photo-view:${prodRelease.stableTag} is not`);
    expect(result.seconds).toBeLessThan(10);
  });

  it('fails, naming the missing secret and its vault, without reading any secret value', () => {
    const result = preflight('prod', { ...everything, vaults: { [VAULT]: [] } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`secret ${SECRET} (for STORAGE_CONNECTION_STRING) is not in Key Vault ${VAULT}, or is disabled`);
    expect(result.calls).toContain(`keyvault secret list --vault-name ${VAULT} --query [?attributes.enabled].name`);
    expect(result.calls).toContain(
      `acr repository show --name ${REGISTRY} --image photo-view@${prodRelease.canaryTag.split('@')[1]} --subscription ${environment('prod').subscriptionId}`,
    );
    expect(result.calls).not.toMatch(/secret show|--value|download/);
  });

  it('says why when it cannot look (no Key Vault Reader role)', () => {
    const result = preflight('prod', { ...everything, forbidden: true });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Key Vault ${VAULT}: cannot list secrets (needs the Key Vault Reader role or better): ERROR: (Forbidden)`);
  });

  it('checks only the images of Deployments that run pods (an idle blue/green colour at 0 replicas pulls nothing)', () => {
    // staging: no autoscaling, so the idle colour can be held at 0 pods.
    const stagingNaming = namingContext(environment('staging'));
    const release = { strategy: 'blueGreen', active: 'green', blueTag: '1.3.0', greenTag: '1.4.2', scaledDown: { colour: 'blue', replicas: 0 } };
    const result = preflight(
      'staging',
      {
        images: [`${resourceName('containerRegistry', stagingNaming)}/photo-view:1.4.2`],
        vaults: { [resourceName('keyVault', stagingNaming)]: environment('staging').app.secretNames.map(keyVaultSecretName) },
      },
      release,
    );
    expect(result.stderr).toBe('');
    expect(result.calls).not.toContain('photo-view:1.3.0');
  });

  it('rejects a missing manifests file with the command that makes it', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/preflight.mjs'), 'qa', '--manifests', '/nonexistent/x.yaml'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("pre-flight for environment 'qa': /nonexistent/x.yaml does not exist; run `npm run synth` first");
  });

  it('rejects an unknown flag', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/preflight.mjs'), 'dev', '--dry-run'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^usage: node scripts\/preflight\.mjs <environment>/);
  });
});

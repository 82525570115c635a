import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { providerLockArgs } from '../../.github/scripts/provider-lock';

/*
 * The committed lock file under a real terraform init, with a provider from a filesystem mirror (no
 * registry): the helper's copy makes a wrong checksum fail the init, its -lockfile=readonly makes an
 * unlocked provider fail instead of being added, and its filtering lets a stack use fewer providers.
 */
const terraformVersion = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8' });
const describeWithTerraform = terraformVersion.status === 0 ? describe : describe.skip;
if (terraformVersion.status !== 0) console.warn('skipping the provider lock file runs under Terraform: no terraform binary on PATH');

/** A zip archive holding one file, stored uncompressed: enough for terraform to unpack a provider package. */
function zip(name: string, content: Buffer): Buffer {
  const crc = zlib.crc32(content);
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(0x0314, 4); // made by Unix, so the mode below is read
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(content.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE((0o100755 << 16) >>> 0, 38);
  const centralOffset = local.length + fileName.length + content.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, content, central, fileName, end]);
}

const lockFile = (entries: Record<string, string>) =>
  '# This file is maintained automatically by "terraform init".\n# Manual edits may be lost in future updates.\n\n' +
  Object.entries(entries)
    .map(([address, hash]) => `provider "${address}" {\n  version     = "1.0.0"\n  constraints = "1.0.0"\n  hashes = [\n    "zh:${hash}",\n  ]\n}\n`)
    .join('\n');

describeWithTerraform('the committed provider lock file under terraform init', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'provider-lock-e2e-'));
  const mirror = path.join(dir, 'mirror');
  const committed = path.join(dir, 'terraform.lock.hcl');
  let hash = '';
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: path.join(dir, 'cli.tfrc') };
  beforeAll(() => {
    const platform = (JSON.parse(terraformVersion.stdout) as { platform: string }).platform;
    const pkg = zip('terraform-provider-fake_v1.0.0', Buffer.from('#!/bin/sh\nexit 1\n'));
    fs.mkdirSync(path.join(mirror, 'example.com', 'test', 'fake'), { recursive: true });
    fs.writeFileSync(path.join(mirror, 'example.com', 'test', 'fake', `terraform-provider-fake_1.0.0_${platform}.zip`), pkg);
    hash = createHash('sha256').update(pkg).digest('hex');
    fs.writeFileSync(env.TF_CLI_CONFIG_FILE, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A fresh stack requiring the fake provider, initialized the way the workflows do: the helper, then init with its arguments. */
  function init(name: string): { status: number | null; output: string; lock: string } {
    const stack = path.join(dir, name);
    fs.mkdirSync(stack);
    const providers = { fake: { source: 'example.com/test/fake', version: '1.0.0' } };
    fs.writeFileSync(path.join(stack, 'cdk.tf.json'), JSON.stringify({ terraform: { required_providers: providers } }));
    const r = spawnSync('terraform', ['init', '-input=false', '-no-color', ...providerLockArgs(stack, committed)], {
      cwd: stack,
      env,
      encoding: 'utf8',
    });
    return { status: r.status, output: r.stdout + r.stderr, lock: fs.readFileSync(path.join(stack, '.terraform.lock.hcl'), 'utf8') };
  }

  it('succeeds with the right checksum and leaves the lock file as committed', () => {
    fs.writeFileSync(committed, lockFile({ 'example.com/test/fake': hash }));
    const r = init('right');
    expect(r.output).toContain('Terraform has been successfully initialized');
    expect(r.status).toBe(0);
    expect(r.lock).toBe(fs.readFileSync(committed, 'utf8'));
  });

  it('succeeds when the committed file also locks providers this stack does not require', () => {
    fs.writeFileSync(committed, lockFile({ 'example.com/test/fake': hash, 'registry.terraform.io/hashicorp/kubernetes': '0'.repeat(64) }));
    const r = init('extra');
    expect(r.output).toContain('Terraform has been successfully initialized');
    expect(r.status).toBe(0);
  });

  it('fails with a wrong checksum instead of recording the package', () => {
    fs.writeFileSync(committed, lockFile({ 'example.com/test/fake': '0'.repeat(64) }));
    const r = init('wrong');
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/doesn't match any of the checksums previously\s+recorded/);
    expect(r.lock).toBe(fs.readFileSync(committed, 'utf8'));
  });

  it('fails when the committed file does not lock a provider the stack requires', () => {
    fs.writeFileSync(committed, lockFile({ 'registry.terraform.io/hashicorp/kubernetes': '0'.repeat(64) }));
    const r = init('missing');
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/lock\s+file is read-only/);
  });
});

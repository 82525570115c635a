import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COMMITTED_LOCK_FILE, providerAddress, providerLockArgs } from '../../.github/scripts/provider-lock';

/** A lock file as terraform writes it, for the given providers. */
const lockFile = (...addresses: string[]) =>
  '# This file is maintained automatically by "terraform init".\n# Manual edits may be lost in future updates.\n\n' +
  addresses
    .map((a) => `provider "${a}" {\n  version     = "1.0.0"\n  constraints = "1.0.0"\n  hashes = [\n    "zh:${'0'.repeat(64)}",\n  ]\n}\n`)
    .join('\n');

const AZURERM = 'registry.terraform.io/hashicorp/azurerm';
const KUBERNETES = 'registry.terraform.io/hashicorp/kubernetes';

describe('providerLockArgs', () => {
  let dir: string;
  let stack: string;
  let committed: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'provider-lock-'));
    stack = path.join(dir, 'cdktf.out', 'stacks', 'apps-dev');
    fs.mkdirSync(stack, { recursive: true });
    committed = path.join(dir, 'infra', 'terraform.lock.hcl');
    fs.mkdirSync(path.dirname(committed));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const requires = (providers: Record<string, { source: string; version: string }>) =>
    fs.writeFileSync(path.join(stack, 'cdk.tf.json'), JSON.stringify({ terraform: { required_providers: providers } }));
  const stackLock = () => path.join(stack, '.terraform.lock.hcl');

  it('is infra/terraform.lock.hcl by default', () => {
    expect(COMMITTED_LOCK_FILE).toBe(path.join('infra', 'terraform.lock.hcl'));
  });

  it('without a committed lock file adds nothing, writes nothing and says so once', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    requires({ azurerm: { source: 'azurerm', version: '4.55.0' } });
    expect(providerLockArgs(stack, committed)).toEqual([]);
    expect(providerLockArgs(stack, committed)).toEqual([]);
    expect(fs.existsSync(stackLock())).toBe(false);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toMatch(/no provider lock file is committed .*trusts .* on first use/);
    log.mockRestore();
  });

  it('with one, copies it to the stack and makes the init read-only', () => {
    requires({ azurerm: { source: 'azurerm', version: '4.55.0' }, kubernetes: { source: 'kubernetes', version: '2.38.0' } });
    fs.writeFileSync(committed, lockFile(AZURERM, KUBERNETES));
    fs.writeFileSync(stackLock(), 'left by an earlier init\n');
    expect(providerLockArgs(stack, committed)).toEqual(['-lockfile=readonly']);
    expect(fs.readFileSync(stackLock(), 'utf8')).toBe(lockFile(AZURERM, KUBERNETES));
  });

  it('copies only the providers the stack requires (a read-only init fails on others)', () => {
    requires({ azurerm: { source: 'hashicorp/azurerm', version: '4.55.0' } });
    fs.writeFileSync(committed, lockFile(AZURERM, KUBERNETES));
    expect(providerLockArgs(stack, committed)).toEqual(['-lockfile=readonly']);
    expect(fs.readFileSync(stackLock(), 'utf8')).toBe(lockFile(AZURERM));
  });

  it('leaves out a required provider the committed file lacks, so the read-only init fails on it', () => {
    requires({ azurerm: { source: 'azurerm', version: '4.55.0' }, kubernetes: { source: 'kubernetes', version: '2.38.0' } });
    fs.writeFileSync(committed, lockFile(AZURERM));
    expect(providerLockArgs(stack, committed)).toEqual(['-lockfile=readonly']);
    expect(fs.readFileSync(stackLock(), 'utf8')).toBe(lockFile(AZURERM));
  });
});

describe('providerAddress', () => {
  it.each([
    ['azurerm', AZURERM],
    ['hashicorp/Kubernetes', KUBERNETES],
    ['example.com/test/fake', 'example.com/test/fake'],
  ])('%s is %s', (source, address) => expect(providerAddress(source)).toBe(address));
});

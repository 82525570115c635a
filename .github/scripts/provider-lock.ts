import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The committed provider lock file, relative to the repository root, where the workflows run. cdktf reads
 * a lock file only in cdktf.out/stacks/<stack>/ and never copies one there, so the init sites do.
 */
export const COMMITTED_LOCK_FILE = path.join('infra', 'terraform.lock.hcl');

let toldNoLockFile = false;

/** The address a lock file names a provider by, from a `source` of required_providers ("azurerm", "hashicorp/azurerm"). */
export function providerAddress(source: string): string {
  const parts = source.toLowerCase().split('/');
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${parts.join('/')}`;
  return parts.join('/');
}

/**
 * Prepares `stackDir` for `terraform init` and returns the arguments to add to the init.
 * With a committed lock file: writes its entries for the providers the stack requires (cdk.tf.json) to the
 * stack's .terraform.lock.hcl and returns `-lockfile=readonly`, so a provider or package whose checksum is
 * not recorded fails the init instead of being added. Only the stack's own providers, because a read-only
 * init also fails on an entry the stack does not use (a platform stack has no kubernetes provider).
 * Without one: nothing changes, and one line in the log says the checksums are trusted on first use.
 */
export function providerLockArgs(stackDir: string, committed: string = COMMITTED_LOCK_FILE): string[] {
  if (!fs.existsSync(committed)) {
    if (!toldNoLockFile)
      console.log(`no provider lock file is committed (${committed}): terraform init trusts the providers' checksums on first use`);
    toldNoLockFile = true;
    return [];
  }
  const tf = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
    terraform?: { required_providers?: Record<string, { source?: string }> };
  };
  const required = new Set(Object.entries(tf.terraform?.required_providers ?? {}).map(([name, p]) => providerAddress(p.source ?? name)));
  // terraform writes the file as a comment header, then one `provider "<address>" {` block each, closed at column 0.
  const text = fs.readFileSync(committed, 'utf8');
  const blocks = [...text.matchAll(/^provider "([^"]+)" \{$[\s\S]*?^\}$/gm)];
  const header = blocks.length ? text.slice(0, blocks[0].index) : text;
  const kept = blocks.filter((b) => required.has(b[1].toLowerCase())).map((b) => b[0]);
  fs.writeFileSync(path.join(stackDir, '.terraform.lock.hcl'), kept.length ? `${header}${kept.join('\n\n')}\n` : header);
  return ['-lockfile=readonly'];
}

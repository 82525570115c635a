// Up-to-date checks for `npm test` (scripts/test.mjs): a check is skipped when its inputs are byte-identical
// to those of its last clean run. The inputs are every file git tracks or would track (so an edit, a new
// file or a changed lockfile all count; ignored output does not), the Node version and the command.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A hash of everything the checks read: each file git tracks or would track (name and bytes) and the
 * Node version. undefined outside a git work tree: then the checks always run.
 */
export function treeHash(root) {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'buffer' });
  if (listed.status !== 0) return undefined;
  const hash = createHash('sha256').update(process.version).update('\0');
  const files = [...new Set(listed.stdout.toString('utf8').split('\0').filter(Boolean))].sort();
  for (const file of files) {
    let bytes;
    try {
      bytes = fs.readFileSync(path.join(root, file));
    } catch {
      continue; // deleted in the work tree, not yet in the index
    }
    hash.update(file).update('\0').update(String(bytes.length)).update('\0').update(bytes);
  }
  return hash.digest('hex');
}

/** A check's key: the tree and its command. */
export const inputsKey = (tree, command) => (tree === undefined ? undefined : createHash('sha256').update(tree).update(command).digest('hex'));

const stampFile = (dir, name) => path.join(dir, `${name.replace(/\W/g, '-')}.json`);
/** Whether the check's last clean run had these inputs. */
export const isUpToDate = (dir, name, key) => {
  try {
    return key !== undefined && JSON.parse(fs.readFileSync(stampFile(dir, name), 'utf8')).key === key;
  } catch {
    return false;
  }
};
/** Records a clean run of the check with these inputs. */
export function recordClean(dir, name, key) {
  if (key === undefined) return;
  fs.mkdirSync(dir, { recursive: true });
  const temp = `${stampFile(dir, name)}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify({ key }));
  fs.renameSync(temp, stampFile(dir, name)); // atomic: a concurrent run reads the old stamp or the new one
}

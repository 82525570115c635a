/** What a `cdktf diff` (terraform plan) of one stack will do. */
export interface PlanSummary {
  readonly status: 'changes' | 'no-changes' | 'failed';
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Addresses Terraform destroys and re-creates: the lines a reviewer must not miss. */
  readonly replaced: string[];
  /** Addresses destroyed outright. */
  readonly destroyed: string[];
}

/** Removes terminal colour codes. */
// oxlint-disable-next-line no-control-regex -- the codes start with ESC (\u001b)
export const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

/**
 * Reads the human output of `cdktf diff <stack>` (terraform plan lines, possibly prefixed with the
 * stack name). `exitCode` is the diff command's exit code.
 */
export function summarizePlan(output: string, exitCode: number): PlanSummary {
  const text = stripAnsi(output);
  const counts = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(text);
  const addresses = (verb: RegExp) => [...text.matchAll(new RegExp(`# (\\S+) ${verb.source}`, 'g'))].map((m) => m[1]);
  const replaced = [...new Set(addresses(/(?:must be replaced|will be replaced)/))];
  const destroyed = [...new Set(addresses(/will be destroyed/))];
  if (counts) {
    return { status: 'changes', add: Number(counts[1]), change: Number(counts[2]), destroy: Number(counts[3]), replaced, destroyed };
  }
  if (exitCode === 0 && /No changes\./.test(text)) return { status: 'no-changes', add: 0, change: 0, destroy: 0, replaced: [], destroyed: [] };
  return { status: 'failed', add: 0, change: 0, destroy: 0, replaced, destroyed };
}

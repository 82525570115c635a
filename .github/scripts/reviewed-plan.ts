import { createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Json } from '../../scripts/diff/model';
import { diffValues } from '../../scripts/diff/values';
import { providerLockArgs } from './provider-lock';

/*
 * Apply what was reviewed: plan before the approval gate, keep a hash of the planned changes, and after
 * approval apply only a plan with the same hash (see reviewed-plan-command.ts for the command line).
 */

/** What was planned for one stack. */
export interface PlanRecord {
  readonly stack: string;
  readonly status: 'changes' | 'no-changes' | 'failed';
  /** sha256 of the planned changes (see {@link planHash}); absent when the plan failed. */
  readonly hash?: string;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** The end of terraform's error output, when the plan failed. */
  readonly error?: string;
  /** The plan creates or replaces an AKS cluster (a new environment, or a cluster that must be rebuilt). */
  readonly createsCluster?: boolean;
  /** The plan failed because the AKS cluster it reads does not exist (yet). */
  readonly clusterNotFound?: boolean;
}

interface PlanJson {
  readonly resource_changes?: ReadonlyArray<{
    address: string;
    type?: string;
    change: { actions: string[]; before?: unknown; after?: unknown; after_unknown?: unknown };
  }>;
  readonly output_changes?: Record<string, { actions: string[]; before?: unknown; after?: unknown; after_unknown?: unknown }>;
}

const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
        )
      : value;

const idle = (actions: ReadonlyArray<string>) => actions.every((a) => a === 'no-op' || a === 'read');

/** Whether applying the plan would do anything: a resource that is not a no-op (or a read), or an output that changes. */
export const hasChanges = (plan: PlanJson): boolean =>
  (plan.resource_changes ?? []).some((r) => !idle(r.change.actions)) || Object.values(plan.output_changes ?? {}).some((o) => !idle(o.actions));

/** The values a change touches: each leaf where before and after differ, old and new. */
const touched = (before: unknown, after: unknown) =>
  diffValues((before ?? undefined) as Json | undefined, (after ?? undefined) as Json | undefined).map((l) => [l.path, l.old ?? null, l.new ?? null]);

/**
 * A hash of what a plan will do: each resource and output that changes, with its actions, the values
 * it changes (old and new) and what stays unknown until apply (from `terraform show -json`). Timestamps,
 * unchanged resources and unchanged attributes (a computed version AKS moved on by itself) are left
 * out, so planning the same thing twice gives the same hash, and any difference in what would be
 * applied (configuration, state, or real infrastructure read during refresh) gives another.
 */
export function planHash(plan: PlanJson): string {
  const resources = (plan.resource_changes ?? [])
    .filter((r) => !idle(r.change.actions))
    .map((r) => ({
      address: r.address,
      actions: r.change.actions,
      values: touched(r.change.before, r.change.after),
      after_unknown: r.change.after_unknown,
    }))
    .sort((a, b) => a.address.localeCompare(b.address));
  const outputs = Object.entries(plan.output_changes ?? {})
    .filter(([, o]) => !idle(o.actions))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, o]) => ({ name, actions: o.actions, values: touched(o.before, o.after), after_unknown: o.after_unknown }));
  return createHash('sha256')
    .update(JSON.stringify(canonical({ resources, outputs })))
    .digest('hex');
}

/** Counts as terraform prints them ("N to add, N to change, N to destroy"); a replacement is one add and one destroy. */
export function planCounts(plan: PlanJson): Pick<PlanRecord, 'add' | 'change' | 'destroy'> {
  const changes = (plan.resource_changes ?? []).map((r) => r.change.actions);
  return {
    add: changes.filter((a) => a.includes('create')).length,
    change: changes.filter((a) => a.includes('update')).length,
    destroy: changes.filter((a) => a.includes('delete')).length,
  };
}

/** Whether the plan creates an AKS cluster: on its own (a new environment) or as part of a replacement. */
export const createsCluster = (plan: PlanJson): boolean =>
  (plan.resource_changes ?? []).some((r) => r.type === 'azurerm_kubernetes_cluster' && r.change.actions.includes('create'));

/**
 * The error of the azurerm data source `azurerm_kubernetes_cluster` when the cluster (or its resource
 * group) does not exist: `fmt.Errorf("%s was not found", id)` with a ManagedClusterID, printed as
 * `Managed Cluster (Subscription: "..." / Resource Group Name: "..." / Managed Cluster Name: "...") was not found`
 * (terraform-provider-azurerm internal/services/containers/kubernetes_cluster_data_source.go).
 * terraform prints each line of it behind a box-drawing border, so the parts may be several lines apart.
 */
export const CLUSTER_NOT_FOUND = /Managed Cluster \([^)]*Managed Cluster Name: [^)]*\) was not found/;

/**
 * Whether an apps stack whose reviewed plan failed may be planned and applied after its platform stack,
 * unreviewed: only in the one case where it could not be planned before, the cluster it reads does not
 * exist yet and the reviewed platform plan creates it. Any other failure stops the deploy.
 */
export function mayDefer(apps: PlanRecord | undefined, platform: PlanRecord | undefined): boolean {
  return apps?.status === 'failed' && apps.clusterNotFound === true && platform?.status === 'changes' && platform.createsCluster === true;
}

/** How terraform runs here: in automation (no "run terraform apply" hints), with `env` added to this process's environment. */
const terraformEnv = (env: NodeJS.ProcessEnv = {}) => ({ ...process.env, TF_IN_AUTOMATION: '1', ...env });

function terraform(cwd: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync('terraform', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: terraformEnv() });
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

/**
 * terraform without blocking this process, for several stacks at once (plan-stacks.ts): its exit code
 * (1 when it could not start) and what it printed, stdout and stderr in the order they came.
 */
export function terraformAsync(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('terraform', args, { cwd, env: terraformEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (error) => (output += String(error)));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const tail = (text: string, lines = 30) => text.trim().split('\n').slice(-lines).join('\n');

/** Initializes and plans one stack into `planFile`; returns the record and the human plan. */
function planStack(stackDir: string, stack: string, planFile: string, lock: boolean): { record: PlanRecord; text: string } {
  const failed = (error: string) => ({
    record: {
      stack,
      status: 'failed' as const,
      add: 0,
      change: 0,
      destroy: 0,
      error: tail(error),
      ...(CLUSTER_NOT_FOUND.test(error) ? { clusterNotFound: true } : {}),
    },
    text: error,
  });
  if (!fs.existsSync(path.join(stackDir, 'cdk.tf.json'))) return failed(`${stackDir}/cdk.tf.json does not exist: run npm run synth first`);
  const init = terraform(stackDir, ['init', '-input=false', '-no-color', ...providerLockArgs(stackDir)]);
  if (!init.ok) return failed(init.stdout + init.stderr);
  const plan = terraform(stackDir, ['plan', '-input=false', '-no-color', `-lock=${lock}`, `-out=${planFile}`]);
  if (!plan.ok) return failed(plan.stdout + plan.stderr);
  const json = terraform(stackDir, ['show', '-json', planFile]);
  const text = terraform(stackDir, ['show', '-no-color', planFile]);
  if (!json.ok || !text.ok) return failed(json.stderr + text.stderr);
  const parsed = JSON.parse(json.stdout) as PlanJson;
  const counts = planCounts(parsed);
  const record: PlanRecord = {
    stack,
    status: hasChanges(parsed) ? 'changes' : 'no-changes',
    hash: planHash(parsed),
    ...counts,
    ...(createsCluster(parsed) ? { createsCluster: true } : {}),
  };
  return { record, text: text.stdout };
}

/** Adds a stack's plan to the GitHub job summary, folded and kept well under the summary's 1 MiB limit. */
function summarize(title: string, record: PlanRecord, text: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  const headline =
    record.status === 'failed'
      ? `**Could not be planned.**`
      : record.status === 'no-changes'
        ? 'No changes.'
        : `**${record.add} to add, ${record.change} to change, ${record.destroy} to destroy.**`;
  const body = text.length > 200_000 ? `${text.slice(0, 200_000)}\n... (cut; the full plan is in the log)` : text;
  fs.appendFileSync(
    file,
    `### ${title}\n\n${headline}${record.hash ? ` Plan hash \`${record.hash.slice(0, 16)}\`.` : ''}\n\n<details><summary>terraform plan</summary>\n\n\`\`\`\n${body.trim()}\n\`\`\`\n\n</details>\n\n`,
  );
}

const readRecord = (dir: string, stack: string): PlanRecord | undefined => {
  const file = path.join(dir, `${stack}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as PlanRecord) : undefined;
};

/**
 * `plan`: the reviewed plan of a stack. Exit 0 when planned, 1 when not; with `deferredAfter` (its
 * platform stack, planned first), also 0 when `apply --deferred-after` will plan it after that stack
 * (mayDefer), so the review fails now for every other reason, before anything is applied.
 */
export function reviewPlan(stack: string, dir: string, cdktfOut: string, options: { deferredAfter?: string } = {}): number {
  fs.mkdirSync(dir, { recursive: true });
  const stackDir = path.resolve(cdktfOut, 'stacks', stack);
  const planFile = path.join(stackDir, 'reviewed.tfplan');
  // A plan file holds sensitive values in plain text: it never outlives this function.
  let planned: ReturnType<typeof planStack>;
  try {
    planned = planStack(stackDir, stack, planFile, false);
  } finally {
    fs.rmSync(planFile, { force: true });
  }
  const { record, text } = planned;
  fs.writeFileSync(path.join(dir, `${stack}.json`), `${JSON.stringify(record, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, `${stack}.txt`), text);
  summarize(`Plan: \`${stack}\``, record, text);
  console.log(
    record.status === 'failed'
      ? `${stack}: could not be planned:\n${record.error}`
      : `${stack}: ${record.status}, ${record.add} to add, ${record.change} to change, ${record.destroy} to destroy (hash ${record.hash})`,
  );
  if (record.status !== 'failed') return 0;
  if (options.deferredAfter !== undefined && mayDefer(record, readRecord(dir, options.deferredAfter))) {
    console.log(`${stack}: planned after ${options.deferredAfter} is applied, which creates the AKS cluster this stack reads`);
    return 0;
  }
  return 1;
}

/** `apply`: plans again, checks the plan against the reviewed one, applies exactly that plan file. */
export function applyReviewed(stack: string, dir: string, cdktfOut: string, options: { deferredAfter?: string; outputsFile?: string } = {}): number {
  const reviewed = readRecord(dir, stack);
  const platform = options.deferredAfter ? readRecord(dir, options.deferredAfter) : undefined;
  const deferred = options.deferredAfter !== undefined && mayDefer(reviewed, platform);
  if ((!reviewed || reviewed.status === 'failed') && !deferred) {
    const why = options.deferredAfter
      ? ` It is planned after ${options.deferredAfter} only when that reviewed plan creates the AKS cluster this stack could not find.`
      : '';
    console.error(
      `${stack}: no reviewed plan in ${dir}${reviewed?.error ? ` (planning it failed: ${reviewed.error})` : ''}; refusing to apply a plan nobody saw.${why}`,
    );
    return 1;
  }
  const stackDir = path.resolve(cdktfOut, 'stacks', stack);
  const planFile = path.join(stackDir, 'apply.tfplan');
  // The plan file holds sensitive values in plain text: it is removed whatever happens below.
  try {
    return planAndApply(stack, stackDir, planFile, reviewed, deferred ? options.deferredAfter : undefined, options.outputsFile);
  } finally {
    fs.rmSync(planFile, { force: true });
  }
}

function planAndApply(
  stack: string,
  stackDir: string,
  planFile: string,
  reviewed: PlanRecord | undefined,
  deferredAfter: string | undefined,
  outputsFile: string | undefined,
): number {
  const { record, text } = planStack(stackDir, stack, planFile, true);
  summarize(`Plan being applied: \`${stack}\``, record, text);
  if (record.status === 'failed') {
    console.error(`${stack}: could not be planned:\n${record.error}`);
    return 1;
  }
  if (deferredAfter) {
    console.log(
      `${stack}: planned after ${deferredAfter} was applied (that reviewed plan creates the AKS cluster this stack reads, so it could not be planned before); this plan is in the job summary`,
    );
  } else if (record.hash !== reviewed?.hash) {
    console.error(
      `${stack}: the plan changed since it was reviewed (reviewed ${reviewed?.hash?.slice(0, 16)}: ${reviewed?.add} to add, ${reviewed?.change} to change, ${reviewed?.destroy} to destroy; now ${record.hash?.slice(0, 16)}: ${record.add} to add, ${record.change} to change, ${record.destroy} to destroy). Nothing was applied; run the deploy again to review the new plan.`,
    );
    return 1;
  }
  if (record.status === 'changes') {
    const apply = terraform(stackDir, ['apply', '-input=false', '-no-color', planFile]);
    process.stdout.write(apply.stdout);
    if (!apply.ok) {
      console.error(apply.stderr);
      return 1;
    }
  } else {
    // Nothing to apply (every resource a no-op, no output changing): terraform apply is not run at all.
    console.log(`${stack}: no changes${deferredAfter ? '' : ', as reviewed'}; apply skipped`);
  }
  if (outputsFile) {
    // The format `cdktf deploy --outputs-file` writes, which `npm run synth` reads (workloads/platform-outputs.ts).
    const output = terraform(stackDir, ['output', '-json']);
    if (!output.ok) {
      console.error(output.stderr);
      return 1;
    }
    const values = Object.fromEntries(Object.entries(JSON.parse(output.stdout) as Record<string, { value: unknown }>).map(([k, v]) => [k, v.value]));
    fs.mkdirSync(path.dirname(outputsFile), { recursive: true });
    fs.writeFileSync(outputsFile, `${JSON.stringify({ [stack]: values }, null, 2)}\n`);
  }
  return 0;
}

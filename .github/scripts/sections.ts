import { code, text } from '../../scripts/diff/markdown-escape';
import { renderMarkdown } from '../../scripts/diff/render-markdown';
import type { Section } from './comment';
import { stripAnsi, summarizePlan } from './plan-summary';
import type { Count, ReviewData } from './review-data';

/*
 * The comment's sections, from review.json's data (review-data.ts). Every value goes through
 * scripts/diff/markdown-escape.ts: `code` for names and addresses, `text` for messages; plan outputs and
 * errors are details, which comment.ts fences.
 */

/** The offline diff's share of GitHub's 65,536 characters; the plans share the rest. */
export const OFFLINE_DIFF_LIMIT = 40_000;

/** A count list as text: `2 kubernetes_cluster, 1 resource_group`. */
const counts = (items: ReadonlyArray<Count>) => text(items.map((c) => `${c.count} ${c.name}`).join(', '));

/** What `npm run synth` produced: Terraform resources per stack and Kubernetes objects per environment. */
export function synthSection(synth: ReviewData['synthesized']): Section {
  if (!synth.ok) {
    return {
      title: 'Synthesized',
      summary: '**Synthesis failed**: nothing to show or plan. The offline diff above carries the error; the run log has it in full.',
    };
  }
  return {
    title: 'Synthesized',
    summary: [
      '| Stack | Resources | Types |',
      '| --- | --- | --- |',
      ...synth.stacks.map((s) => `| ${code(s.name, { cell: true })} | ${s.resources} | ${counts(s.types)} |`),
      '',
      '| Manifests | Objects | Kinds |',
      '| --- | --- | --- |',
      ...synth.manifests.map((m) => `| ${code(m.file, { cell: true })} | ${m.objects} | ${counts(m.kinds)} |`),
    ].join('\n'),
  };
}

/**
 * Why a stack could not be planned, from what terraform printed: precise for the causes this project
 * knows (an apps stack planned by an identity that cannot read the cluster's credentials, or before its
 * platform is deployed, or a missing role), generic otherwise.
 */
export function planFailureReason(stack: string, output: string): string {
  const plain = stripAnsi(output);
  const platform = code(stack.replace(/^apps-/, 'platform-'));
  const offline = " The offline diff above still shows this stack's changes.";
  if (stack.startsWith('apps-') && /Invalid index/.test(plain) && /kube_config/.test(plain)) {
    return `The pull-request identity could read the cluster but not its credentials: \`listClusterUserCredential\` needs the "Azure Kubernetes Service Cluster User Role" on the cluster, which Reader does not include. The azurerm provider ignores that 403 and returns an empty \`kube_config\`, so the kubernetes provider fails with "Invalid index". Give the plan identity that role and read access to the cluster's objects to get apps plans (docs/identities-and-ci.md, "Identities and roles").${offline}`;
  }
  if (stack.startsWith('apps-') && /(ResourceNotFound|not ?found|could not be found)/i.test(plain)) {
    return `The cluster this stack deploys to does not exist yet: ${platform} is new or changes it in this pull request and is not deployed. The apps stack reads the cluster, so it can only be planned against a deployed platform; \`deploy\` plans it right after applying ${platform} (docs/identities-and-ci.md, "Identities for plans").${offline}`;
  }
  const denied = /does not have authorization to perform action '([^']+)'/.exec(plain);
  if (denied)
    return `The plan identity is missing a permission: ${code(denied[1])} was denied. Grant it the role that includes it (docs/identities-and-ci.md, "Identities and roles").${offline}`;
  if (/AADSTS\d+|OIDC|failed to get oidc token|Unable to get .*token/i.test(plain)) return `Azure sign-in failed (see the folded output).${offline}`;
  return `See the folded output for terraform's error.${offline}`;
}

/** The plan of one stack, from the saved output and exit code of `cdktf diff <stack>`. */
export function planSection(stack: string, output: string, exitCode: number): Section {
  const plan = summarizePlan(output, exitCode);
  const summary =
    plan.status === 'no-changes'
      ? 'No changes.'
      : plan.status === 'failed'
        ? `**Could not be planned** (exit code ${exitCode}). ${planFailureReason(stack, output)}`
        : [
            `**${plan.add} to add, ${plan.change} to change, ${plan.destroy} to destroy.**`,
            ...(plan.replaced.length ? ['', ':warning: **Replaced** (destroyed and re-created):', ...plan.replaced.map((a) => `- ${code(a)}`)] : []),
            ...(plan.destroyed.length ? ['', ':warning: **Destroyed**:', ...plan.destroyed.map((a) => `- ${code(a)}`)] : []),
          ].join('\n');
  return { title: code(stack), summary, details: stripAnsi(output).trim(), detailsLabel: 'cdktf diff' };
}

/** The offline diff: its report rendered by `npm run diff`'s own renderer, or its error. */
export function offlineDiffSection(offline: NonNullable<ReviewData['offlineDiff']>, limit = OFFLINE_DIFF_LIMIT): Section {
  if ((offline.exitCode !== 0 && offline.exitCode !== 1) || offline.report === undefined) {
    return {
      title: 'Offline diff',
      summary: `**\`npm run diff\` failed** (exit code ${offline.exitCode}; 2: bad input, 3: a synth failed).`,
      details: stripAnsi(offline.error ?? 'no output'),
      detailsLabel: 'Error',
    };
  }
  return { title: 'Offline diff', summary: '', markdown: renderMarkdown(offline.report, limit) };
}

/** Why no plan was made (no Azure credentials for this repository or a fork's pull request). */
export function noPlanSection(reason: string): Section {
  return {
    title: 'Plans',
    summary: `No plan could be made: ${text(reason)} The synthesized Terraform and manifests above are in the workflow artifact.`,
  };
}

/** The stacks left out of the plans (plan-stacks.ts: unchanged by the pull request), by reason. */
export function notPlannedSection(notPlanned: ReviewData['plans']['notPlanned']): Section {
  const reasons = [...new Set(notPlanned.map((n) => n.reason ?? 'no reason given'))];
  const lines = reasons.map((reason) => {
    const stacks = notPlanned.filter((n) => (n.reason ?? 'no reason given') === reason).map((n) => code(n.stack));
    return `Not planned: ${stacks.length} stack${stacks.length === 1 ? '' : 's'} ${text(reason)}: ${stacks.join(', ')}.`;
  });
  return { title: 'Not planned', summary: lines.join('\n\n') };
}

/** What the run could not read while collecting the data. */
export function errorsSection(errors: ReadonlyArray<string>): Section {
  return {
    title: 'Incomplete data',
    summary: `The run could not read ${errors.length === 1 ? 'one of its outputs' : `${errors.length} of its outputs`}; the sections above may miss what it held.`,
    details: errors.join('\n'),
    detailsLabel: 'Errors',
  };
}

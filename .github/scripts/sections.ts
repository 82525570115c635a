import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Section } from './comment';
import { stripAnsi, summarizePlan } from './plan-summary';

const count = (items: string[]) =>
  Object.entries(items.reduce<Record<string, number>>((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {}))
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');

/** What `npm run synth` produced: Terraform resources per stack and Kubernetes objects per environment. */
export function synthSection(cdktfOut: string, dist: string): Section {
  if (!fs.existsSync(path.join(cdktfOut, 'manifest.json'))) {
    return {
      title: 'Synthesized',
      summary: '**Synthesis failed**: nothing to show or plan. The offline diff above carries the error; the run log has it in full.',
    };
  }
  const stacks = Object.keys(JSON.parse(fs.readFileSync(path.join(cdktfOut, 'manifest.json'), 'utf8')).stacks).sort();
  const rows = stacks.map((stack) => {
    const tf = JSON.parse(fs.readFileSync(path.join(cdktfOut, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    const resources = Object.entries<Record<string, unknown>>(tf.resource ?? {}).flatMap(([type, r]) => Object.keys(r).map(() => type));
    return `| \`${stack}\` | ${resources.length} | ${count(resources.map((t) => t.replace(/^(azurerm|kubernetes)_/, '')))} |`;
  });
  const manifests = fs.existsSync(dist)
    ? fs
        .readdirSync(dist)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
    : [];
  const manifestRows = manifests.map((file) => {
    const kinds = parseAllDocuments(fs.readFileSync(path.join(dist, file), 'utf8')).map((d) => String((d.toJS() as { kind?: string })?.kind));
    return `| \`dist/${file}\` | ${kinds.length} | ${count(kinds)} |`;
  });
  return {
    title: 'Synthesized',
    summary: [
      '| Stack | Resources | Types |',
      '| --- | --- | --- |',
      ...rows,
      '',
      '| Manifests | Objects | Kinds |',
      '| --- | --- | --- |',
      ...manifestRows,
    ].join('\n'),
  };
}

/**
 * Why a stack could not be planned, from what terraform printed: precise for the causes this project
 * knows (an apps stack planned by an identity that cannot read the cluster's credentials, or before its
 * platform is deployed, or a missing role), generic otherwise.
 */
export function planFailureReason(stack: string, output: string): string {
  const text = stripAnsi(output);
  const platform = stack.replace(/^apps-/, 'platform-');
  const offline = " The offline diff above still shows this stack's changes.";
  if (stack.startsWith('apps-') && /Invalid index/.test(text) && /kube_config/.test(text)) {
    return `The pull-request identity could read the cluster but not its credentials: \`listClusterUserCredential\` needs the "Azure Kubernetes Service Cluster User Role" on the cluster, which Reader does not include. The azurerm provider ignores that 403 and returns an empty \`kube_config\`, so the kubernetes provider fails with "Invalid index". Give the plan identity that role and read access to the cluster's objects to get apps plans (docs/identities-and-ci.md, "Identities and roles").${offline}`;
  }
  if (stack.startsWith('apps-') && /(ResourceNotFound|not ?found|could not be found)/i.test(text)) {
    return `The cluster this stack deploys to does not exist yet: \`${platform}\` is new or changes it in this pull request and is not deployed. The apps stack reads the cluster, so it can only be planned against a deployed platform; \`deploy\` plans it right after applying \`${platform}\` (docs/identities-and-ci.md, "Identities for plans").${offline}`;
  }
  const denied = /does not have authorization to perform action '([^']+)'/.exec(text);
  if (denied)
    return `The plan identity is missing a permission: \`${denied[1]}\` was denied. Grant it the role that includes it (docs/identities-and-ci.md, "Identities and roles").${offline}`;
  if (/AADSTS\d+|OIDC|failed to get oidc token|Unable to get .*token/i.test(text)) return `Azure sign-in failed (see the folded output).${offline}`;
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
            ...(plan.replaced.length ? ['', ':warning: **Replaced** (destroyed and re-created):', ...plan.replaced.map((a) => `- \`${a}\``)] : []),
            ...(plan.destroyed.length ? ['', ':warning: **Destroyed**:', ...plan.destroyed.map((a) => `- \`${a}\``)] : []),
          ].join('\n');
  return { title: `\`${stack}\``, summary, details: stripAnsi(output).trim(), detailsLabel: 'cdktf diff' };
}

/**
 * The offline diff (`npm run diff --output-dir DIR`): DIR/diff.md, or when it failed, its exit code
 * (DIR/exitcode) and message (DIR/stderr.txt).
 */
export function offlineDiffSection(dir: string): Section {
  const file = (name: string) => path.join(dir, name);
  const exitCode = fs.existsSync(file('exitcode')) ? Number(fs.readFileSync(file('exitcode'), 'utf8').trim()) : 0;
  if ((exitCode !== 1 && exitCode !== 0) || !fs.existsSync(file('diff.md'))) {
    const message = fs.existsSync(file('stderr.txt')) ? fs.readFileSync(file('stderr.txt'), 'utf8').trim() : 'no output';
    return {
      title: 'Offline diff',
      summary: `**\`npm run diff\` failed** (exit code ${exitCode}; 2: bad input, 3: a synth failed).`,
      details: stripAnsi(message),
      detailsLabel: 'Error',
    };
  }
  return { title: 'Offline diff', summary: '', markdown: fs.readFileSync(file('diff.md'), 'utf8') };
}

/** Why no plan was made (no Azure credentials for this repository or a fork's pull request). */
export function noPlanSection(reason: string): Section {
  return {
    title: 'Plans',
    summary: `No plan could be made: ${reason} The synthesized Terraform and manifests above are in the workflow artifact.`,
  };
}

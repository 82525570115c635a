import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Section } from './comment';
import { stripAnsi, summarizePlan } from './plan-summary';

const count = (items: string[]) =>
  Object.entries(items.reduce<Record<string, number>>((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {}))
    .map(([k, n]) => `${n} ${k}`).join(', ');

/** What `npm run synth` produced: Terraform resources per stack and Kubernetes objects per environment. */
export function synthSection(cdktfOut: string, dist: string): Section {
  const stacks = Object.keys(JSON.parse(fs.readFileSync(path.join(cdktfOut, 'manifest.json'), 'utf8')).stacks).sort();
  const rows = stacks.map((stack) => {
    const tf = JSON.parse(fs.readFileSync(path.join(cdktfOut, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    const resources = Object.entries<Record<string, unknown>>(tf.resource ?? {}).flatMap(([type, r]) => Object.keys(r).map(() => type));
    return `| \`${stack}\` | ${resources.length} | ${count(resources.map((t) => t.replace(/^(azurerm|kubernetes)_/, '')))} |`;
  });
  const manifests = fs.existsSync(dist) ? fs.readdirSync(dist).filter((f) => f.endsWith('.yaml')).sort() : [];
  const manifestRows = manifests.map((file) => {
    const kinds = parseAllDocuments(fs.readFileSync(path.join(dist, file), 'utf8')).map((d) => String((d.toJS() as { kind?: string })?.kind));
    return `| \`dist/${file}\` | ${kinds.length} | ${count(kinds)} |`;
  });
  return {
    title: 'Synthesized',
    summary: [
      '| Stack | Resources | Types |', '| --- | --- | --- |', ...rows, '',
      '| Manifests | Objects | Kinds |', '| --- | --- | --- |', ...manifestRows,
    ].join('\n'),
  };
}

/** The plan of one stack, from the saved output and exit code of `cdktf diff <stack>`. */
export function planSection(stack: string, output: string, exitCode: number): Section {
  const plan = summarizePlan(output, exitCode);
  const upstream = stack.startsWith('apps-') ? ` This is expected when \`${stack.replace('apps-', 'platform-')}\` changes in this pull request and is not deployed yet: the apps stack reads the cluster, so it can only be planned against a deployed platform (see README, "Reading a pull request").` : '';
  const summary = plan.status === 'no-changes' ? 'No changes.'
    : plan.status === 'failed' ? `**Could not be planned** (exit code ${exitCode}).${upstream}`
      : [
        `**${plan.add} to add, ${plan.change} to change, ${plan.destroy} to destroy.**`,
        ...(plan.replaced.length ? ['', ':warning: **Replaced** (destroyed and re-created):', ...plan.replaced.map((a) => `- \`${a}\``)] : []),
        ...(plan.destroyed.length ? ['', ':warning: **Destroyed**:', ...plan.destroyed.map((a) => `- \`${a}\``)] : []),
      ].join('\n');
  return { title: `\`${stack}\``, summary, details: stripAnsi(output).trim(), detailsLabel: 'cdktf diff' };
}

/** Why no plan was made (no Azure credentials for this repository or a fork's pull request). */
export function noPlanSection(reason: string): Section {
  return {
    title: 'Plans',
    summary: `No plan could be made: ${reason} The synthesized Terraform and manifests above are in the workflow artifact.`,
  };
}

/*
 * What the stacks do not say and an estimate needs: how much an environment logs, scrapes, reads from Key
 * Vault and sends out. cost/usage.yaml holds `defaults` and per-environment overrides; every figure shows as
 * an assumption in the estimate's lines (docs/cost.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

export const USAGE_FILE = 'cost/usage.yaml';

const amount = z.number().min(0);

const usageSchema = z.strictObject({
  /** GB a day into the Log Analytics workspace (Container Insights, diagnostic settings), Analytics logs. */
  logAnalyticsGbPerDay: amount,
  /** GB a day of Application Insights telemetry (workspace-based: billed as the workspace's ingestion). */
  applicationInsightsGbPerDay: amount,
  /** Managed Prometheus samples ingested a minute, the whole cluster. */
  prometheusSamplesPerMinute: amount,
  /** Key Vault operations a month (secret reads of the CSI driver's rotation, deploys). */
  keyVaultOperationsPerMonth: amount,
  /** GB a month out to the internet. */
  internetEgressGbPerMonth: amount,
  /** GB a month through the cluster's Standard load balancers. */
  loadBalancerGbProcessedPerMonth: amount,
});

export type Usage = z.infer<typeof usageSchema>;

const fileSchema = z.strictObject({
  defaults: usageSchema,
  environments: z.record(z.string().regex(/^[a-z][a-z0-9]{1,11}$/), usageSchema.partial()).default({}),
});

export type UsageFile = z.infer<typeof fileSchema>;

/** The usage file's data, validated; throws an Error naming every problem. */
export function parseUsageFile(data: unknown, file = USAGE_FILE): UsageFile {
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success)
    throw new Error(
      `${file} is not a valid usage file:\n${parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}`,
    );
  return parsed.data;
}

/** An environment's usage: the defaults with its overrides. */
export function usageFor(usage: UsageFile, environment: string): Usage {
  return { ...usage.defaults, ...usage.environments[environment] };
}

/** The usage file (default cost/usage.yaml, from the working directory). */
export function loadUsageFile(file = USAGE_FILE): UsageFile {
  return parseUsageFile(parse(fs.readFileSync(path.resolve(file), 'utf8')), file);
}

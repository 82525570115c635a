import { Testing } from 'cdk8s';
import type { EnvironmentConfig } from '../../config';
import { PhotoViewChart } from '../../workloads/charts/photo-view';

export const CLIENT_ID = '12345678-1234-1234-1234-123456789abc';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

/** The photo-view chart of an environment, its manifests, and the problems its synth-time checks report. */
export function synthPhotoView(environment: EnvironmentConfig, platform = { appIdentityClientId: CLIENT_ID }) {
  const chart = new PhotoViewChart(Testing.app(), { environment, platform });
  const problems = chart.node.findAll().flatMap((c) => c.node.validate());
  // Synthesis runs the same checks and throws; only synthesize a chart that passes them.
  const manifests = problems.length === 0 ? (Testing.synth(chart) as Manifest[]) : [];
  const find = (kind: string, name?: string) => manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  const one = (kind: string, name?: string) => {
    const found = find(kind, name);
    if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` '${name}'` : ''}, found ${found.length}`);
    return found[0];
  };
  return { chart, manifests, problems, find, one };
}

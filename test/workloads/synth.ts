import { Testing } from 'cdk8s';
import type { EnvironmentConfig } from '../../config';
import { PhotoViewChart } from '../../workloads/charts/photo-view';
import type { PlatformOutputs } from '../../workloads/platform-outputs';
import { PHOTO_VIEW_CONTRACT } from '../../workloads/photo-view/contract';
import { memoize } from '../support/memo';
import { kubernetesTestApp } from '../support/test-apps';

export const CLIENT_ID = '12345678-1234-1234-1234-123456789abc';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

/**
 * The values the chart reads besides its props: the image contract, which photo-view-contract.test.ts
 * replaces (jest.replaceProperty) to show that the chart follows it. Part of every memo key of a synth
 * that includes the chart; a test that replaces another module value the synth reads adds it here.
 */
export const chartInputs = () => ({ contract: { ...PHOTO_VIEW_CONTRACT } });

// `inputs` is only part of the key.
const photoViewChart = memoize((environment: EnvironmentConfig, platform: PlatformOutputs, _inputs: ReturnType<typeof chartInputs>) => {
  const chart = new PhotoViewChart(kubernetesTestApp(), { environment, platform });
  const problems = chart.node.findAll().flatMap((c) => c.node.validate());
  // Synthesis runs the same checks and throws; only synthesize a chart that passes them.
  const manifests = problems.length === 0 ? JSON.stringify(Testing.synth(chart)) : '[]';
  return { chart, problems, manifests };
});

/**
 * The photo-view chart of an environment, its manifests, and the problems its synth-time checks report.
 * Memoized per worker by its input (test/support/memo.ts): every call gets its own copy of the manifests
 * and problems; the chart construct is shared by the calls with the same input, to be read only.
 */
export function synthPhotoView(environment: EnvironmentConfig, platform: PlatformOutputs = { appIdentityClientId: CLIENT_ID }) {
  const synthesized = photoViewChart(environment, platform, chartInputs());
  const { chart } = synthesized;
  const problems = [...synthesized.problems];
  const manifests = JSON.parse(synthesized.manifests) as Manifest[];
  const find = (kind: string, name?: string) => manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  const one = (kind: string, name?: string) => {
    const found = find(kind, name);
    if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` '${name}'` : ''}, found ${found.length}`);
    return found[0];
  };
  return { chart, manifests, problems, find, one };
}

import { App, YamlOutputType } from 'cdk8s';
import { loadEnvironmentsFromProcess, platformStackName } from '../config';
import { PhotoViewChart } from './charts/photo-view';
import { readPlatformOutputs, UNDEPLOYED_CLIENT_ID } from './platform-outputs';

// Wiring only: one photo-view chart per environment (or those SYNTH_ENVIRONMENTS names), written to dist/photo-view-<env>.k8s.yaml.
const app = new App({ yamlOutputType: YamlOutputType.FILE_PER_CHART });
const undeployed: string[] = [];
for (const environment of loadEnvironmentsFromProcess()) {
  const outputsFile = `platform-outputs/${environment.name}.json`;
  const platform = readPlatformOutputs(outputsFile, environment.name, platformStackName(environment.name));
  if (!platform) undeployed.push(environment.name);
  new PhotoViewChart(app, { environment, platform: platform ?? { appIdentityClientId: UNDEPLOYED_CLIENT_ID } });
}
app.synth();
if (undeployed.length > 0) {
  console.error(`note: no platform-outputs/<env>.json for ${undeployed.join(', ')}: their dist/ manifests carry a placeholder ` +
    `workload identity client ID. After deploying: npx cdktf output platform-<env> --outputs-file platform-outputs/<env>.json`);
}

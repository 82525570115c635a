import { App, YamlOutputType } from 'cdk8s';
import { InputError, loadEnvironmentsFromProcess, platformStackName } from '../config';
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
// For publishing dist/ to GitOps: refuse, rather than mark, manifests with the placeholder client ID.
if (process.env.REQUIRE_PLATFORM_OUTPUTS === '1' && undeployed.length > 0) {
  throw new InputError(
    `REQUIRE_PLATFORM_OUTPUTS=1: no platform-outputs/<env>.json for ${undeployed.join(', ')}, so their manifests would carry a ` +
      `placeholder workload identity client ID. After deploying: npx cdktf output platform-<env> --outputs-file platform-outputs/<env>.json`,
  );
}
app.synth();
if (undeployed.length > 0) {
  console.error(
    `note: no platform-outputs/<env>.json for ${undeployed.join(', ')}: their dist/ manifests carry a placeholder ` +
      `workload identity client ID and are marked photo-view.io/not-deployable. After deploying: npx cdktf output platform-<env> --outputs-file platform-outputs/<env>.json`,
  );
}

import { App } from './cdktf';
import { enumVariable, loadEnvironmentsFromProcess } from '../config';
import { AppsStack } from './stacks/apps-stack';
import { PlatformStack } from './stacks/platform-stack';

// Wiring only: every environment file (or those SYNTH_ENVIRONMENTS names) becomes its stacks.
const stateBackend = enumVariable('STATE_BACKEND', ['remote', 'local'], 'remote');
if (stateBackend === 'local') {
  console.error('WARNING: STATE_BACKEND=local - Terraform state is kept on this machine, not in Azure Storage.');
}
const kubeloginMode = enumVariable('KUBELOGIN_LOGIN', ['azurecli', 'workloadidentity'], 'azurecli');

const environments = loadEnvironmentsFromProcess();
const app = new App({ skipValidation: false });
for (const environment of environments) {
  const platform = new PlatformStack(app, { environment, stateBackend });
  new AppsStack(app, { environment, platform, stateBackend, kubeloginMode });
}
app.synth();

import { App } from './cdktf';
import { InputError, loadEnvironments } from '../config';
import { AppsStack, type KubeloginMode } from './stacks/apps-stack';
import { PlatformStack } from './stacks/platform-stack';
import type { StateBackendMode } from './stacks/state-backend';

// Wiring only: every environment file becomes its stacks.
const stateBackend = (process.env.STATE_BACKEND ?? 'remote') as StateBackendMode;
if (stateBackend !== 'remote' && stateBackend !== 'local') {
  throw new InputError(`STATE_BACKEND='${stateBackend}' is not allowed; use 'remote' (default) or 'local'`);
}
if (stateBackend === 'local') {
  console.error('WARNING: STATE_BACKEND=local - Terraform state is kept on this machine, not in Azure Storage.');
}

const kubeloginMode = (process.env.KUBELOGIN_LOGIN ?? 'azurecli') as KubeloginMode;
if (kubeloginMode !== 'azurecli' && kubeloginMode !== 'workloadidentity') {
  throw new InputError(`KUBELOGIN_LOGIN='${kubeloginMode}' is not allowed; use 'azurecli' (default) or 'workloadidentity'`);
}

const environments = loadEnvironments(process.env.ENVIRONMENTS_DIR ?? 'environments');
const app = new App({ skipValidation: false });
for (const environment of environments) {
  const platform = new PlatformStack(app, { environment, stateBackend });
  new AppsStack(app, { environment, platform, stateBackend, kubeloginMode });
}
app.synth();

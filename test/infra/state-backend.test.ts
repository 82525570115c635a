import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing } from '../../infra/cdktf';
import { PlatformStack } from '../../infra/stacks/platform-stack';
import { AppsStack } from '../../infra/stacks/apps-stack';
import { LOCAL_STATE_DIR } from '../../infra/stacks/state-backend';
import { environment, ENVIRONMENT_NAMES } from '../config/fixtures';
import { terraformTestApp } from '../support/test-apps';

function backends(mode: 'remote' | 'local') {
  const app = terraformTestApp();
  return ENVIRONMENT_NAMES.flatMap((name) => {
    const env = environment(name);
    const platform = new PlatformStack(app, { environment: env, stateBackend: mode });
    const apps = new AppsStack(app, { environment: env, platform, stateBackend: mode });
    return [platform, apps].map((stack) => ({ env, stack: stack.node.id, backend: JSON.parse(Testing.synth(stack)).terraform.backend }));
  });
}

describe('state across subscriptions: one state account, one container per environment', () => {
  const remote = backends('remote');

  it('puts every environment in the one state account, each in its own container, one key per stack', () => {
    const accounts = new Set(remote.map((b) => `${b.backend.azurerm.resource_group_name}/${b.backend.azurerm.storage_account_name}`));
    expect(accounts.size).toBe(1);
    for (const { env, stack, backend } of remote) {
      expect(backend.azurerm).toMatchObject({
        container_name: `tfstate-${env.name}`,
        key: `${stack}.tfstate`,
        use_azuread_auth: true,
        tenant_id: env.tenantId,
      });
    }
    const locations = remote.map((b) => `${b.backend.azurerm.container_name}/${b.backend.azurerm.key}`);
    expect(new Set(locations).size).toBe(locations.length);
  });

  it('leaves out subscription_id, which Entra ID data-plane auth ignores, although the environments live in different subscriptions', () => {
    expect(new Set(remote.map((b) => b.env.subscriptionId)).size).toBe(ENVIRONMENT_NAMES.length);
    for (const { backend } of remote) expect(backend.azurerm).not.toHaveProperty('subscription_id');
  });

  it('takes a container name from the environment file when one is set', () => {
    const stack = new PlatformStack(terraformTestApp(), { environment: environment('dev', { state: { containerName: 'tfstate' } }) });
    expect(JSON.parse(Testing.synth(stack)).terraform.backend.azurerm.container_name).toBe('tfstate');
  });
});

describe('local state (STATE_BACKEND=local) lives outside every generated folder', () => {
  it('points each stack at .state/<stack>.tfstate at the repository root, by a relative path', () => {
    for (const { stack, backend } of backends('local')) {
      expect(backend.local.path).toBe(`../../../.state/${stack}.tfstate`);
      // Terraform runs in cdktf.out/stacks/<stack>/: the path resolves to <root>/.state, outside cdktf.out/.
      expect(path.posix.normalize(`cdktf.out/stacks/${stack}/${backend.local.path}`)).toBe(`.state/${stack}.tfstate`);
    }
  });

  it('is ignored by git', () => {
    const ignore = fs.readFileSync(path.resolve(__dirname, '../../.gitignore'), 'utf8').split('\n');
    expect(ignore).toContain(`${LOCAL_STATE_DIR}/`);
  });
});

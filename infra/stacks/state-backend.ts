import type { TerraformStack } from '../cdktf';
import { AzurermBackend, LocalBackend } from '../cdktf';
import { stateContainerName, type EnvironmentConfig } from '../../config';

/**
 * Where Terraform state lives. `remote` (the default everywhere) is the azurerm backend with Entra ID
 * auth; `local` exists only for throw-away experiments and must be asked for explicitly.
 */
export type StateBackendMode = 'remote' | 'local';

/** Folder of local state, at the repository root: outside cdktf.out/ and dist/, which every synth replaces. */
export const LOCAL_STATE_DIR = '.state';

/**
 * Local state file of a stack, relative to where Terraform runs (`cdktf.out/stacks/<stack>/`): three
 * levels up is the folder holding cdktf.out/. Relative, so synth output is the same on every machine.
 */
const localStatePath = (stackName: string) => `../../../${LOCAL_STATE_DIR}/${stackName}.tfstate`;

/**
 * Configures the state backend of a stack; the state key is the stack's name.
 *
 * Layout (one tenant, environments in their own subscriptions): one state storage account, in the
 * subscription that holds shared tooling, with one container per environment. Storage account names are
 * global, so one account per subscription cannot share a name; and with Entra ID data-plane auth the
 * backend reaches the account by name alone, so a `subscription_id` here would be ignored (it is left out).
 * Each environment's deploy identity is granted its own container only.
 */
export function useStateBackend(stack: TerraformStack, env: EnvironmentConfig, stackName: string, mode: StateBackendMode): void {
  if (mode === 'local') {
    new LocalBackend(stack, { path: localStatePath(stackName) });
    return;
  }
  new AzurermBackend(stack, {
    resourceGroupName: env.state.resourceGroupName,
    storageAccountName: env.state.storageAccountName,
    containerName: stateContainerName(env),
    key: `${stackName}.tfstate`,
    tenantId: env.tenantId,
    // Entra ID, not storage keys; in CI the OIDC token comes from ARM_USE_OIDC / ARM_CLIENT_ID.
    useAzureadAuth: true,
  });
}

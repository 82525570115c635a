import type { TerraformStack } from '../cdktf';
import { AzurermBackend, LocalBackend } from '../cdktf';
import type { EnvironmentConfig } from '../../config';

/**
 * Where Terraform state lives. `remote` (the default everywhere) is the azurerm backend with Entra ID
 * auth; `local` exists only for throw-away experiments and must be asked for explicitly.
 */
export type StateBackendMode = 'remote' | 'local';

/** Configures the state backend of a stack; the state key is the stack's name. */
export function useStateBackend(stack: TerraformStack, env: EnvironmentConfig, stackName: string, mode: StateBackendMode): void {
  if (mode === 'local') {
    new LocalBackend(stack, { path: `terraform.${stackName}.tfstate` });
    return;
  }
  new AzurermBackend(stack, {
    resourceGroupName: env.state.resourceGroupName,
    storageAccountName: env.state.storageAccountName,
    containerName: env.state.containerName,
    key: `${stackName}.tfstate`,
    subscriptionId: env.subscriptionId,
    tenantId: env.tenantId,
    // Entra ID, not storage keys; in CI the OIDC token comes from ARM_USE_OIDC / ARM_CLIENT_ID.
    useAzureadAuth: true,
  });
}

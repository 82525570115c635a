import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';

/** Properties of {@link KeyVaultSecrets}. */
export interface KeyVaultSecretsProps {
  readonly namespace: string;
  /** Name of the SecretProviderClass and of the Kubernetes Secret it syncs. */
  readonly name: string;
  readonly keyVaultName: string;
  readonly tenantId: string;
  /** Client ID of the workload identity allowed to read the vault. */
  readonly clientId: string;
  /** File (and variable) name -> Key Vault secret name. */
  readonly secrets: Readonly<Record<string, string>>;
  /**
   * Secrets also synced into a Kubernetes Secret, for environment variables. Synced values are stored
   * in etcd, so only these are. @default none: files only
   */
  readonly synced?: ReadonlyArray<string>;
}

/**
 * A SecretProviderClass for the AKS Key Vault secrets provider (Secrets Store CSI driver): pods that
 * mount it get each secret as a file; the driver syncs only the `synced` ones into a Kubernetes Secret
 * for environment variables. Values never pass through this repository.
 * @see https://learn.microsoft.com/azure/aks/csi-secrets-store-identity-access#access-with-a-microsoft-entra-workload-id
 */
export class KeyVaultSecrets extends Construct {
  /** Name to reference in a CSI volume's `secretProviderClass` attribute. */
  public readonly secretProviderClassName: string;
  /** Name of the synced Kubernetes Secret (only when something is synced); its keys are the variable names. */
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: KeyVaultSecretsProps) {
    super(scope, id);
    const entries = Object.entries(props.secrets);
    const synced = props.synced ?? [];
    const unknown = synced.filter((variable) => !(variable in props.secrets));
    if (unknown.length > 0) throw new Error(`KeyVaultSecrets '${props.name}': synced secret(s) ${unknown.join(', ')} are not in secrets`);
    // The CSI driver reads `objects` as a YAML string.
    const objects =
      'array:\n' +
      entries.map(([variable, secret]) => `  - |\n    objectName: ${secret}\n    objectType: secret\n    objectAlias: ${variable}\n`).join('');
    new ApiObject(this, 'Resource', {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        provider: 'azure',
        parameters: {
          usePodIdentity: 'false',
          clientID: props.clientId,
          keyvaultName: props.keyVaultName,
          tenantId: props.tenantId,
          objects,
        },
        ...(synced.length > 0
          ? {
              secretObjects: [{ secretName: props.name, type: 'Opaque', data: synced.map((variable) => ({ objectName: variable, key: variable })) }],
            }
          : {}),
      },
    });
    this.secretProviderClassName = props.name;
    this.secretName = props.name;
  }
}

import type { Construct } from 'constructs';
import { App as Cdk8sApp } from 'cdk8s';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { DataAzurermApplicationInsights } from '@cdktf/provider-azurerm/lib/data-azurerm-application-insights';
import { DataAzurermKubernetesCluster } from '@cdktf/provider-azurerm/lib/data-azurerm-kubernetes-cluster';
import { DataAzurermUserAssignedIdentity } from '@cdktf/provider-azurerm/lib/data-azurerm-user-assigned-identity';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Fn, TerraformStack } from '../cdktf';
import { namingContext, type EnvironmentConfig, appsStackName, keyVaultSecretName, resourceName } from '../../config';
import { grantSecretRead, keyVaultResourceId } from '../constructs/key-vault';
import { KubernetesManifests } from '../constructs/kubernetes-manifests';
import { PhotoViewChart } from '../../workloads/charts/photo-view';
import { useStateBackend, type StateBackendMode } from './state-backend';

/** How kubelogin gets an Entra ID token: the Azure CLI's login (local, and CI after azure/login with OIDC) or workload identity. */
export type KubeloginMode = 'azurecli' | 'workloadidentity';

/** Properties of an {@link AppsStack}. */
export interface AppsStackProps {
  readonly environment: EnvironmentConfig;
  /** The platform stack of the same environment; deployed first. */
  readonly platform: TerraformStack;
  /** @default 'remote' */
  readonly stateBackend?: StateBackendMode;
  /** @default 'azurecli' */
  readonly kubeloginMode?: KubeloginMode;
}

/** Application ID of the AKS Entra ID server, the audience of cluster tokens. */
export const AKS_ENTRA_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

/**
 * photo-view on an environment's cluster: the same cdk8s chart as dist/, applied by Terraform.
 * Platform values are read by their derived names (data sources), not passed as outputs, so the
 * stack needs no kubeconfig and holds no credentials: the kubernetes provider gets short-lived
 * Entra ID tokens from kubelogin.
 */
export class AppsStack extends TerraformStack {
  public readonly manifests: KubernetesManifests;

  constructor(scope: Construct, props: AppsStackProps) {
    const env = props.environment;
    const stackName = appsStackName(env.name);
    super(scope, stackName);
    this.addDependency(props.platform);
    const naming = namingContext(env);
    const resourceGroupName = resourceName('resourceGroup', naming);

    // Registrations are the bootstrap stack's (see platform-stack.ts): none from the deploy or plan identity.
    new AzurermProvider(this, 'azurerm', { subscriptionId: env.subscriptionId, resourceProviderRegistrations: 'none', features: [{}] });
    useStateBackend(this, env, stackName, props.stateBackend ?? 'remote');

    const cluster = new DataAzurermKubernetesCluster(this, 'Cluster', { name: resourceName('kubernetesCluster', naming), resourceGroupName });
    const identity = new DataAzurermUserAssignedIdentity(this, 'AppIdentity', {
      name: resourceName('managedIdentity', naming, 'app'),
      resourceGroupName,
    });

    // One grant per secret the pods mount, not the vault: the secrets exist only once operators set them after
    // the platform deploy, and the pre-flight checks them before this stack is applied.
    const keyVaultId = keyVaultResourceId(env.subscriptionId, resourceGroupName, resourceName('keyVault', naming));
    const secretGrants = env.app.secretNames.map((variable) =>
      grantSecretRead(this, `AppSecretUser-${keyVaultSecretName(variable)}`, {
        keyVaultId,
        secretName: keyVaultSecretName(variable),
        principal: identity,
      }),
    );

    const provider = new KubernetesProvider(this, 'kubernetes', {
      host: cluster.kubeConfig.get(0).host,
      clusterCaCertificate: Fn.base64decode(cluster.kubeConfig.get(0).clusterCaCertificate),
      exec: [
        {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'kubelogin',
          args: ['get-token', '--login', props.kubeloginMode ?? 'azurecli', '--server-id', AKS_ENTRA_SERVER_ID],
        },
      ],
    });

    const chart = new PhotoViewChart(new Cdk8sApp(), {
      environment: env,
      platform: {
        appIdentityClientId: identity.clientId,
        applicationInsightsConnectionString: env.applicationInsights.enabled
          ? new DataAzurermApplicationInsights(this, 'AppInsights', { name: resourceName('applicationInsights', naming), resourceGroupName })
              .connectionString
          : undefined,
      },
    });
    this.manifests = new KubernetesManifests(this, 'PhotoView', {
      chart,
      provider,
      rolloutTimeoutMinutes: env.app.rolloutTimeoutMinutes,
      // A new assignment takes a while to take effect (learn.microsoft.com/azure/role-based-access-control/troubleshooting);
      // until then the CSI driver's mount is denied and the kubelet retries it, within the rollout timeout.
      podsDependOn: secretGrants,
    });
  }
}

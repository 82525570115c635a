import type { Construct } from 'constructs';
import { namingContext, resourceName, type EnvironmentConfig } from '../../config';
import { ApplicationInsights } from '../constructs/application-insights';
import { DefenderForContainers } from '../constructs/defender';
import { DiagnosticSettings } from '../constructs/diagnostic-settings';
import type { KeyVault } from '../constructs/key-vault';
import type { KubernetesCluster } from '../constructs/kubernetes-cluster';
import { grantRole, type IPrincipal } from '../constructs/role-assignment';
import { ManagedPrometheus } from '../constructs/managed-prometheus';
import { NamespaceAccess } from '../constructs/namespace-access';
import { PlanIdentityAccess } from '../constructs/plan-identity-access';
import { githubIdentity, identityGrants } from '../access/grants';
import { customRoleDefinitionId } from '../access/role-ids';
import { PodSecurityPolicy } from '../constructs/pod-security-policy';
import type { ResourceGroup } from '../constructs/resource-group';

/** What the add-ons attach to. */
export interface PlatformAddOnTargets {
  readonly resourceGroup: ResourceGroup;
  readonly cluster: KubernetesCluster;
  /** Where Prometheus alerts go (the environment's action group). */
  readonly actionGroupId: string;
  readonly logAnalyticsWorkspaceId: string;
  readonly keyVault: KeyVault;
  /** The app's workload identity (it publishes the telemetry). */
  readonly appIdentity: IPrincipal;
}

/** What the add-ons give the rest of the stack. */
export interface PlatformAddOnResults {
  /** Application Insights connection string, when it is on. */
  readonly applicationInsightsConnectionString?: string;
}

/**
 * The environment's optional security and observability add-ons: managed Prometheus (and Grafana),
 * the pod security restricted initiative, Defender for Containers, the app team's and the CI plan
 * identity's namespace access and Application Insights. The cluster-side switches
 * (`monitor_metrics`, `microsoft_defender`) are set on the cluster from the same config.
 */
export function platformAddOns(scope: Construct, env: EnvironmentConfig, targets: PlatformAddOnTargets): PlatformAddOnResults {
  const naming = namingContext(env);
  const { cluster } = targets;
  // Who queried the logs (LAQueryLogs), kept in the workspace itself: the audit trail of the audit trail.
  new DiagnosticSettings(scope, 'WorkspaceAudit', {
    targetResourceId: targets.logAnalyticsWorkspaceId,
    logAnalyticsWorkspaceId: targets.logAnalyticsWorkspaceId,
    resourceType: 'Microsoft.OperationalInsights/workspaces',
    logCategories: ['Audit'],
  });
  if (env.managedPrometheus.enabled) {
    new ManagedPrometheus(scope, 'Prometheus', {
      resourceGroup: targets.resourceGroup,
      workspaceName: resourceName('monitorWorkspace', naming),
      endpointName: resourceName('dataCollectionEndpoint', naming, 'prom'),
      ruleName: resourceName('dataCollectionRule', naming, 'prom'),
      ruleGroupPrefix: resourceName('alert', naming, 'prom'),
      clusterId: cluster.clusterId,
      clusterName: cluster.clusterName,
      actionGroupId: targets.actionGroupId,
      grafana: env.managedPrometheus.grafana
        ? { name: resourceName('grafana', naming), adminGroupObjectIds: env.kubernetes.adminGroupObjectIds }
        : undefined,
    });
  }
  if (env.security.podSecurityPolicy !== 'off') {
    new PodSecurityPolicy(scope, 'PodSecurity', {
      clusterId: cluster.clusterId,
      name: 'pod-security-restricted',
      effect: env.security.podSecurityPolicy,
    });
  }
  if (env.security.defenderForContainers) new DefenderForContainers(scope, 'Defender');
  if (env.isolation.appTeam) {
    new NamespaceAccess(scope, 'AppTeamAccess', {
      clusterId: cluster.clusterId,
      namespace: env.app.namespace,
      groupObjectId: env.isolation.appTeam.groupObjectId,
      access: env.isolation.appTeam.access,
      environment: env,
    });
  }
  // The bootstrap creates the CI identities only for environments with a GitHub repository.
  if (env.github) {
    const grants = identityGrants(env).plan.filter((g) => g.scope.kind === 'appNamespace');
    new PlanIdentityAccess(scope, 'PlanIdentityAccess', {
      clusterId: cluster.clusterId,
      namespace: env.app.namespace,
      identity: githubIdentity(env, 'plan'),
      subscriptionId: env.subscriptionId,
      roles: grants.map(({ role }) => ({
        label: ('builtIn' in role ? role.builtIn : role.custom).replace(/[^A-Za-z0-9]+/g, ''),
        role: 'builtIn' in role ? { roleDefinitionName: role.builtIn } : { roleDefinitionId: customRoleDefinitionId(role.custom, env) },
      })),
    });
  }
  if (env.ingress) {
    // The add-on reads the TLS certificate (a Key Vault secret underneath) and writes DNS records.
    // @see https://learn.microsoft.com/azure/aks/app-routing-dns-ssl
    targets.keyVault.grantSecretsRead(cluster.webAppRoutingIdentity, 'AppRoutingCertificateReader');
    const zoneId = env.ingress.dnsZoneId;
    if (zoneId) {
      const role = /\/privateDnsZones\//i.test(zoneId) ? 'Private DNS Zone Contributor' : 'DNS Zone Contributor';
      grantRole(scope, 'AppRoutingDnsZone', { role, on: zoneId, principal: cluster.webAppRoutingIdentity });
    }
  }
  if (!env.applicationInsights.enabled) return {};
  const insights = new ApplicationInsights(scope, 'AppInsights', {
    resourceGroup: targets.resourceGroup,
    name: resourceName('applicationInsights', naming),
    logAnalyticsWorkspaceId: targets.logAnalyticsWorkspaceId,
    publisher: targets.appIdentity,
  });
  return { applicationInsightsConnectionString: insights.connectionString };
}

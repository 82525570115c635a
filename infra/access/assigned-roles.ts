import { APP_TEAM_WRITER_ROLE, NAMESPACE_ROLES } from '../constructs/namespace-access';
import { PLAN_READER_ROLE } from '../constructs/plan-identity-access';

/**
 * Every role the platform and apps stacks assign, built-in by its Azure name or custom by its CUSTOM_ROLES name, and
 * so the only roles its deploy identity may assign (the Role Based Access Control Administrator condition
 * in grants.ts is built from their GUIDs; a custom role's GUID is its environment's copy's, role-ids.ts).
 * The access proof fails on any azurerm_role_assignment of a synthesized stack whose role is not here, and
 * test/infra/access/assigned-roles.test.ts fails on an entry that neither the test fixture environments nor
 * its feature variants assign.
 */
export const PLATFORM_ASSIGNED_ROLES: readonly string[] = [
  'AcrPull', // ContainerRegistry.grantPull: the kubelet pulls images
  'Key Vault Secrets User', // KeyVault.grantSecretsRead: the app routing add-on; grantSecretRead (apps stack): the app identity, per secret
  'Managed Identity Operator', // ClusterIdentities: the control plane assigns the kubelet identity
  'Network Contributor', // ClusterIdentities: the control plane manages its subnets and links the API server's zone to its VNet
  'Monitoring Data Reader', // ManagedPrometheus: Grafana reads the Azure Monitor workspace
  'Grafana Admin', // ManagedPrometheus: the cluster admin groups administer Grafana
  'Monitoring Metrics Publisher', // ApplicationInsights: the app identity sends telemetry with Entra ID (no local auth)
  NAMESPACE_ROLES.read, // NamespaceAccess: the app team's namespace, read ...
  APP_TEAM_WRITER_ROLE.name, // ... or write (custom: the built-in Writer reads Secrets)
  'Azure Kubernetes Service Cluster User Role', // NamespaceAccess: the app team fetches a kubeconfig
  PLAN_READER_ROLE.name, // PlanIdentityAccess: the CI plan identity reads the app namespace (custom: no Secrets)
  'DNS Zone Contributor', // platform-add-ons: app routing writes records in a public zone
  'Private DNS Zone Contributor', // ClusterIdentities: the control plane writes the API server's record; platform-add-ons: app routing writes records in a private zone
];

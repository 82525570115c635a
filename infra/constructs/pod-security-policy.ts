import { Construct } from 'constructs';
import { ResourcePolicyAssignment } from '@cdktf/provider-azurerm/lib/resource-policy-assignment';

/**
 * Built-in initiative "Kubernetes cluster pod security restricted standards for Linux-based
 * workloads" (the one mspnp/aks-baseline assigns), enforced by the cluster's Azure Policy add-on.
 * @see https://learn.microsoft.com/azure/aks/policy-reference
 */
export const POD_SECURITY_RESTRICTED_INITIATIVE = '/providers/Microsoft.Authorization/policySetDefinitions/42b8ef37-b724-4e24-bbc8-7a7708edfe00';

/**
 * Namespaces of AKS and its add-ons, whose pods legitimately need more than the restricted profile
 * (host networking, privileged CNI and CSI agents). Application namespaces are never listed here.
 */
export const SYSTEM_NAMESPACES = ['kube-system', 'gatekeeper-system', 'azure-arc', 'app-routing-system'] as const;

/** Properties of a {@link PodSecurityPolicy}. */
export interface PodSecurityPolicyProps {
  /** The cluster the initiative is assigned to (its Azure Policy add-on enforces it). */
  readonly clusterId: string;
  /** Assignment name, unique at the cluster's scope. */
  readonly name: string;
  /** `audit` reports violations in Azure Policy compliance; `deny` makes the API server reject them. */
  readonly effect: 'audit' | 'deny';
  /** Namespaces left out. @default SYSTEM_NAMESPACES */
  readonly excludedNamespaces?: ReadonlyArray<string>;
}

/**
 * Assigns the pod security restricted initiative to the cluster: no privileged or host-namespace
 * pods, non-root, dropped capabilities, seccomp, read-only host paths... outside system namespaces.
 * Gatekeeper in the cluster picks the assignment up within ~15 minutes.
 */
export class PodSecurityPolicy extends Construct {
  constructor(scope: Construct, id: string, props: PodSecurityPolicyProps) {
    super(scope, id);
    new ResourcePolicyAssignment(this, 'Resource', {
      name: props.name,
      resourceId: props.clusterId,
      policyDefinitionId: POD_SECURITY_RESTRICTED_INITIATIVE,
      displayName: `Pod security restricted (${props.effect}) on ${props.name}`,
      parameters: JSON.stringify({
        effect: { value: props.effect },
        excludedNamespaces: { value: [...(props.excludedNamespaces ?? SYSTEM_NAMESPACES)] },
      }),
    });
  }
}

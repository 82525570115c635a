import { Construct } from 'constructs';
import { SecurityCenterSubscriptionPricing } from '@cdktf/provider-azurerm/lib/security-center-subscription-pricing';

/**
 * Microsoft Defender for Containers on the subscription (the plan the cluster's `microsoft_defender`
 * sensor reports to): runtime threat detection, vulnerability assessment of registry images, and
 * Kubernetes control-plane alerts. The plan is subscription-wide and billed per vCore; destroying this
 * resource sets the plan back to Free.
 * @see https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-introduction
 */
export class DefenderForContainers extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new SecurityCenterSubscriptionPricing(this, 'Resource', { tier: 'Standard', resourceType: 'Containers' });
  }
}

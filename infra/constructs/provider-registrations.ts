import { Construct } from 'constructs';
import type { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceProviderRegistration } from '@cdktf/provider-azurerm/lib/resource-provider-registration';

/** What a subscription needs registered: resource provider namespaces and preview features. */
export interface Registrations {
  readonly providers: ReadonlyArray<string>;
  readonly features: ReadonlyArray<{ readonly namespace: string; readonly name: string }>;
}

/**
 * Splits what a subscription needs into what its azurerm provider registers itself and what is a resource.
 *
 * azurerm_resource_provider_registration refuses to create a registration that already exists ("needs to be
 * imported"), and Microsoft.Resources or Microsoft.Authorization always do; so namespaces without features
 * go to the provider's `resource_providers_to_register`, which registers what is missing at every run and
 * never unregisters. A namespace with features needs the resource (its `feature` blocks); it is then left
 * out of the provider's list, since azurerm refuses to manage one namespace both ways.
 * @see https://github.com/hashicorp/terraform-provider-azurerm/blob/v4.55.0/internal/services/resource/resource_provider_registration_resource.go
 */
export function splitRegistrations(needs: ReadonlyArray<Registrations>): { providerList: string[]; withFeatures: Map<string, string[]> } {
  const withFeatures = new Map<string, string[]>();
  for (const feature of needs.flatMap((n) => n.features)) {
    const names = withFeatures.get(feature.namespace) ?? [];
    if (!names.includes(feature.name)) withFeatures.set(feature.namespace, [...names, feature.name].sort());
  }
  // Namespaces are case-insensitive in Azure: Microsoft.Insights and microsoft.insights are one.
  const featureKeys = new Set([...withFeatures.keys()].map((n) => n.toLowerCase()));
  const seen = new Map<string, string>();
  for (const ns of needs.flatMap((n) => n.providers)) if (!seen.has(ns.toLowerCase())) seen.set(ns.toLowerCase(), ns);
  const providerList = [...seen.entries()]
    .filter(([key]) => !featureKeys.has(key))
    .map(([, ns]) => ns)
    .sort();
  return { providerList, withFeatures: new Map([...withFeatures.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) };
}

/**
 * The namespaces with features, each as a registration resource. A destroy would unregister the namespace
 * under running environments, so it is refused. In a subscription where the namespace is already registered
 * the first apply stops with "already exists - to be managed via Terraform this resource needs to be imported":
 * import it (docs/identities-and-ci.md, "First deploy from an empty subscription") and apply again.
 *
 * `feature` is applied when the resource is created and then ignored: azurerm reads back every feature of
 * the namespace the subscription has ever registered, and an update unregisters each one missing from the
 * configuration (Read and applyFeatures in the resource's source), so a Microsoft.Compute registration
 * would plan a change at every run and unregister other teams' features. A feature added later, or one in
 * an imported namespace, is registered with `az feature register` (the same docs section).
 */
export class FeatureRegistrations extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: { readonly provider: AzurermProvider; readonly withFeatures: ReadonlyMap<string, ReadonlyArray<string>> },
  ) {
    super(scope, id);
    for (const [namespace, features] of props.withFeatures) {
      new ResourceProviderRegistration(this, namespace, {
        provider: props.provider,
        name: namespace,
        feature: features.map((name) => ({ name, registered: true })),
        lifecycle: { preventDestroy: true, ignoreChanges: ['feature'] },
      });
    }
  }
}

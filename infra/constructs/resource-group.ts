import { Construct } from 'constructs';
import { ResourceGroup as AzureResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';

/** Properties of a {@link ResourceGroup}. */
export interface ResourceGroupProps {
  readonly name: string;
  /** Azure region of the group and, by default, of everything in it. */
  readonly location: string;
}

/** The resource group that holds one environment's platform. */
export class ResourceGroup extends Construct {
  public readonly resourceGroupName: string;
  public readonly location: string;

  constructor(scope: Construct, id: string, props: ResourceGroupProps) {
    super(scope, id);
    const group = new AzureResourceGroup(this, 'Resource', { name: props.name, location: props.location });
    this.resourceGroupName = group.name;
    this.location = props.location;
  }
}

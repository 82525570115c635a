import { Construct } from 'constructs';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import type { ResourceGroup } from './resource-group';

/** Properties of {@link ContainerInsights}. */
export interface ContainerInsightsProps {
  readonly resourceGroup: ResourceGroup;
  /** Data collection rule name. */
  readonly name: string;
  readonly clusterId: string;
  readonly logAnalyticsWorkspaceId: string;
  /** How often the agent collects. @default DEFAULT_COLLECTION_INTERVAL */
  readonly interval?: string;
}

/** Container Insights' own default collection interval. */
export const DEFAULT_COLLECTION_INTERVAL = '1m';

/** Streams Container Insights collects: inventory, perf, events and ContainerLogV2. */
const STREAMS = ['Microsoft-ContainerInsights-Group-Default'];

/**
 * The data collection rule that, with the cluster's `oms_agent` add-on (managed identity auth), sends
 * Container Insights data to the workspace.
 * @see https://learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-enable
 */
export class ContainerInsights extends Construct {
  constructor(scope: Construct, id: string, props: ContainerInsightsProps) {
    super(scope, id);
    const rule = new MonitorDataCollectionRule(this, 'Rule', {
      name: props.name,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      location: props.resourceGroup.location,
      kind: 'Linux',
      destinations: { logAnalytics: [{ name: 'workspace', workspaceResourceId: props.logAnalyticsWorkspaceId }] },
      dataFlow: [{ streams: STREAMS, destinations: ['workspace'] }],
      dataSources: {
        extension: [
          {
            name: 'ContainerInsightsExtension',
            extensionName: 'ContainerInsights',
            streams: STREAMS,
            extensionJson: JSON.stringify({
              dataCollectionSettings: {
                interval: props.interval ?? DEFAULT_COLLECTION_INTERVAL,
                namespaceFilteringMode: 'Off',
                enableContainerLogV2: true,
              },
            }),
          },
        ],
      },
    });
    new MonitorDataCollectionRuleAssociation(this, 'Association', {
      name: 'ContainerInsightsExtension',
      targetResourceId: props.clusterId,
      dataCollectionRuleId: rule.id,
    });
  }
}

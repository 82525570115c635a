import { Construct } from 'constructs';
import { IntOrString, KubeNetworkPolicy } from 'cdk8s-plus-28/lib/imports/k8s';

/** Properties of {@link AppNetworkPolicies}. */
export interface AppNetworkPoliciesProps {
  readonly name: string;
  readonly namespace: string;
  /** Labels of every pod of the app. */
  readonly podSelector: Readonly<Record<string, string>>;
  readonly port: number;
  /** Only pods in these namespaces may reach the port (e.g. the ingress controller's). @default any source */
  readonly allowedFromNamespaces?: ReadonlyArray<string>;
}

/** Default-deny ingress for the namespace, and ingress to the app's port only. */
export class AppNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: AppNetworkPoliciesProps) {
    super(scope, id);
    new KubeNetworkPolicy(this, 'DenyIngress', {
      metadata: { name: 'default-deny-ingress', namespace: props.namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
    new KubeNetworkPolicy(this, 'AllowHttp', {
      metadata: { name: `${props.name}-allow-http`, namespace: props.namespace },
      spec: {
        podSelector: { matchLabels: { ...props.podSelector } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            ports: [{ port: IntOrString.fromNumber(props.port), protocol: 'TCP' }],
            from: props.allowedFromNamespaces?.map((ns) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } })),
          },
        ],
      },
    });
  }
}

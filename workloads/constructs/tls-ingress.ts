import { Construct } from 'constructs';
import { KubeIngress } from 'cdk8s-plus-28/lib/imports/k8s';

/** Ingress class of the AKS application routing add-on's managed NGINX. */
export const APP_ROUTING_INGRESS_CLASS = 'webapprouting.kubernetes.azure.com';
/** Namespace the add-on's NGINX pods run in; the app's NetworkPolicy lets only them in. */
export const APP_ROUTING_NAMESPACE = 'app-routing-system';

/** Properties of {@link TlsIngress}. */
export interface TlsIngressProps {
  readonly name: string;
  readonly namespace: string;
  /** Host name clients use. */
  readonly host: string;
  /** Service (port 80) the ingress forwards to. */
  readonly serviceName: string;
  /** Key Vault holding the certificate, and the certificate's name in it. */
  readonly keyVaultName: string;
  readonly certificateName: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * HTTPS for a Service through the application routing add-on: the add-on syncs the Key Vault
 * certificate named by the `tls-cert-keyvault-uri` annotation into the Secret `keyvault-<ingress>`
 * and serves it (renewals in Key Vault are picked up), then forwards plain HTTP to the Service.
 * @see https://learn.microsoft.com/azure/aks/app-routing-dns-ssl
 */
export class TlsIngress extends Construct {
  constructor(scope: Construct, id: string, props: TlsIngressProps) {
    super(scope, id);
    new KubeIngress(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: props.labels ? { ...props.labels } : undefined,
        annotations: {
          'kubernetes.azure.com/tls-cert-keyvault-uri': `https://${props.keyVaultName}.vault.azure.net/certificates/${props.certificateName}`,
        },
      },
      spec: {
        ingressClassName: APP_ROUTING_INGRESS_CLASS,
        tls: [{ hosts: [props.host], secretName: `keyvault-${props.name}` }],
        rules: [
          {
            host: props.host,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: props.serviceName, port: { number: 80 } } } }] },
          },
        ],
      },
    });
  }
}

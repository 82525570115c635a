import { secretLikeness } from '../../config/secret-rules';
import type { Rule, Violation } from '../model';
import { allContainers, arrayAt, containerLabel, field, namespaceOf, objectAt, ofKind, podLabels, podOwners, selectorMatches } from '../kubernetes';

/** Network exposure and secret handling of Kubernetes objects. */

/**
 * Why a ConfigMap entry looks like a secret, or undefined: the rules the config check and the diff's
 * redaction use too (config/secret-rules.ts), so nothing the config refuses gets through here.
 */
export function secretLooking(key: string, value: string): string | undefined {
  const why = secretLikeness(key, value);
  return why && `looks like a secret (${why})`;
}

/** Azure's annotation for an internal load balancer. @see https://learn.microsoft.com/azure/aks/internal-lb */
export const AZURE_INTERNAL_LB = 'service.beta.kubernetes.io/azure-load-balancer-internal';

export const NETWORK_RULES: Rule[] = [
  {
    id: 'NET001',
    layer: 'kubernetes',
    severity: 'error',
    title: 'Every pod is selected by a NetworkPolicy',
    why: 'A pod no NetworkPolicy selects accepts traffic from every pod in the cluster.',
    fix: 'Add a default-deny NetworkPolicy (podSelector: {}) to the namespace and allow what the app needs.',
    docs: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/',
    equivalents: { checkov: 'CKV2_K8S_6', kubeScore: 'pod-networkpolicy' },
    check: (env) => {
      const policies = ofKind(env.kubernetes, 'NetworkPolicy');
      return podOwners(env.kubernetes)
        .filter(
          (owner) =>
            !policies.some(
              (p) =>
                namespaceOf(p.value) === namespaceOf(owner.object.value) && selectorMatches(field(p.value, 'spec', 'podSelector'), podLabels(owner)),
            ),
        )
        .map((owner) => ({ object: owner.object, message: `no NetworkPolicy in namespace '${namespaceOf(owner.object.value)}' selects its pods` }));
    },
  },
  {
    id: 'NET002',
    layer: 'kubernetes',
    severity: 'error',
    title: 'No Secret as an environment variable unless the config asks for it',
    why: 'Environment variables leak into crash dumps, child processes and `kubectl describe`; files on a CSI or secret volume do not.',
    fix: "Read the secret from the mounted file; if the app can only read variables, list the variable in the environment's app.secretNames.",
    docs: 'https://kubernetes.io/docs/concepts/security/secrets-good-practices/',
    equivalents: { checkov: 'CKV_K8S_35', kubeLinter: 'env-var-secret (related)' },
    check: (env) =>
      podOwners(env.kubernetes).flatMap((owner) =>
        allContainers(owner.spec).flatMap(({ kind, container }): Violation[] => [
          ...arrayAt(container, 'env')
            .filter((e) => field(e, 'valueFrom', 'secretKeyRef') !== undefined && !env.secretEnvironmentVariables.includes(String(e.name)))
            .map((e) => ({
              object: owner.object,
              message: `${containerLabel(kind, container)}: variable ${e.name} comes from Secret '${field(e, 'valueFrom', 'secretKeyRef', 'name')}'`,
            })),
          ...arrayAt(container, 'envFrom')
            .filter((e) => e.secretRef !== undefined)
            .map((e) => ({
              object: owner.object,
              message: `${containerLabel(kind, container)}: envFrom takes every key of Secret '${objectAt(e, 'secretRef').name}' as variables`,
            })),
        ]),
      ),
  },
  {
    id: 'NET003',
    layer: 'kubernetes',
    severity: 'error',
    title: 'No secret-looking value in a ConfigMap',
    why: 'ConfigMaps are readable by anyone who can read the namespace and are stored unencrypted in this repository and in etcd.',
    fix: 'Put the value into Key Vault and read it through the Secrets Store CSI driver; keep ConfigMaps for non-secret settings.',
    docs: 'https://kubernetes.io/docs/concepts/configuration/configmap/',
    equivalents: { checkov: 'CKV_SECRET_* (related)' },
    check: (env) =>
      ofKind(env.kubernetes, 'ConfigMap').flatMap((cm) =>
        Object.entries(objectAt(cm.value, 'data')).flatMap(([key, value]) => {
          const why = secretLooking(key, String(value));
          return why ? [{ object: cm, message: `key ${key}: ${why}` }] : [];
        }),
      ),
  },
  {
    id: 'NET004',
    layer: 'kubernetes',
    severity: 'error',
    title: 'No public load balancer',
    why: 'A LoadBalancer Service without the internal annotation gets a public IP on Azure: the app is on the internet without a WAF.',
    fix: `Annotate the Service with ${AZURE_INTERNAL_LB}: "true" (app.internalLoadBalancer: true), or put it behind an ingress with a WAF.`,
    docs: 'https://learn.microsoft.com/azure/aks/internal-lb',
    equivalents: { kubeLinter: 'exposed-services (related)' },
    check: (env) =>
      ofKind(env.kubernetes, 'Service')
        .filter((s) => field(s.value, 'spec', 'type') === 'LoadBalancer' && s.value.metadata.annotations?.[AZURE_INTERNAL_LB] !== 'true')
        .map((s) => ({ object: s, message: 'type LoadBalancer without the internal annotation gets a public IP' })),
  },
];

import { containsSecretShape, isSecretName, secretShape } from '../../config/secret-rules';
import sensitive from './data/azurerm-4.55.0-sensitive.json';
import type { Json } from './model';
import type { LeafChange } from './values';

/** What a redacted value reads as, in every format. */
export const REDACTED = '(sensitive)';

/**
 * Keys whose values are secrets, by the rules synth's config check and policy use (config/secret-rules.ts):
 * DB_PASSWORD, STORAGE_CONNECTION_STRING, api_key, clientSecret... Keys that name or point to a secret
 * rather than hold it (secretName, secretKeyRef, objectName) are not, so a reviewer still sees which
 * secret is referenced. Certificate data (public, but part of a credential pair in a kubeconfig) is hidden too.
 */
export function isSecretLookingKey(key: string): boolean {
  // A field named just `key` is a reference in Kubernetes (secretKeyRef.key, tolerations, selectors).
  return (key !== 'key' && isSecretName(key)) || /certificate[-_]?data$/i.test(key);
}

const SENSITIVE_TERRAFORM: Readonly<Record<string, ReadonlyArray<string>>> = sensitive.resources;

/** Index-free dotted path of a Terraform argument (`email_receiver.email_address`). */
export const argumentPath = (keys: ReadonlyArray<string>) => keys.filter((k) => !/^\d+$/.test(k)).join('.');

/**
 * Whether a changed value must not be shown: a Kubernetes Secret's data, an argument the azurerm schema
 * marks sensitive, anything under a secret-looking key (including an env var's `value` whose `name`
 * looks secret, as list items are keyed by name), or a value with a credential's shape.
 */
export function mustRedact(leaf: LeafChange, context: { terraformType?: string; kubernetesKind?: string }): boolean {
  if (context.kubernetesKind === 'Secret' && ['data', 'stringData'].includes(leaf.keys[0])) return true;
  if (context.terraformType && SENSITIVE_TERRAFORM[context.terraformType]?.includes(argumentPath(leaf.keys))) return true;
  if (context.terraformType === 'kubernetes_manifest' && leaf.keys[0] === 'manifest') return true;
  // A value with a credential's shape is hidden whatever its key: a webhook URL in a tag, a token in an argument.
  return (
    leaf.keys.some((k) => isSecretLookingKey(k) || secretShape(k) !== undefined) || containsSecretShape(leaf.old) || containsSecretShape(leaf.new)
  );
}

/** The leaf with its values replaced by {@link REDACTED} where present and booleans left as they are. */
export function redactLeaf(leaf: LeafChange): LeafChange & { redacted: true } {
  const hide = (v: Json | undefined) => (v === undefined ? {} : { value: typeof v === 'boolean' ? v : REDACTED });
  const o = hide(leaf.old);
  const n = hide(leaf.new);
  // A key with a credential's shape (a tag named after a token) must not show in the path either.
  const path = leaf.keys.reduce((p, k) => (secretShape(k) ? p.split(k).join(REDACTED) : p), leaf.path);
  return {
    path,
    keys: leaf.keys.map((k) => (secretShape(k) ? REDACTED : k)),
    redacted: true,
    ...('value' in o ? { old: o.value } : {}),
    ...('value' in n ? { new: n.value } : {}),
  };
}

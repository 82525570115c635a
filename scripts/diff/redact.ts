import sensitive from './data/azurerm-4.55.0-sensitive.json';
import type { Json } from './model';
import type { LeafChange } from './values';

/** What a redacted value reads as, in every format. */
export const REDACTED = '(sensitive)';

/**
 * Keys whose values look like secrets: DB_PASSWORD, STORAGE_CONNECTION_STRING, api_key, clientSecret...
 * Keys that name or point to a secret rather than hold it (secretName, secretKeyRef, secretObjects,
 * objectName) are not, so a reviewer still sees which secret is referenced.
 */
const SECRET_WORD =
  /(passw(or)?d|pwd|secret|token|api[-_]?key|access[-_]?key|account[-_]?key|private[-_]?key|shared[-_]?key|primary[-_]?key|connection[-_]?string|credential|sas[-_]?url|certificate[-_]?data)/i;
const POINTER = /(name|names|ref|objects|alias|class|provider|type|id|path|file|version|enabled)$/i;

export function isSecretLookingKey(key: string): boolean {
  return SECRET_WORD.test(key) && !POINTER.test(key);
}

const SENSITIVE_TERRAFORM: Readonly<Record<string, ReadonlyArray<string>>> = sensitive.resources;

/** Index-free dotted path of a Terraform argument (`email_receiver.email_address`). */
export const argumentPath = (keys: ReadonlyArray<string>) => keys.filter((k) => !/^\d+$/.test(k)).join('.');

/**
 * Whether a changed value must not be shown: a Kubernetes Secret's data, an argument the azurerm schema
 * marks sensitive, or anything under a secret-looking key (including an env var's `value` whose `name`
 * looks secret, as list items are keyed by name).
 */
export function mustRedact(leaf: LeafChange, context: { terraformType?: string; kubernetesKind?: string }): boolean {
  if (context.kubernetesKind === 'Secret' && ['data', 'stringData'].includes(leaf.keys[0])) return true;
  if (context.terraformType && SENSITIVE_TERRAFORM[context.terraformType]?.includes(argumentPath(leaf.keys))) return true;
  if (context.terraformType === 'kubernetes_manifest' && leaf.keys[0] === 'manifest') return true;
  return leaf.keys.some(isSecretLookingKey);
}

/** The leaf with its values replaced by {@link REDACTED} where present and booleans left as they are. */
export function redactLeaf(leaf: LeafChange): LeafChange & { redacted: true } {
  const hide = (v: Json | undefined) => (v === undefined ? {} : { value: typeof v === 'boolean' ? v : REDACTED });
  const o = hide(leaf.old);
  const n = hide(leaf.new);
  return {
    path: leaf.path,
    keys: leaf.keys,
    redacted: true,
    ...('value' in o ? { old: o.value } : {}),
    ...('value' in n ? { new: n.value } : {}),
  };
}

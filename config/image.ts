/*
 * Image references as the release config writes them: an immutable tag, optionally pinned by digest
 * (`1.4.2@sha256:<64 hex>`). One parser serves the config schema and the WebApp's synth-time check.
 */

/** A parsed `tag[@sha256:digest]`. */
export interface ImageVersion {
  /** The tag, e.g. `1.4.2`; also the `app.kubernetes.io/version` label. */
  readonly tag: string;
  /** `sha256:<64 lowercase hex>` when pinned. */
  readonly digest?: string;
}

/** Docker's tag grammar: https://github.com/distribution/reference/blob/main/reference.go */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** Label values are at most 63 characters; the tag becomes `app.kubernetes.io/version`. */
const MAX_TAG_LENGTH = 63;

/** The tag and digest of `value`, or a sentence saying what is wrong and what is allowed. */
export function parseImageVersion(value: string): ImageVersion | string {
  const [tag, digest, ...rest] = value.split('@');
  if (tag.trim() === '') return 'image tag is empty; set an immutable tag such as 1.4.2 (optionally pinned: 1.4.2@sha256:<64 hex digits>)';
  if (tag === 'latest') return "image tag 'latest' is mutable; use an immutable tag so rollouts and rollbacks are deterministic";
  if (!TAG.test(tag) || tag.length > MAX_TAG_LENGTH) {
    return `image tag '${tag}' is not a valid tag (letters, digits, _ . -, at most ${MAX_TAG_LENGTH} characters, not starting with . or -)`;
  }
  if (rest.length > 0 || (digest !== undefined && !DIGEST.test(digest))) {
    return `image digest '${value.slice(tag.length + 1)}' is malformed; pin as <tag>@sha256:<64 lowercase hex digits>, as 'az acr repository show-manifests' or the image workflow prints it`;
  }
  return digest === undefined ? { tag } : { tag, digest };
}

/**
 * One set of rules for "this is a secret", shared by the config check (config/validate.ts), the
 * guardrails (policy/rules/network.ts) and the diff's redaction (scripts/diff/redact.ts), so a value
 * refused in one place is never shown in another. Reasons never contain the value. Every quantifier is
 * bounded or anchored, so a 1 MiB value is scanned in linear time.
 *
 * Three kinds of rule:
 * - token shapes: values that are credentials whatever their name (provider prefixes, PEM keys, JWTs,
 *   connection strings with a key, signed URLs, webhook URLs);
 * - password-like names (DB_PASSWORD, JWT_SECRET, dbPass): any non-empty value;
 * - key-like names (STORAGE_KEY, API_TOKEN, SIGNATURE): a value that looks random ({@link looksRandom}):
 *   at least {@link MIN_RANDOM_LENGTH} token characters, a Shannon entropy of at least
 *   {@link ENTROPY_THRESHOLD} bits per character (hex: {@link HEX_ENTROPY_THRESHOLD}), and mixed
 *   character classes ({@link CLASS_CHANGE_RATIO}).
 * A name whose last word says it points to a secret rather than holds it (SECRET_NAME, TOKEN_URL,
 * DB_PASSWORD_FILE, secretKeyRef) is judged by its value's shape only.
 */

/**
 * Values that are credentials whatever their key. Prefixes and lengths from the issuers' formats:
 * GitHub (docs.github.com, "About authentication to GitHub"), AWS access key IDs (AKIA/ASIA), Stripe
 * (sk_/rk_ live and test keys, whsec_), OpenAI (sk-, sk-proj-, sk-svcacct-, sk-admin-), Anthropic
 * (sk-ant-), Google API keys (AIza + 35), Google OAuth client secrets (GOCSPX-), npm (npm_ + 36),
 * GitLab (glpat-), Hugging Face (hf_), Slack (xox?-, xapp-), SendGrid (SG.x.y), Docker Hub (dckr_pat_),
 * PyPI (pypi-AgEIcHlwaS5vcmc, the macaroon's "pypi.org" location), Databricks (dapi + 32 hex), Shopify
 * (shp??_), Entra ID client secrets (3 characters, a digit, "Q~", 31-34 characters).
 */
const TOKEN_SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----/, 'a private key'],
  [/(^|[;\s])(AccountKey|SharedAccessKey|SharedAccessSignature|SharedSecretValue)\s*=/i, 'a storage or Service Bus connection string with a key'],
  [/(^|;)\s*(Password|Pwd)\s*=\s*[^;\s]/i, 'a connection string with a password'],
  [/(^|[;\s])InstrumentationKey\s*=/i, 'an Application Insights connection string'],
  [/[?&]sig=[A-Za-z0-9%+/=_-]{16,}/, 'a signed URL (SAS token or workflow URL with sig=)'],
  [/\b[a-z][a-z0-9+.-]{0,20}:\/\/[^/\s:@]{1,256}:[^/\s@]{1,256}@/i, 'a URL with a password'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, 'a JSON Web Token'],
  [/\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/, 'a GitHub token'],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key'],
  [/\b(sk|rk)_(live|test)_[A-Za-z0-9]{16,}/, 'a Stripe secret key'],
  [/\bwhsec_[A-Za-z0-9+/=]{16,}/, 'a webhook signing secret'],
  [/\bsk-(proj|svcacct|admin|ant(-[a-z]{1,10}\d{0,3})?)-[A-Za-z0-9_-]{16,}/, 'an OpenAI or Anthropic API key'],
  [/\bsk-[A-Za-z0-9]{32,}/, 'an OpenAI API key'],
  [/\bAIza[0-9A-Za-z_-]{35}/, 'a Google API key'],
  [/\bGOCSPX-[A-Za-z0-9_-]{20,}/, 'a Google OAuth client secret'],
  [/\bnpm_[A-Za-z0-9]{36}/, 'an npm token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, 'a GitLab token'],
  [/\bhf_[A-Za-z0-9]{30,}/, 'a Hugging Face token'],
  [/\b(xox[abposre]|xapp)-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/, 'a SendGrid API key'],
  [/\bdckr_pat_[A-Za-z0-9_-]{20,}/, 'a Docker Hub token'],
  [/\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{16,}/, 'a PyPI token'],
  [/\bdapi[0-9a-f]{32}/, 'a Databricks token'],
  [/\bshp(at|ca|pa|ss)_[0-9a-fA-F]{32}/, 'a Shopify token'],
  [/(^|[^A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}($|[^A-Za-z0-9_~.-])/, 'an Entra ID client secret'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]{16,}/, 'an Authorization header value'],
];

/**
 * Webhook URLs: whoever has one can post as the integration, so the URL itself is the credential.
 * Teams workflow URLs (Power Automate, Logic Apps) carry `sig=`, which the signed-URL shape catches.
 * @see https://api.slack.com/messaging/webhooks ("Keep it secret, keep it safe")
 * @see https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook
 */
const WEBHOOK_URLS: ReadonlyArray<readonly [RegExp, string]> = [
  [/hooks\.slack\.com\/(services|workflows|triggers)\/[A-Za-z0-9]/i, 'a Slack webhook URL'],
  [/\.webhook\.office\.com\/webhookb2\/[0-9a-f-]/i, 'a Microsoft Teams webhook URL'],
  [/outlook\.office(365)?\.com\/webhook\/[0-9a-f-]/i, 'a Microsoft Teams webhook URL'],
  [/discord(app)?\.com\/api\/webhooks\/\d/i, 'a Discord webhook URL'],
];

/** Words of a name that hold a secret whatever its value looks like. */
const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'credential', 'credentials', 'pat']);
/** Words of a name that hold a secret when the value looks random. */
const KEY_WORDS = new Set(['key', 'keys', 'token', 'tokens', 'apikey', 'signature', 'sig', 'sas', 'auth', 'cookie', 'salt', 'pepper', 'nonce']);
/** Compound names that hold secrets in either form (CONNECTION_STRING, connStr, ...): checked on the joined words. */
const SECRET_COMPOUNDS = /(connection_?string|conn_?str|private_?key|access_?key|account_?key|client_?secret|webhook$)/;
/**
 * Last words of a name that point to a secret or describe it rather than hold it: SECRET_NAME, secretKeyRef,
 * TOKEN_URL, DB_PASSWORD_FILE, API_KEY_ID, PASSWORD_MIN_LENGTH.
 */
const POINTER_WORDS = new Set(
  (
    'name names ref refs objects alias class provider type id ids path file dir version enabled mode modes header field param ' +
    'url uri endpoint issuer audience scope length ttl expiry expires lifetime rotation policy format size count mount vault store secrets'
  ).split(' '),
);

/**
 * Shannon entropy from which a token-like value under a key-like name may be random, in bits per
 * character: a random 16-character base62 string has about 3.7, an 88-character storage key about 5.6.
 * Hex-only values (at most 4 bits) are judged against {@link HEX_ENTROPY_THRESHOLD} instead: a random
 * 32-digit key has about 3.6.
 */
export const ENTROPY_THRESHOLD = 3.5;
export const HEX_ENTROPY_THRESHOLD = 3;
/**
 * Entropy alone also passes words (photos-thumbnail-cache has 3.8 bits), so a random value must also
 * change character class ({@link classChangeRatio}) at this share of its adjacent pairs: random base62
 * and base64 about 0.45, hex 0.47; words 0, PhotosThumbnailCache2024 0.13.
 */
export const CLASS_CHANGE_RATIO = 0.2;
/** Shortest value the entropy rule judges: shorter ones (a 12-character PIN-like code) are too short to tell. */
export const MIN_RANDOM_LENGTH = 16;
/** Characters of API keys, base64 and base64url tokens: a URL, a path with spaces or a sentence are not random tokens. */
const TOKEN_CHARACTERS = /^[A-Za-z0-9+/=_.~-]+$/;
/**
 * A long random base64 value is refused under any name (an 88-character storage account key in a tag
 * named `owner`): at least 40 characters, upper case, lower case and digits, and at least 4.5 bits per
 * character. A sha256 hex digest (at most 4 bits, no upper case), a GUID (hyphens) and a resource ID
 * (starts with /) stay below.
 */
const LONG_RANDOM = { length: 40, bits: 4.5 };

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length);
  return bits;
}

/** A name's words, lower case: DB_PASSWORD, dbPassword, db-password and db.password all give [db, password]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Share of adjacent letter or digit pairs that change class: letter to digit, digit to letter, lower to
 * upper case (aB, a1, 1A; not Ab, which starts a capitalised word).
 */
export function classChangeRatio(value: string): number {
  const classes = Array.from(value, (c) => (/[a-z]/.test(c) ? 'l' : /[A-Z]/.test(c) ? 'u' : /\d/.test(c) ? 'd' : '-'));
  let pairs = 0;
  let changes = 0;
  for (let i = 1; i < classes.length; i++) {
    const [a, b] = [classes[i - 1], classes[i]];
    if (a === '-' || b === '-') continue;
    pairs++;
    if (a !== b && !(a === 'u' && b === 'l')) changes++;
  }
  return pairs === 0 ? 0 : changes / pairs;
}

/** Whether a value looks random: token characters only, long enough, high entropy, mixed character classes. */
export function looksRandom(value: string): boolean {
  if (value.length < MIN_RANDOM_LENGTH || !TOKEN_CHARACTERS.test(value) || classChangeRatio(value) < CLASS_CHANGE_RATIO) return false;
  return entropy(value) >= (/^[0-9a-fA-F-]+$/.test(value) ? HEX_ENTROPY_THRESHOLD : ENTROPY_THRESHOLD);
}

/** What kind of secret a name says it holds: `password` (any value), `key` (a random value) or none. */
export function secretNameKind(name: string): 'password' | 'key' | undefined {
  const words = nameWords(name);
  if (words.length === 0 || POINTER_WORDS.has(words[words.length - 1])) return undefined;
  if (words.some((w) => PASSWORD_WORDS.has(w)) || SECRET_COMPOUNDS.test(words.join('_'))) return 'password';
  if (words.some((w) => KEY_WORDS.has(w) || /(key|token)s?$/.test(w))) return 'key';
  return undefined;
}

/** Whether a name says it holds a secret (for redaction, where any value under it is hidden). */
export function isSecretName(name: string): boolean {
  return secretNameKind(name) !== undefined;
}

/** `name=value` pairs of a connection string or URL query (`Server=x;Password=y`, `?token=y&x=1`). */
const PAIR = /(?:^|[?&;])\s*([A-Za-z][A-Za-z0-9_.-]{0,63})\s*=\s*([^;&\s]{1,4096})/g;

/** Why a value is a credential whatever its name, or undefined. */
export function secretShape(value: string): string | undefined {
  for (const [shape, what] of [...TOKEN_SHAPES, ...WEBHOOK_URLS]) if (shape.test(value)) return what;
  for (const [, name, inner] of value.matchAll(PAIR)) {
    const kind = secretNameKind(name);
    if (kind === 'password' || (kind === 'key' && looksRandom(inner))) return `a connection string or URL with a '${name}' credential`;
  }
  if (
    value.length >= LONG_RANDOM.length &&
    !value.startsWith('/') &&
    /[A-Z]/.test(value) &&
    /[a-z]/.test(value) &&
    /\d/.test(value) &&
    TOKEN_CHARACTERS.test(value) &&
    entropy(value) >= LONG_RANDOM.bits
  )
    return 'a long random value (a key?)';
  return undefined;
}

/** Why `value` under `name` looks like a secret, or undefined. The reason names the rule, never the value. */
export function secretLikeness(name: string, value: string): string | undefined {
  const shape = secretShape(value);
  if (shape) return shape;
  const kind = secretNameKind(name);
  if (kind === 'password' && value.trim() !== '') return `a value under a password-like name '${name}'`;
  if (kind === 'key' && looksRandom(value)) return `a random-looking value under a secret-like name '${name}'`;
  return undefined;
}

/** Whether any string in a JSON-like value (keys included) has a secret's shape. */
export function containsSecretShape(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return secretShape(value) !== undefined;
  if (depth > 64 || value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) => secretShape(k) !== undefined || containsSecretShape(v, depth + 1));
}

/**
 * Recognises values that must not be in an environment file (app settings, tags): they would be stored
 * in git, in a ConfigMap and in Azure in plain text. Reasons never contain the value itself. Every
 * quantifier is bounded or anchored, so a 1 MiB value is scanned in linear time.
 */

/** Value shapes that are credentials whatever their key. */
const SECRET_SHAPES: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/(^|;)\s*(AccountKey|SharedAccessKey|SharedAccessSignature)\s*=/i, 'a storage or Service Bus connection string with a key'],
  [/(^|;)\s*(Password|Pwd)\s*=\s*[^;\s]/i, 'a connection string with a password'],
  [/[?&]sig=[A-Za-z0-9%+/=]{16,}/, 'a SAS token'],
  [/\b[a-z][a-z0-9+.-]{0,20}:\/\/[^/\s:@]{1,256}:[^/\s@]{1,256}@/i, 'a URL with a password'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/, 'a JSON Web Token'],
  [/\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})\b/, 'a GitHub token'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key'],
];

/** Keys whose value is a secret by name: passwords always, keys and tokens when the value looks random. */
const PASSWORD_KEY = /(PASSWORD|PASSWD|PWD|PASSPHRASE)/i;
const SECRET_KEY = /(SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|CONNECTION_?STRING|CONN_?STR|SIGNATURE)/i;

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length);
  return bits;
}

/** Why `value` (under `key`) looks like a secret, or undefined. */
export function secretLikeness(key: string, value: string): string | undefined {
  for (const [shape, what] of SECRET_SHAPES) if (shape.test(value)) return what;
  if (PASSWORD_KEY.test(key) && value.trim() !== '') return `a value under a password-like name '${key}'`;
  // A random-looking token: long, no spaces, high entropy (an English sentence or a URL path stays well below).
  if (SECRET_KEY.test(key) && value.length >= 16 && !/\s/.test(value) && entropy(value) >= 3.5) {
    return `a random-looking value under a secret-like name '${key}'`;
  }
  return undefined;
}

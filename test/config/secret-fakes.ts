/**
 * Fake credentials in the issuers' formats, built at test time so the repository holds no token-shaped
 * literal (and no secret scanner flags the tests). Deterministic: the same text on every run.
 */

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE64 = ALNUM + '+/';
const HEX = '0123456789abcdef';

let seed = 7;
/** `length` characters from `alphabet`, from a fixed pseudo-random sequence. */
export function fake(length: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    out += alphabet[Math.floor((seed / 2147483648) * alphabet.length)];
  }
  return out;
}

const guid = () => [8, 4, 4, 4, 12].map((n) => fake(n, HEX)).join('-');
const b64url = ALNUM + '-_';

/** Name, value, and what the value is, for every kind of secret the rules must refuse. */
export function fakeSecrets(): Array<{ what: string; name: string; value: string }> {
  const storageKey = fake(86, BASE64) + '==';
  return [
    { what: 'a storage account key under STORAGE_KEY', name: 'STORAGE_KEY', value: storageKey },
    { what: 'an OpenAI project key', name: 'OPENAI', value: `sk-proj-${fake(64, b64url)}T3BlbkFJ${fake(64, b64url)}` },
    { what: 'an OpenAI legacy key', name: 'LLM', value: `sk-${fake(48)}` },
    { what: 'an Anthropic key', name: 'LLM', value: `sk-ant-api03-${fake(93, b64url)}AA` },
    { what: 'a Stripe live key', name: 'PAYMENTS', value: `sk_live_${fake(24)}` },
    { what: 'a Stripe restricted key', name: 'PAYMENTS', value: `rk_test_${fake(24)}` },
    { what: 'a Google API key', name: 'MAPS', value: `AIza${fake(35, b64url)}` },
    { what: 'an npm token', name: 'REGISTRY', value: `npm_${fake(36)}` },
    {
      what: 'a Slack webhook',
      name: 'ALERTS',
      value: `https://hooks.slack.com/services/T${fake(8).toUpperCase()}/B${fake(10).toUpperCase()}/${fake(24)}`,
    },
    { what: 'a Slack bot token', name: 'CHAT', value: `xoxb-${fake(12, '0123456789')}-${fake(13, '0123456789')}-${fake(24)}` },
    {
      what: 'a Teams incoming webhook',
      name: 'TEAMS',
      value: `https://contoso.webhook.office.com/webhookb2/${guid()}@${guid()}/IncomingWebhook/${fake(32, HEX)}/${guid()}/V2${fake(40, b64url)}`,
    },
    {
      what: 'a Teams workflow (Logic Apps) URL',
      name: 'NOTIFY',
      value: `https://prod-12.westeurope.logic.azure.com:443/workflows/${fake(32, HEX)}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${fake(43, b64url)}`,
    },
    {
      what: 'a Teams workflow (Power Automate) URL',
      name: 'NOTIFY',
      value: `https://default${fake(32, HEX)}.0a.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/${fake(32, HEX)}/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${fake(43, b64url)}`,
    },
    { what: 'a Discord webhook', name: 'HOOK', value: `https://discord.com/api/webhooks/${fake(18, '0123456789')}/${fake(68, b64url)}` },
    { what: 'a GitHub classic token', name: 'GH', value: `ghp_${fake(36)}` },
    { what: 'a GitHub OAuth token', name: 'GH', value: `gho_${fake(36)}` },
    { what: 'a GitHub fine-grained token', name: 'GH', value: `github_pat_${fake(22)}_${fake(59)}` },
    { what: 'an AWS access key ID', name: 'AWS', value: `AKIA${fake(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}` },
    { what: 'an AWS secret key under its name', name: 'AWS_SECRET_ACCESS_KEY', value: fake(40, BASE64) },
    {
      what: 'a storage connection string',
      name: 'STORAGE',
      value: `DefaultEndpointsProtocol=https;AccountName=photos;AccountKey=${storageKey};EndpointSuffix=core.windows.net`,
    },
    {
      what: 'a Service Bus connection string',
      name: 'BUS',
      value: `Endpoint=sb://photos.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${fake(43, BASE64)}=`,
    },
    {
      what: 'a SAS URL',
      name: 'BLOB',
      value: `https://photos.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-01-01T00:00:00Z&spr=https&sig=${fake(40, ALNUM)}%3D`,
    },
    { what: 'a SAS token alone', name: 'BLOB', value: `sv=2022-11-02&ss=b&sp=r&sig=${fake(40, ALNUM)}%2B` },
    { what: 'a JWT', name: 'BEARER', value: `eyJhbGciOiJSUzI1NiJ9.eyJ${fake(60, b64url)}.${fake(43, b64url)}` },
    { what: 'an RSA private key', name: 'TLS', value: `-----BEGIN RSA PRIVATE KEY-----\n${fake(64, BASE64)}\n-----END RSA PRIVATE KEY-----` },
    { what: 'a PKCS#8 private key', name: 'TLS', value: `-----BEGIN PRIVATE KEY-----\n${fake(64, BASE64)}\n-----END PRIVATE KEY-----` },
    { what: 'an OpenSSH private key', name: 'SSH', value: `-----BEGIN OPENSSH PRIVATE KEY-----\n${fake(64, BASE64)}` },
    { what: 'a URL with a password', name: 'DATABASE', value: `postgres://photos:${fake(12)}@db.internal:5432/photos` },
    { what: 'a SQL connection string with a password', name: 'DB', value: `Server=tcp:db;User ID=app;Password=${fake(10)}!;` },
    { what: 'an Entra ID client secret', name: 'ENTRA', value: `${fake(3)}8Q~${fake(34, ALNUM + '_~.-')}` },
    { what: 'a password under a password-like name', name: 'DB_PASSWORD', value: 'hunter2' },
    { what: 'a short password under a camelCase name', name: 'smtpPassword', value: 'x9' },
    { what: 'a weak secret under a secret name', name: 'JWT_SECRET', value: 'changeme' },
    { what: 'a random token under a token name', name: 'API_TOKEN', value: fake(32) },
    { what: 'an API Management subscription key', name: 'SUBSCRIPTION_KEY', value: fake(32, HEX) },
    { what: 'a key in a connection-string name', name: 'REDIS_CONNECTION_STRING', value: 'photos.redis.cache.windows.net:6380,ssl=True' },
    { what: 'a token in a URL query', name: 'FEED', value: `https://feeds.example.com/photos?access_token=${fake(32)}&page=1` },
    { what: 'an Authorization header value', name: 'UPSTREAM_HEADERS', value: `Authorization: Bearer ${fake(40, b64url)}` },
    { what: 'a long random base64 value under any name', name: 'owner', value: fake(60, BASE64) },
    { what: 'a GitLab token', name: 'GL', value: `glpat-${fake(20, b64url)}` },
    { what: 'a Hugging Face token', name: 'HF', value: `hf_${fake(34)}` },
    { what: 'a SendGrid key', name: 'MAIL', value: `SG.${fake(22, b64url)}.${fake(43, b64url)}` },
    { what: 'a Google OAuth client secret', name: 'OAUTH', value: `GOCSPX-${fake(28, b64url)}` },
  ];
}

/** Ordinary settings and tags that must pass: names that point to secrets, digests, GUIDs, plain URLs. */
export function ordinarySettings(): Record<string, string> {
  return {
    LOG_LEVEL: 'debug',
    GALLERY_TITLE: 'Photo View (dev)',
    IMAGE: `photosacr.azurecr.io/photo-view@sha256:${fake(64, HEX)}`,
    IMAGE_DIGEST: `sha256:${fake(64, HEX)}`,
    COMMIT_SHA: fake(40, HEX),
    AZURE_CLIENT_ID: guid(),
    AZURE_TENANT_ID: guid(),
    BUILD_ID: guid(),
    API_KEY_ID: guid(),
    GALLERY_URL: 'https://photos.example.com/gallery?page=2&sort=date',
    TOKEN_URL: `https://login.microsoftonline.com/${guid()}/oauth2/v2.0/token`,
    TOKEN_ISSUER: `https://login.microsoftonline.com/${guid()}/v2.0`,
    KEY_VAULT_URL: 'https://kv-photos-dev.vault.azure.net/',
    KEY_VAULT_NAME: 'kv-photos-dev',
    SECRET_NAME: 'db-password',
    TOKEN_HEADER: 'x-auth-token',
    CACHE_KEY: 'photos-v2',
    PARTITION_KEY: 'userId',
    PASSWORD_MIN_LENGTH: '12',
    DB_PASSWORD_FILE: '/mnt/secrets/DB_PASSWORD',
    TOKEN_TTL: '3600',
    STORAGE_ACCOUNT: 'stphotosdev',
    STORAGE_RESOURCE_ID: `/subscriptions/${guid()}/resourceGroups/rg-photos-dev/providers/Microsoft.Storage/storageAccounts/stphotosdev`,
    FEATURE_FLAGS: 'new-gallery,fast-thumbs',
    THUMBNAIL_SIZES: '160x160,320x320,1280x1280',
    SLACK_CHANNEL: '#photo-view-alerts',
    PUBLIC_CERT: `-----BEGIN CERTIFICATE-----\n${fake(64, BASE64)}\n-----END CERTIFICATE-----`,
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.monitoring:4317',
    TASK_NAME: 'desk-booking',
    BYPASS_CACHE: 'false',
  };
}

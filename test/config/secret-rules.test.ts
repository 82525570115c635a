import {
  CLASS_CHANGE_RATIO,
  classChangeRatio,
  entropy,
  ENTROPY_THRESHOLD,
  isSecretName,
  looksRandom,
  nameWords,
  secretLikeness,
  secretShape,
} from '../../config/secret-rules';
import { secretLooking } from '../../policy/rules/network';
import { mustRedact, REDACTED, redactLeaf } from '../../scripts/diff/redact';
import { fakeSecrets, ordinarySettings } from './secret-fakes';

/*
 * One rule set for secrets: the config check, the policy's ConfigMap rule and the diff's redaction agree
 * on every row of the table.
 */

describe('secret rules', () => {
  it.each(fakeSecrets().map((s) => [s.what, s]))('refuses %s, with a reason that does not contain the value', (_what, { name, value }) => {
    const why = secretLikeness(name, value);
    expect(why).toBeDefined();
    expect(why).not.toContain(value);
    expect(secretLooking(name, value)).toBeDefined();
    expect(mustRedact({ path: `data.${name}`, keys: ['data', name], new: value }, { kubernetesKind: 'ConfigMap' })).toBe(true);
  });

  it.each(Object.entries(ordinarySettings()))('accepts the ordinary setting %s', (name, value) => {
    expect(secretLikeness(name, value)).toBeUndefined();
    expect(secretLooking(name, value)).toBeUndefined();
  });

  it('splits names in every spelling into words', () => {
    expect(['DB_PASSWORD', 'dbPassword', 'db-password', 'db.password'].map(nameWords)).toEqual(Array(4).fill(['db', 'password']));
  });

  it('judges key-like names by the value, password-like names by any value, pointers by the shape only', () => {
    expect(secretLikeness('CACHE_KEY', 'photos-v2')).toBeUndefined();
    expect(secretLikeness('CACHE_KEY', 'q8Z3vX1pL0sK9wN2mB7c')).toMatch(/random-looking value under a secret-like name 'CACHE_KEY'/);
    expect(secretLikeness('SMTP_PASSWORD', 'a')).toMatch(/password-like name/);
    expect(secretLikeness('SMTP_PASSWORD', '')).toBeUndefined();
    expect(secretLikeness('SMTP_PASSWORD_FILE', '/mnt/secrets/smtp')).toBeUndefined();
    expect(secretLikeness('SECRET_NAME', `ghp_${'a1'.repeat(18)}`)).toMatch(/GitHub token/);
  });

  it('uses documented thresholds: random tokens above, words and repeated characters below', () => {
    expect(ENTROPY_THRESHOLD).toBe(3.5);
    expect(entropy('q8Z3vX1pL0sK9wN2mB7c')).toBeGreaterThan(ENTROPY_THRESHOLD);
    expect(entropy('aaaaaaaaaaaaaaaaaaaa')).toBe(0);
    // Words have entropy too, but rarely change character class.
    expect(entropy('photos-thumbnail-cache')).toBeGreaterThan(ENTROPY_THRESHOLD);
    expect(classChangeRatio('photos-thumbnail-cache')).toBeLessThan(CLASS_CHANGE_RATIO);
    expect(classChangeRatio('q8Z3vX1pL0sK9wN2mB7c')).toBeGreaterThan(CLASS_CHANGE_RATIO);
    expect(looksRandom('photos-thumbnail-cache')).toBe(false);
    expect(looksRandom('PhotosThumbnailCache2024')).toBe(false);
    expect(looksRandom('q8Z3vX1pL0sK9wN2mB7c')).toBe(true);
  });

  it('redacts by name in the diff, keeping references to secrets visible', () => {
    expect(isSecretName('API_TOKEN')).toBe(true);
    expect(isSecretName('clientSecret')).toBe(true);
    expect(isSecretName('secretName')).toBe(false);
    expect(isSecretName('secretKeyRef')).toBe(false);
    const leaf = {
      path: 'spec.containers[app].env[LOG_LEVEL].value',
      keys: ['spec', 'containers', 'app', 'env', 'LOG_LEVEL', 'value'],
      new: 'debug',
    };
    expect(mustRedact(leaf, { kubernetesKind: 'Deployment' })).toBe(false);
    expect(
      mustRedact({ ...leaf, keys: [...leaf.keys.slice(0, 4), 'secretKeyRef', 'key'], new: 'db-password' }, { kubernetesKind: 'Deployment' }),
    ).toBe(false);
  });

  it('redacts a credential-shaped value under any name in the diff, and a credential-shaped key in the path', () => {
    const [slack] = fakeSecrets().filter((s) => s.what === 'a Slack webhook');
    const tag = { path: 'tags.notify', keys: ['tags', 'notify'], old: 'none', new: slack.value };
    expect(mustRedact(tag, { terraformType: 'azurerm_resource_group' })).toBe(true);
    const token = `ghp_${'b2'.repeat(18)}`;
    const named = redactLeaf({ path: `tags.${token}`, keys: ['tags', token], new: 'x' });
    expect(JSON.stringify(named)).not.toContain(token);
    expect(named.path).toBe(`tags.${REDACTED}`);
  });

  it('scans a 1 MiB value in linear time', () => {
    const big = 'a=b;'.repeat(262_144);
    const started = process.hrtime.bigint();
    expect(secretShape(big)).toBeUndefined();
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2000);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadEnvironmentFile } from '../../config';
import { nameWords } from '../../config/secret-rules';
import { configErrorOf, environment, rawEnvironment } from './fixtures';
import { fakeSecrets, ordinarySettings } from './secret-fakes';

/*
 * The config check refuses secrets in settings, tags and every free-form field, naming the file and the
 * field and saying what is allowed; no message (not even a schema or YAML syntax error) quotes the value.
 */

const FILE = "environments/dev.yaml (environment 'dev')";

describe('secrets in an environment file', () => {
  it.each(fakeSecrets().map((s) => [s.what, s]))('refuses %s as a setting, pointing to app.secretNames and Key Vault', (_what, { name, value }) => {
    const setting = nameWords(name).join('_').toUpperCase();
    const message = configErrorOf(() => environment('dev', { app: { settings: { [setting]: value } } }));
    expect(message).toContain(`${FILE}: app.settings.${setting}: looks like a secret (`);
    expect(message).toContain(`list '${setting}' in app.secretNames`);
    expect(message).toContain('Key Vault');
    expect(message).not.toContain(value);
  });

  it.each(fakeSecrets().map((s) => [s.what, s]))('refuses %s as a tag', (_what, { name, value }) => {
    // Tag values are at most 256 characters; longer ones get that message too, still without the value.
    const message = configErrorOf(() => environment('dev', { tags: { [name]: value } }));
    expect(message).toContain(`${FILE}: tags.${name}: `);
    if (value.length <= 256) expect(message).toMatch(/looks like a secret \(.*\); tags are readable by anyone .* Key Vault/);
    expect(message).not.toContain(value);
  });

  it('refuses a credential in a free-form field (a waiver reason, an alert receiver name)', () => {
    const [slack, npm] = ['a Slack webhook', 'an npm token'].map((what) => fakeSecrets().find((s) => s.what === what)!.value);
    const waivers = rawEnvironment('dev').waivers as Array<Record<string, string>>;
    const message = configErrorOf(() =>
      environment('dev', { waivers: [{ ...waivers[0], reason: `accepted until the VPN exists; notify ${slack}` }] }),
    );
    expect(message).toContain(`${FILE}: waivers.0.reason: looks like a secret (a Slack webhook URL); this field is stored in plain text`);
    expect(message).toContain('app.secretNames');
    expect(message).not.toContain(slack);
    const owner = configErrorOf(() => environment('dev', { waivers: [{ ...waivers[0], owner: npm }] }));
    expect(owner).toContain(`${FILE}: waivers.0.owner: looks like a secret (an npm token)`);
    expect(owner).not.toContain(npm);
  });

  it('does not print a credential-shaped value or name that fails the schema', () => {
    const token = fakeSecrets().find((s) => s.what === 'a GitHub classic token')!.value;
    const location = configErrorOf(() => environment('dev', { location: token }));
    expect(location).toContain(`${FILE}: location: `);
    expect(location).not.toContain(token);
    const name = configErrorOf(() => environment('dev', { app: { settings: { [token]: 'x' } } }));
    expect(name).toContain('app.settings.(a name that looks like a secret)');
    expect(name).not.toContain(token);
    const tag = configErrorOf(() => environment('dev', { tags: { [token]: 'x' } }));
    expect(tag).toContain(`${FILE}: tags: looks like a secret (a name is a GitHub token)`);
    expect(tag).not.toContain(token);
  });

  it('accepts ordinary settings and tags: digests, GUIDs, URLs without credentials, names that point to secrets', () => {
    const settings = ordinarySettings();
    const env = environment('dev', { app: { settings }, tags: Object.fromEntries(Object.entries(settings).filter(([, v]) => v.length <= 256)) });
    expect(env.app.settings).toMatchObject(settings);
  });
});

describe('YAML syntax errors', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-secret-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const token = fakeSecrets().find((s) => s.what === 'a Stripe live key')!.value;

  it.each([
    ['an unclosed flow sequence', `location: westeurope\napp:\n  settings: { PAYMENTS: [${token}\n`, /line \d+, column \d+: /],
    [
      'a bad escape in a double-quoted value',
      `location: westeurope\napp:\n  settings:\n    PAYMENTS: "\\q${token}"\n`,
      /line 4, column \d+: a double-quoted string has an invalid escape/,
    ],
    [
      'a block scalar header with extra characters',
      `location: westeurope\napp:\n  settings:\n    PAYMENTS: |${token}\n      x\n`,
      /line 4, column \d+: unexpected content/,
    ],
    ['a tab as indentation', `location: westeurope\napp:\n\tsettings: ${token}\n`, /line \d+, column \d+: /],
  ])('name the file, line, column and problem, never the source line: %s', (_what, text, expected) => {
    const file = path.join(dir, 'qa.yaml');
    fs.writeFileSync(file, text);
    const message = configErrorOf(() => loadEnvironmentFile(file));
    expect(message).toContain(`${file} (environment 'qa'): (file): YAML syntax: line `);
    expect(message).toMatch(expected);
    expect(message).not.toContain(token);
    expect(message).not.toContain(token.slice(8, 20));
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ConfigError,
  enumVariable,
  InputError,
  loadEnvironmentFile,
  loadEnvironments,
  loadEnvironmentsFromProcess,
  MAX_YAML_ALIASES,
} from '../../config';
import { ENVIRONMENTS_DIR, environment } from './fixtures';
import { withRealIds } from '../support/real-ids';

/*
 * Input that Azure or Kubernetes would refuse at deploy time (or that does harm) is refused when the
 * config is loaded, with the file, environment, field, value and what is allowed; secrets are never echoed.
 */

/** The message of the error `fn` throws (a ConfigError unless another InputError is expected). */
function errorOf(fn: () => unknown, type: new (...args: never[]) => Error = ConfigError): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return (error as Error).message;
  }
  throw new Error(`expected a ${type.name}`);
}

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-input-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
let folders = 0;
/** A fresh folder with the given files (name -> content); `dev.yaml` content by default is the shipped dev.yaml. */
function folderWith(files: Record<string, string | Buffer>): string {
  const dir = path.join(tmpRoot, `envs-${folders++}`);
  fs.mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}
const devYaml = fs.readFileSync(path.join(ENVIRONMENTS_DIR, 'dev.yaml'), 'utf8');
const quiet = { warn: () => undefined };

describe('refuses values Azure or Kubernetes would reject later', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    [
      'the default namespace',
      { app: { namespace: 'default' } },
      /app\.namespace = "default": is a system namespace; allowed: any DNS-1123 label except default, kube-\* and gatekeeper-\*/,
    ],
    ['kube-system', { app: { namespace: 'kube-system' } }, /app\.namespace = "kube-system": is a system namespace/],
    ['any kube-* namespace', { app: { namespace: 'kube-anything' } }, /app\.namespace = "kube-anything": is a system namespace/],
    ['a gatekeeper-* namespace', { app: { namespace: 'gatekeeper-system' } }, /app\.namespace = "gatekeeper-system": is a system namespace/],
    [
      'a CPU request above its limit',
      { app: { resources: { cpuRequestMillis: 600, cpuLimitMillis: 500 } } },
      /app\.resources\.cpuRequestMillis = 600: CPU request \(600m\) must be <= cpuLimitMillis \(500m\); Kubernetes rejects a request above its limit/,
    ],
    [
      'a memory request above its limit',
      { app: { resources: { memoryRequestMiB: 1024, memoryLimitMiB: 512 } } },
      /app\.resources\.memoryRequestMiB = 1024: memory request \(1024Mi\) must be <= memoryLimitMiB \(512Mi\)/,
    ],
    [
      'a ConfigMap over 1 MiB',
      { app: { settings: { BIG: 'x'.repeat(600_000), BIGGER: 'y'.repeat(500_000) } } },
      /app\.settings: the settings add up to 1100021 bytes; Kubernetes refuses a ConfigMap over 1048576 bytes \(1 MiB\)/,
    ],
    // dev.yaml has 2 tags (one of them 'environment', which the project sets too).
    [
      "more than 50 tags with the project's own",
      { tags: Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`t${i}`, 'v'])) },
      /tags: 49 tags, 51 with the project's own \(environment, workload, managed-by\); Azure allows at most 50 per resource/,
    ],
    ['a tag name over 512 characters', { tags: { ['k'.repeat(513)]: 'v' } }, /tags\.k{513}: tag name is 513 characters; Azure allows at most 512/],
    ['a tag value over 256 characters', { tags: { owner: 'v'.repeat(257) } }, /tags\.owner: tag value is 257 characters; Azure allows at most 256/],
    ['a tag name with a character Azure forbids', { tags: { 'cost<center>': 'a' } }, /tags\.cost<center>: tag name contains one of < > % & \\ \? \//],
    ['a tag name with a slash', { tags: { 'team/owner': 'a' } }, /tags\.team\/owner: tag name contains one of/],
    [
      'a user pool named like the system pool',
      { kubernetes: { userPool: { name: 'system' } } },
      /kubernetes\.userPool\.name = "system": 'system' is the system pool's name \(or its rotation name\); allowed: any other name/,
    ],
    [
      'a user pool named like the system pool during rotation',
      { kubernetes: { userPool: { name: 'systemtmp' } } },
      /kubernetes\.userPool\.name = "systemtmp": 'systemtmp' is the system pool's name/,
    ],
    [
      'a name that is both a setting and a secret',
      { app: { settings: { STORAGE_CONNECTION_STRING: 'see key vault' } } },
      /app\.settings\.STORAGE_CONNECTION_STRING: 'STORAGE_CONNECTION_STRING' is both a setting and in app\.secretNames; keep it in one place/,
    ],
  ];
  it.each(cases)('refuses %s', (_name, patch, expected) => {
    expect(errorOf(() => environment('dev', patch))).toMatch(expected);
  });

  it("accepts an ordinary namespace, requests equal to limits and 50 tags with the project's own", () => {
    const env = environment('dev', {
      app: { namespace: 'photos', resources: { cpuRequestMillis: 500, cpuLimitMillis: 500 } },
      tags: Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`t${i}`, 'v'])),
    });
    expect(env.app.namespace).toBe('photos');
  });
});

describe('refuses secrets in settings and tags without echoing them', () => {
  const secrets: Array<[string, Record<string, unknown>, string, RegExp]> = [
    [
      'a storage connection string',
      { app: { settings: { STORAGE: 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3QtbGVhaw==' } } },
      'c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3QtbGVhaw',
      /app\.settings\.STORAGE: looks like a secret \(a storage or Service Bus connection string with a key\)/,
    ],
    [
      'a password',
      { app: { settings: { DB_PASSWORD: 'hunter2' } } },
      'hunter2',
      /app\.settings\.DB_PASSWORD: looks like a secret \(a value under a password-like name 'DB_PASSWORD'\)/,
    ],
    [
      'a SQL connection string with a password',
      { app: { settings: { DB: 'Server=tcp:db;User ID=app;Password=Winter2026!;' } } },
      'Winter2026',
      /app\.settings\.DB: looks like a secret \(a connection string with a password\)/,
    ],
    [
      'a private key',
      { app: { settings: { TLS: '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----' } } },
      'MIIEpAIBAAKCAQEA',
      /looks like a secret \(a private key\)/,
    ],
    [
      'a token',
      { app: { settings: { GITHUB: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' } } },
      'ghp_abcdefghij',
      /looks like a secret \(a GitHub token\)/,
    ],
    [
      'a high-entropy value under a secret-like name',
      { app: { settings: { API_KEY: 'q8Z3vX1pL0sK9wN2mB7c' } } },
      'q8Z3vX1pL0sK9wN2mB7c',
      /app\.settings\.API_KEY: looks like a secret \(a random-looking value under a secret-like name 'API_KEY'\)/,
    ],
    [
      'a secret in a tag',
      { tags: { deployToken: 'Zk29vQ8xLp3mN7bV1cT5' } },
      'Zk29vQ8xLp3mN7bV1cT5',
      /tags\.deployToken: looks like a secret .*; tags are readable by anyone who can read the resource/,
    ],
  ];
  it.each(secrets)('refuses %s, pointing to secretNames and Key Vault', (_name, patch, secret, expected) => {
    const message = errorOf(() => environment('dev', patch));
    expect(message).toMatch(expected);
    expect(message).not.toContain(secret);
    if ('app' in patch) expect(message).toContain('Put the value in Key Vault and list');
  });

  it('keeps ordinary settings and low-entropy names under secret-like keys', () => {
    const env = environment('dev', {
      app: { settings: { LOG_LEVEL: 'debug', TOKEN_HEADER: 'x-auth-token', GALLERY_URL: 'https://photos.example.com/gallery' } },
    });
    expect(env.app.settings.TOKEN_HEADER).toBe('x-auth-token');
  });
});

describe('placeholder IDs: synth warns, strict (deploy) refuses', () => {
  const dir = folderWith({ 'dev.yaml': devYaml });

  it('warns once per file, naming the fields', () => {
    const warnings: string[] = [];
    loadEnvironments(dir, { warn: (w) => warnings.push(w) });
    expect(warnings).toEqual([
      `warning: ${dir}/dev.yaml (environment 'dev'): subscriptionId, tenantId, kubernetes.adminGroupObjectIds.0, isolation.appTeam.groupObjectId: ` +
        'are placeholders, not real IDs; fine for synth, refused by --strict (deploy)',
    ]);
  });

  it('refuses them with strict', () => {
    const message = errorOf(() => loadEnvironments(dir, { strict: true }));
    expect(message).toContain(`dev.yaml (environment 'dev'): tenantId = "00000000-0000-0000-0000-000000000000": is a placeholder, not a real ID`);
    expect(message).toContain('subscriptionId = "11111111-1111-1111-1111-111111111111"');
    expect(message).toContain('kubernetes.adminGroupObjectIds.0 = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"');
  });

  it('refuses a placeholder app team group with strict (its role assignments would fail at apply)', () => {
    const staging = fs.readFileSync(path.join(ENVIRONMENTS_DIR, 'staging.yaml'), 'utf8');
    const message = errorOf(() => loadEnvironments(folderWith({ 'staging.yaml': staging }), { strict: true }));
    expect(message).toContain('isolation.appTeam.groupObjectId = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb": is a placeholder, not a real ID');
  });

  it('accepts real-looking IDs with strict', () => {
    const real = withRealIds(devYaml);
    expect(loadEnvironments(folderWith({ 'dev.yaml': real }), { strict: true }).map((e) => e.name)).toEqual(['dev']);
  });

  it('reads SYNTH_STRICT, SYNTH_ENVIRONMENTS and ENVIRONMENTS_DIR from the process environment', () => {
    expect(() => loadEnvironmentsFromProcess({ ENVIRONMENTS_DIR: dir, SYNTH_STRICT: '1' })).toThrow(ConfigError);
    expect(errorOf(() => loadEnvironmentsFromProcess({ ENVIRONMENTS_DIR: dir, SYNTH_STRICT: 'yes' }), InputError)).toContain(
      "SYNTH_STRICT='yes' is not allowed; SYNTH_STRICT must be '1' or 'true'",
    );
    expect(errorOf(() => loadEnvironmentsFromProcess({ ENVIRONMENTS_DIR: ENVIRONMENTS_DIR, SYNTH_ENVIRONMENTS: 'dev,qa' }), InputError)).toBe(
      `unknown environment(s) 'qa'; environments in '${ENVIRONMENTS_DIR}': dev, prod, staging`,
    );
  });
});

describe('refuses bad files with a message, not a stack trace', () => {
  it('refuses a YAML alias bomb, naming the file', () => {
    const bomb =
      'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    const dir = folderWith({ 'dev.yaml': bomb });
    expect(errorOf(() => loadEnvironmentFile(path.join(dir, 'dev.yaml')))).toContain(
      `${dir}/dev.yaml (environment 'dev'): (file): YAML aliases (*name) expand to more than ${MAX_YAML_ALIASES} copies; write the values out instead`,
    );
  });

  it('refuses dev.yaml next to dev.yml', () => {
    const dir = folderWith({ 'dev.yaml': devYaml, 'dev.yml': devYaml });
    expect(errorOf(() => loadEnvironments(dir, quiet))).toContain(
      `${dir}/dev.yaml and ${dir}/dev.yml (environment 'dev'): (file): two files define this environment; keep one (.yaml)`,
    );
  });

  it('refuses an empty and a missing environments folder', () => {
    const empty = folderWith({ 'README.md': 'not an environment' });
    expect(errorOf(() => loadEnvironments(empty), InputError)).toBe(
      `no environment files (<environment>.yaml) in '${empty}'; add one (see README, "Add an environment")`,
    );
    expect(errorOf(() => loadEnvironments(path.join(empty, 'nope')), InputError)).toContain(`environments folder '${empty}/nope' does not exist;`);
  });

  it('refuses a directory named like an environment file', () => {
    const dir = folderWith({ 'dev.yaml': devYaml });
    fs.mkdirSync(path.join(dir, 'qa.yaml'));
    expect(errorOf(() => loadEnvironments(dir, quiet))).toContain(
      `${dir}/qa.yaml (environment 'qa'): (file): is a directory, not an environment file`,
    );
  });

  it('refuses a dangling symbolic link named like an environment file', () => {
    const dir = folderWith({});
    fs.symlinkSync('../gone.yaml', path.join(dir, 'qa.yaml'));
    expect(errorOf(() => loadEnvironments(dir))).toContain(
      `${dir}/qa.yaml (environment 'qa'): (file): the file does not exist (a symbolic link to '../gone.yaml', which does not exist)`,
    );
  });

  it('refuses a UTF-16 file without printing it', () => {
    const withBom = folderWith({ 'dev.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(devYaml, 'utf16le')]) });
    const message = errorOf(() => loadEnvironments(withBom));
    expect(message).toContain(`${withBom}/dev.yaml (environment 'dev'): (file): the file is UTF-16 (or binary), not UTF-8 text; save it as UTF-8`);
    expect(message).not.toContain('subscriptionId');
    const noBom = folderWith({ 'dev.yaml': Buffer.from(devYaml, 'utf16le') });
    expect(errorOf(() => loadEnvironments(noBom))).toContain('the file is UTF-16 (or binary)');
  });

  it('refuses a lone Latin-1 byte instead of reading it as U+FFFD, with its line', () => {
    const latin1 = Buffer.from(devYaml.replace('GALLERY_TITLE: Photo View (dev)', 'GALLERY_TITLE: Caf\u00e9'), 'latin1');
    const dir = folderWith({ 'dev.yaml': latin1 });
    const line = devYaml.split('\n').findIndex((l) => l.includes('GALLERY_TITLE')) + 1;
    const message = errorOf(() => loadEnvironments(dir));
    expect(message).toContain(
      `(file): the file is not UTF-8: byte 0xE9 on line ${line} is not valid UTF-8 (a Latin-1 or Windows-1252 character?); save the file as UTF-8`,
    );
    expect(message).not.toContain('Caf');
  });

  it('accepts a UTF-8 file with a byte order mark and non-ASCII text', () => {
    const dir = folderWith({ 'dev.yaml': `\ufeff${devYaml.replace('GALLERY_TITLE: Photo View (dev)', 'GALLERY_TITLE: Café')}` });
    expect(loadEnvironments(dir, quiet)[0].app.settings.GALLERY_TITLE).toBe('Café');
  });
});

describe('environment variables and parsed values', () => {
  it('validates an enumerated variable with zod, naming what is allowed', () => {
    expect(enumVariable('STATE_BACKEND', ['remote', 'local'], 'remote', {})).toBe('remote');
    expect(enumVariable('STATE_BACKEND', ['remote', 'local'], 'remote', { STATE_BACKEND: 'local' })).toBe('local');
    expect(
      errorOf(() => enumVariable('KUBELOGIN_LOGIN', ['azurecli', 'workloadidentity'], 'azurecli', { KUBELOGIN_LOGIN: 'devicecode' }), InputError),
    ).toBe("KUBELOGIN_LOGIN='devicecode' is not allowed; use 'azurecli' (default) or 'workloadidentity'");
  });

  it('gives the config a parsed VM size', () => {
    const pool = environment('prod').kubernetes.userPool;
    expect(pool.vmSize).toEqual({ name: 'Standard_D8ds_v5', family: 'D', vcpus: 8, memoryGiB: 32, tempDiskGiB: 300 });
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { ConfigError, loadEnvironments, printable } from '../../config';
import { rawEnvironment } from './fixtures';
import { fake, fakeSecrets } from './secret-fakes';

/*
 * What a pull request controls in an environment file (values, keys, file names) reaches error messages:
 * they never echo a secret, whatever the field's type or the message's wording, never read a file through a
 * link, and never print a control character that could forge a line in a CI log or drive a terminal.
 */
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'untrusted-input-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
let folders = 0;

/** An empty folder of its own for one test's environment files. */
function newFolder(): string {
  const dir = path.join(tmpRoot, `envs-${folders++}`);
  fs.mkdirSync(dir);
  return dir;
}

/** The error of loading a folder holding dev's fixture with `edit` applied, as `fileName`. */
function loadError(edit: (raw: Record<string, any>) => void, fileName = 'dev.yaml', type: new (...args: never[]) => Error = ConfigError): string {
  const dir = newFolder();
  const raw = rawEnvironment('dev');
  edit(raw);
  fs.writeFileSync(path.join(dir, fileName), stringify(raw));
  try {
    loadEnvironments(dir, { warn: () => undefined });
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return (error as Error).message;
  }
  throw new Error('expected the folder to be refused');
}

const [, , , , stripe, , google, npmToken] = fakeSecrets().map((s) => s.value);

describe('errors never echo a secret', () => {
  it('when the message quotes the value (an address, a mode for an unknown secret name, an unknown key)', () => {
    const address = loadError((raw) => (raw.network = { ...raw.network, dnsServiceIp: npmToken }));
    expect(address).toContain('network.dnsServiceIp: ');
    const mode = loadError((raw) => (raw.app.secretModes = { [google]: 'file' }));
    const key = loadError((raw) => (raw[stripe] = 1));
    for (const message of [address, mode, key]) for (const secret of [npmToken, google, stripe]) expect(message).not.toContain(secret.slice(4));
    expect(key).toContain("unknown key(s) '(a value that looks like a secret)'");
  });

  it('where a message repeats a hidden value, quoted or not', () => {
    const value = fake(16);
    const line = new ConfigError([
      { file: 'environments/dev.yaml', environment: 'dev', path: 'app.settings.DB_PASSWORD', value, message: `${value} is not allowed here` },
    ]).message;
    expect(line).toContain('app.settings.DB_PASSWORD: (the value) is not allowed here');
    expect(line).not.toContain(value);
  });

  it('when a value under a secret-like name has another type than a string (a number, a list, a mapping, binary)', () => {
    const password = loadError((raw) => (raw.app.settings = { DB_PASSWORD: 83920174 }));
    expect(password).toContain('app.settings.DB_PASSWORD: ');
    expect(password).not.toContain('83920174');
    const token = fake(20);
    expect(loadError((raw) => (raw.app.settings = { API_TOKEN: [token] }))).not.toContain(token);
    expect(loadError((raw) => (raw.app.settings = { SMTP_PASS: { value: token } }))).not.toContain(token);
  });
});

describe('errors are printable', () => {
  it('escapes newlines and escape sequences in values, so nothing forges a workflow command or drives the terminal', () => {
    const message = loadError((raw) => (raw.network = { ...raw.network, dnsServiceIp: '10.0.0.10\n::error::forged \u001b[2J' }));
    expect(message).not.toMatch(/^::error::/m);
    expect(message).not.toContain('\u001b');
    expect(message).toContain('\\u000a::error::forged \\u001b[2J');
  });

  it('escapes a file name with a newline and an escape sequence', () => {
    const message = loadError(() => undefined, 'x\n::error title=Deploy approved::ok\u001b[31m.yaml');
    expect(message).not.toMatch(/^::error/m);
    expect(message).toContain('x\\u000a::error title=Deploy approved::ok\\u001b[31m.yaml');
  });

  it('cuts a very long value', () => {
    const message = loadError((raw) => (raw.location = 'x'.repeat(200_000)));
    expect(message.length).toBeLessThan(1_000);
    expect(message).toContain('... (cut)');
  });

  it('printable leaves ordinary text alone and escapes every control and bidirectional-override character', () => {
    expect(printable('rg-photoview-dev-weu: ok ü')).toBe('rg-photoview-dev-weu: ok ü');
    expect(printable('a\tb\r\n\u0007\u009b\u202e\u2066')).toBe('a\\u0009b\\u000d\\u000a\\u0007\\u009b\\u202e\\u2066');
  });
});

describe('files are read only as regular files', () => {
  it('refuses a symbolic link, without reading or echoing what it points at', () => {
    const dir = newFolder();
    const target = path.join(tmpRoot, 'private.txt');
    fs.writeFileSync(target, 'root:x:0:0:root:/root:/bin/bash\n');
    fs.symlinkSync(target, path.join(dir, 'uat.yaml'));
    let message = '';
    try {
      loadEnvironments(dir, { warn: () => undefined });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`uat.yaml (environment 'uat'): (file): is a symbolic link (to '${target}'); keep environment files as regular files`);
    expect(message).not.toContain('root:x');
  });

  it('does not echo a file whose YAML is not a mapping', () => {
    const dir = newFolder();
    fs.writeFileSync(path.join(dir, 'dev.yaml'), 'just some text that is not a mapping of settings\n');
    expect(() => loadEnvironments(dir, { warn: () => undefined })).toThrow(/dev\.yaml \(environment 'dev'\): \(file\): (?!.*just some text)/);
  });
});

describe('lists that would repeat a resource or a block', () => {
  it.each([
    [
      'secret names (a duplicate grant crashed synth)',
      (raw: any) => (raw.app.secretNames = ['STORAGE_CONNECTION_STRING', 'STORAGE_CONNECTION_STRING']),
      'app.secretNames.1',
    ],
    [
      'registry replicas',
      (raw: any) => (raw.registry = { ...raw.registry, geoReplicationLocations: ['northeurope', 'northeurope'] }),
      'registry.geoReplicationLocations.1',
    ],
    ['node pool zones', (raw: any) => (raw.kubernetes.userPool.zones = ['1', '1', '2']), 'kubernetes.userPool.zones.1'],
    [
      'runner networks, compared without case',
      (raw: any) => {
        const vnet = '/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg-ci/providers/Microsoft.Network/virtualNetworks/vnet-ci';
        raw.network = { ...raw.network, runnerNetworks: [vnet, vnet.toUpperCase()] };
      },
      'network.runnerNetworks.1',
    ],
    [
      'e-mail receivers by name',
      (raw: any) => {
        const [first] = raw.monitoring.actionGroup.emailReceivers;
        raw.monitoring.actionGroup.emailReceivers = [first, { ...first, email: 'other@example.com' }];
      },
      'monitoring.actionGroup.emailReceivers.1',
    ],
  ])('refuses repeated %s, naming the entry', (_, edit, field) => {
    const message = loadError(edit);
    expect(message).toContain(`${field}`);
    expect(message).toMatch(/is listed twice; list each once/);
  });
});

describe('messages that say what to do', () => {
  it('an unquoted Kubernetes version, which YAML reads as a number', () => {
    expect(loadError((raw) => (raw.kubernetes.version = 1.4))).toContain('kubernetes.version = 1.4: must be a quoted version like "1.33"');
  });

  it('a missing version says what is missing, not how to quote it', () => {
    const message = loadError((raw) => delete raw.kubernetes.version);
    expect(message).toContain('kubernetes.version');
    expect(message).not.toContain('quoted version');
  });

  it('an empty file', () => {
    const dir = newFolder();
    fs.writeFileSync(path.join(dir, 'dev.yaml'), '# nothing yet\n');
    expect(() => loadEnvironments(dir, { warn: () => undefined })).toThrow("dev.yaml (environment 'dev'): (file): the file is empty");
  });
});

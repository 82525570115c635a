import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readPlatformOutputs } from '../../workloads/platform-outputs';

describe('platform outputs file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outputs-'));
  const write = (content: string) => {
    const file = path.join(dir, `${Math.random()}.json`);
    fs.writeFileSync(file, content);
    return file;
  };

  it('is optional: no file, no outputs', () => {
    expect(readPlatformOutputs(path.join(dir, 'missing.json'), 'dev', 'platform-dev')).toBeUndefined();
  });

  it('gives the app identity client ID written by cdktf output --outputs-file', () => {
    const file = write(JSON.stringify({ 'platform-dev': { app_identity_client_id: '12345678-1234-1234-1234-123456789abc', cluster_name: 'aks' } }));
    expect(readPlatformOutputs(file, 'dev', 'platform-dev')).toEqual({ appIdentityClientId: '12345678-1234-1234-1234-123456789abc' });
  });

  it('rejects a file that is not JSON, saying how to regenerate it', () => {
    const file = write('{ nope');
    expect(() => readPlatformOutputs(file, 'dev', 'platform-dev')).toThrow(
      new RegExp(`${file.replace(/\./g, '\\.')} \\(environment 'dev'\\): \\(file\\): not valid JSON .*npx cdktf output platform-dev --outputs-file`),
    );
  });

  it('rejects a missing or malformed client ID', () => {
    const file = write(JSON.stringify({ 'platform-dev': { app_identity_client_id: 'abc' } }));
    expect(() => readPlatformOutputs(file, 'dev', 'platform-dev')).toThrow(/platform-dev\.app_identity_client_id = "abc": must be a GUID/);
  });
});

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

  it('gives the Application Insights connection string when the platform has one, and refuses anything else there', () => {
    const id = '12345678-1234-1234-1234-123456789abc';
    const connectionString =
      'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';
    const file = write(JSON.stringify({ 'platform-prod': { app_identity_client_id: id, application_insights_connection_string: connectionString } }));
    expect(readPlatformOutputs(file, 'prod', 'platform-prod')).toEqual({
      appIdentityClientId: id,
      applicationInsightsConnectionString: connectionString,
    });
    const bad = write(JSON.stringify({ 'platform-prod': { app_identity_client_id: id, application_insights_connection_string: 'oops' } }));
    expect(() => readPlatformOutputs(bad, 'prod', 'platform-prod')).toThrow(
      /platform-prod\.application_insights_connection_string: must be an Application Insights connection string with an IngestionEndpoint/,
    );
  });

  it('rejects a missing or malformed client ID', () => {
    const file = write(JSON.stringify({ 'platform-dev': { app_identity_client_id: 'abc' } }));
    expect(() => readPlatformOutputs(file, 'dev', 'platform-dev')).toThrow(/platform-dev\.app_identity_client_id = "abc": must be a GUID/);
  });
});

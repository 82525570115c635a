import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// `npm run validate` as a process: what its entry prints and exits with (the CLI in this process is tested in cli.test.ts).
const ROOT = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-'));

describe('npm run validate on foreign files', () => {
  it('rejects a file that is not Kubernetes YAML through npm run validate: a message naming the file and line, exit 1', () => {
    const bad = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\n---\nname: no-kind\n');
    const result = spawnSync(process.execPath, ['scripts/run-app.mjs', 'policy/validate.ts', bad], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${bad}:4: not a Kubernetes object (apiVersion and kind are required)`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

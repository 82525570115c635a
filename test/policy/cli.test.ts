import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runValidate } from '../../policy/cli';
import type { JsonReport } from '../../policy/report/json';

/*
 * `npm run validate -- <files or folders>` on manifests this repository did not generate: the
 * fixtures in fixtures/foreign are hand-written Kubernetes YAML (with a List) and Terraform JSON.
 */
const FOREIGN = 'test/policy/fixtures/foreign';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-'));

/** The CLI in this process (fast); bad input comes back as stderr and status 1, as the entry prints it. */
function validateCli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let status: number;
  try {
    status = runValidate(['--today', '2026-11-23', ...args], { out: (t) => out.push(t), err: (t) => err.push(t), isTerminal: false });
  } catch (error) {
    if (!(error as { isInputError?: boolean }).isInputError) throw error;
    err.push((error as Error).message);
    status = 1;
  }
  const stdout = out.join('\n');
  return { status, stdout, stderr: err.join('\n'), json: () => JSON.parse(stdout) as JsonReport };
}

describe('npm run validate on foreign files', () => {
  const human = validateCli(FOREIGN);

  it('reports by object, with file and line, and fails on error findings', () => {
    expect(human.status).toBe(1);
    expect(human.stdout).toContain('files of no environment');
    expect(human.stdout).toContain(`Deployment/web  ${FOREIGN}/web.yaml:3`);
    expect(human.stdout).toMatch(/error {3}PSS002 {2}No host namespaces: hostNetwork is true/);
    expect(human.stdout).toContain(`ConfigMap/web/web-settings  ${FOREIGN}/settings.yaml:1`);
    expect(human.stdout).toMatch(/NET003 .*key DB_PASSWORD: looks like a secret/);
    expect(human.stdout).toMatch(/azurerm_kubernetes_cluster\.main {2}\S*cluster\.tf\.json:4/);
    expect(human.stdout).toMatch(/warning AKS001/);
    expect(human.stdout).toMatch(/\n\d+ errors, 1 warning, 0 waived \(\d+ rules, 3 files/);
    expect(human.stdout).not.toContain('\u001b['); // no colour when not a terminal
  });

  it('--format json lists every finding with its fingerprint and the summary', () => {
    const result = validateCli('--format', 'json', FOREIGN);
    expect(result.status).toBe(1);
    const report = result.json();
    expect(report.summary).toEqual({ errors: expect.any(Number), warnings: 1, waived: 0 });
    expect(report.findings.find((f) => f.ruleId === 'K8S010')).toMatchObject({
      severity: 'error',
      objectId: 'Deployment/web',
      source: { file: `${FOREIGN}/web.yaml`, line: 3 },
      fingerprint: expect.stringMatching(/^[0-9a-f]{20}$/),
    });
    expect(report.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['AKS002', 'AZ003', 'NET004', 'K8S006']));
  });

  it('--baseline shows only the findings that are new, and fails only on new errors', () => {
    const base = path.join(tmp, 'base.json');
    expect(validateCli('--format', 'json', '--output', base, `${FOREIGN}/web.yaml`).status).toBe(1);
    const head = validateCli('--format', 'json', '--baseline', base, FOREIGN).json();
    expect([...new Set(head.findings.map((f) => f.source.file))].sort()).toEqual([`${FOREIGN}/cluster.tf.json`, `${FOREIGN}/settings.yaml`]);
    expect(head.findings.every((f) => f.new === true)).toBe(true);
    const unchanged = validateCli('--baseline', base, `${FOREIGN}/web.yaml`);
    expect([unchanged.status, unchanged.stdout]).toEqual([0, expect.stringMatching(/0 errors, 0 warnings/)]);
  });

  it('--format sarif writes a SARIF log', () => {
    const out = path.join(tmp, 'policy.sarif');
    const result = validateCli('--format', 'sarif', '--output', out, FOREIGN);
    expect(result.stderr).toMatch(/wrote .*policy.sarif \(\d+ findings, \d+ failing; dates judged on \d{4}-\d\d-\d\d\)/);
    const log = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(new RegExp(`^${FOREIGN}/`));
  });

  it('--registry names the registries images may come from, for files of no environment', () => {
    const withRegistry = validateCli('--format', 'json', '--registry', 'myregistry.azurecr.io', `${FOREIGN}/web.yaml`).json();
    expect(withRegistry.findings.filter((f) => f.ruleId === 'K8S008').map((f) => f.message)).toEqual([
      "containers[web]: image 'nginx:latest' is not from myregistry.azurecr.io",
    ]);
  });

  it('passes a clean file', () => {
    const clean = path.join(tmp, 'clean.yaml');
    fs.writeFileSync(clean, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n');
    const result = validateCli(clean);
    expect([result.status, result.stdout]).toEqual([0, expect.stringContaining('no findings')]);
  });

  it('rejects an unknown option and a bad format in one line (exit 2), and a missing path with a message', () => {
    const refused = (error: string) => ({
      status: 2,
      stdout: '',
      stderr: `npm run validate: ${error} (npm run validate -- --help lists the options)`,
    });
    expect(validateCli('--strict', FOREIGN)).toMatchObject(refused("unknown option '--strict'"));
    expect(validateCli('--format', 'xml', FOREIGN)).toMatchObject(refused("--format 'xml' is not one of human, json, sarif"));
    expect(validateCli(FOREIGN, '--env')).toMatchObject(refused('--env needs a value'));
    expect(validateCli('--today', '2026-11-23', FOREIGN)).toMatchObject(refused('--today given twice'));
    expect(validateCli('nowhere/')).toMatchObject({ status: 1, stderr: expect.stringContaining('nowhere/: no such file or folder') });
  });
});

describe("npm run validate's config warnings", () => {
  it('go to its error stream, where the caller can capture them, not straight to the console', () => {
    // A folder of its own: warnings are printed once per text, and the text names the file.
    const environments = fs.mkdtempSync(path.join(tmp, 'environments-'));
    fs.copyFileSync('test/fixtures/environments/dev.yaml', path.join(environments, 'dev.yaml'));
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const saved = process.env.ENVIRONMENTS_DIR;
    process.env.ENVIRONMENTS_DIR = environments;
    try {
      const { stderr } = validateCli(FOREIGN);
      expect(stderr).toContain(`warning: ${path.join(environments, 'dev.yaml')} (environment 'dev'): subscriptionId`);
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      if (saved === undefined) delete process.env.ENVIRONMENTS_DIR;
      else process.env.ENVIRONMENTS_DIR = saved;
      consoleError.mockRestore();
    }
  });
});

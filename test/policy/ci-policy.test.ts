import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const WORKFLOWS = path.resolve(__dirname, '../../.github/workflows');
const workflows = fs
  .readdirSync(WORKFLOWS)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => [f, parse(fs.readFileSync(path.join(WORKFLOWS, f), 'utf8'))] as const);

describe('ci: policy findings in code scanning', () => {
  const job = parse(fs.readFileSync(path.join(WORKFLOWS, 'ci.yml'), 'utf8')).jobs.policy;

  it('runs validate as SARIF on the date it names, and uploads it with the pinned upload-sarif action, also when validate fails', () => {
    const validate = job.steps.find((s: any) => s.run?.includes('npm run validate'));
    // The one check that judges the commit against the date (waivers, the AKS calendar): it gives the date and says it.
    expect(validate.run).toContain('today="$(date -u +%F)"');
    expect(validate.run).toContain('echo "Judging waiver expiry and AKS support on $today"');
    expect(validate.run).toContain('npm run validate -- --today "$today" --format sarif --output policy.sarif');
    const upload = job.steps.find((s: any) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload.uses).toMatch(/@[0-9a-f]{40}$/);
    expect(upload.with).toEqual({ sarif_file: 'policy.sarif', category: 'policy' });
    expect(upload.if).toContain('!cancelled()');
    expect(job.steps.indexOf(upload)).toBeGreaterThan(job.steps.indexOf(validate));
  });

  it('is the only job in any workflow with security-events: write', () => {
    expect(job.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    const writers = workflows.flatMap(([file, wf]) =>
      Object.entries<any>(wf.jobs)
        .filter(([, j]) => j.permissions?.['security-events'] !== undefined)
        .map(([name]) => `${file}:${name}`),
    );
    expect(writers).toEqual(['ci.yml:policy']);
    for (const [, wf] of workflows) expect(wf.permissions?.['security-events']).toBeUndefined();
  });
});

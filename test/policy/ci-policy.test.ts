import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const WORKFLOWS = path.resolve(__dirname, '../../.github/workflows');
const workflows = fs
  .readdirSync(WORKFLOWS)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => [f, parse(fs.readFileSync(path.join(WORKFLOWS, f), 'utf8'))] as const);

describe('ci: policy findings in code scanning', () => {
  const jobs = parse(fs.readFileSync(path.join(WORKFLOWS, 'ci.yml'), 'utf8')).jobs;
  const job = jobs.policy;
  const uploader = jobs['policy-upload'];

  it('runs validate as SARIF on the date it names, and hands the SARIF on as an artifact, also when validate fails', () => {
    const validate = job.steps.find((s: any) => s.run?.includes('npm run validate'));
    // The one check that judges the commit against the date (waivers, the AKS calendar): it gives the date and says it.
    expect(validate.run).toContain('today="$(date -u +%F)"');
    expect(validate.run).toContain('echo "Judging waiver expiry and AKS support on $today"');
    expect(validate.run).toContain('npm run validate -- --today "$today" --format sarif --output policy.sarif');
    const handOver = job.steps.find((s: any) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(handOver.with).toMatchObject({ name: 'policy-sarif', path: 'policy.sarif' });
    expect(handOver.if).toContain('!cancelled()');
    expect(job.steps.indexOf(handOver)).toBeGreaterThan(job.steps.indexOf(validate));
    expect(job.outputs.sarif).toBe(`\${{ steps.${handOver.id}.outputs.artifact-id }}`);
  });

  it('uploads the findings from a job that runs no project code, with the pinned upload-sarif action, also when validate fails', () => {
    expect(uploader.needs).toBe('policy');
    expect(uploader.if).toBe("${{ !cancelled() && needs.policy.outputs.sarif != '' }}");
    const download = uploader.steps.find((s: any) => s.uses?.startsWith('actions/download-artifact@'));
    expect(download.with.name).toBe('policy-sarif');
    const upload = uploader.steps.find((s: any) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload.uses).toMatch(/@[0-9a-f]{40}$/);
    expect(upload.with).toEqual({ sarif_file: `${download.with.path}/policy.sarif`, category: 'policy' });
    // Nothing from the checkout runs: no run step, no npm, no local action.
    expect(uploader.steps.filter((s: any) => s.run || s.uses?.startsWith('./'))).toEqual([]);
  });

  it('the uploader is the only job in any workflow with security-events: write', () => {
    expect(job.permissions).toEqual({ contents: 'read' });
    expect(uploader.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    const writers = workflows.flatMap(([file, wf]) =>
      Object.entries<any>(wf.jobs)
        .filter(([, j]) => j.permissions?.['security-events'] !== undefined)
        .map(([name]) => `${file}:${name}`),
    );
    expect(writers).toEqual(['ci.yml:policy-upload']);
    for (const [, wf] of workflows) expect(wf.permissions?.['security-events']).toBeUndefined();
  });
});

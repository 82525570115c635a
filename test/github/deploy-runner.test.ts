import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const workflow = (name: string) => parse(fs.readFileSync(path.resolve(__dirname, '../../.github/workflows', name), 'utf8'));

describe('the runner of a deploy (private API server and endpoints in prod)', () => {
  it('deploy-environment runs on the runner its caller names, GitHub-hosted by default', () => {
    const wf = workflow('deploy-environment.yml');
    expect(wf.on.workflow_call.inputs.runner).toMatchObject({ type: 'string', default: 'ubuntu-latest' });
    // The plan reads the Key Vault secret and the private API server as well: same runner.
    expect(wf.jobs.plan['runs-on']).toBe('${{ inputs.runner }}');
    expect(wf.jobs.deploy['runs-on']).toBe('${{ inputs.runner }}');
  });

  it("every environment deploys from its file's deploy.runner (npm run environments), never from a repository variable", () => {
    const jobs = workflow('deploy.yml').jobs;
    const stages = Object.keys(jobs).filter((id) => id.startsWith('stage-'));
    expect(stages.length).toBeGreaterThan(0);
    for (const id of stages) expect([id, jobs[id].with.runner]).toEqual([id, '${{ fromJSON(needs.order.outputs.runners)[matrix.environment] }}']);
    // The order job only reads files: GitHub-hosted, whatever the environments need.
    expect(jobs.order['runs-on']).toBe('ubuntu-latest');
    expect(JSON.stringify(workflow('deploy.yml'))).not.toMatch(/vars\.\w*RUNNER/);
  });
});

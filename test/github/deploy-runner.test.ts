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

  it('prod deploys from the runner in repository variable PROD_DEPLOY_RUNNER; dev and staging from GitHub-hosted runners', () => {
    const jobs = workflow('deploy.yml').jobs;
    expect(jobs.prod.with.runner).toBe("${{ vars.PROD_DEPLOY_RUNNER || 'ubuntu-latest' }}");
    expect(jobs.dev.with.runner).toBeUndefined();
    expect(jobs.staging.with.runner).toBeUndefined();
  });
});

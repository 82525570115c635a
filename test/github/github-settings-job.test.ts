import * as fs from 'node:fs';
import * as path from 'node:path';
import { readYaml } from '../support/yaml';

/*
 * drift.yml checks the GitHub environments' settings daily (scripts/github-settings) with the workflow's
 * GITHUB_TOKEN: read access to Actions only, no OIDC token, no install script but the allowed ones.
 */
const ROOT = path.resolve(__dirname, '../..');
const drift = readYaml(path.join(ROOT, '.github/workflows/drift.yml'));
const job = drift.jobs['github-settings'];

describe('drift.yml github-settings job', () => {
  it('runs on the daily schedule, once Azure is set up, apart from the plans', () => {
    expect(drift.on.schedule).toEqual([{ cron: expect.any(String) }]);
    expect(job.if).toBe("vars.AZURE_TENANT_ID != ''");
    expect(job.needs).toBeUndefined();
    expect(job.environment).toBeUndefined();
    expect(job['runs-on']).toBe('ubuntu-latest');
  });

  it('holds no OIDC token and reads only contents and Actions', () => {
    expect(job.permissions).toEqual({ contents: 'read', actions: 'read' });
  });

  it('installs through .github/actions/npm-ci, then runs the check on this repository with the job token', () => {
    const steps: any[] = job.steps;
    expect(steps.map((s) => s.uses?.split('@')[0] ?? s.run)).toEqual([
      'actions/checkout',
      'actions/setup-node',
      './.github/actions/npm-ci',
      'npm run github-settings -- --repo "$GITHUB_REPOSITORY"',
    ]);
    expect(steps[0].with).toEqual({ 'persist-credentials': false });
    // The token only in the step that needs it, never in a command line.
    expect(steps[3].env).toEqual({ GITHUB_TOKEN: '${{ github.token }}' });
    expect(steps.filter((s) => JSON.stringify(s).includes('github.token'))).toEqual([steps[3]]);
    // The script the step runs is the one package.json names.
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
    expect(scripts['github-settings']).toBe('node scripts/run-app.mjs scripts/github-settings/main.ts');
  });
});

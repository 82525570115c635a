import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { policyDelta } from '../../scripts/diff/policy-delta';
import { renderMarkdown } from '../../scripts/diff/render-markdown';
import { renderText } from '../../scripts/diff/render-text';
import type { DiffReport } from '../../scripts/diff/model';
import { synthOutput } from '../support/synth-output';

/*
 * `npm run diff` lists the guardrail findings the head adds: both sides are validated with the
 * head's rules and compared by fingerprint. Real synthesized output; the head is a copy with one change.
 */
// The shipped environments' output, synthesized in this process (test/support/synth-output.ts); copied before any change.
let synth: { outdir: string };
beforeAll(() => {
  synth = { outdir: synthOutput() };
});

const ENVIRONMENTS = path.resolve(__dirname, '../fixtures/environments');
const side = (out: string) => ({ out, environmentsDir: ENVIRONMENTS });

/** A copy of the shared output whose staging Service asks Azure for a public load balancer. */
function headWithPublicStagingService(): string {
  // In the run's own TMPDIR, which globalTeardown removes (test/support/temp-dir.cjs).
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-delta-'));
  fs.cpSync(synth.outdir, out, { recursive: true });
  const file = path.join(out, 'dist', 'photo-view-staging.k8s.yaml');
  const yaml = fs.readFileSync(file, 'utf8');
  const changed = yaml.replace(
    'service.beta.kubernetes.io/azure-load-balancer-internal: "true"',
    'service.beta.kubernetes.io/azure-load-balancer-internal: "false"',
  );
  expect(changed).not.toBe(yaml);
  fs.writeFileSync(file, changed);
  return out;
}

const report = (policy: DiffReport['policy']): DiffReport => ({
  base: { ref: 'main', commit: 'a'.repeat(40) },
  head: { ref: 'working tree', commit: 'b'.repeat(40) },
  environments: [],
  risks: [],
  changes: [],
  policy,
});

describe('npm run diff: guardrail findings new in the head', () => {
  it('lists none when the head adds none', () => {
    expect(policyDelta(side(synth.outdir), side(synth.outdir))).toEqual({ newFindings: [] });
  });

  describe('for a head with a public staging Service', () => {
    // One comparison for the tests below, which only read it.
    let delta: ReturnType<typeof policyDelta>;
    beforeAll(() => {
      delta = policyDelta(side(synth.outdir), side(headWithPublicStagingService()));
    });

    it('lists a finding the head adds, with rule, environment, object and whether it is waived', () => {
      expect(delta.newFindings).toEqual([
        expect.objectContaining({
          ruleId: 'NET004',
          severity: 'error',
          environment: 'staging',
          object: 'Service/photo-view/photo-view',
          waived: false,
        }),
      ]);
    });

    it('shows them in the text and Markdown reports', () => {
      expect(renderText(report(delta), false)).toMatch(/New policy findings[\s\S]*ERROR\s+NET004 staging Service\/photo-view\/photo-view/);
      const markdown = renderMarkdown(report(delta));
      expect(markdown).toContain('**New policy findings**');
      expect(markdown).toMatch(/🔴 `NET004` \*\*staging\*\* `Service\/photo-view\/photo-view`/);
    });
  });
});

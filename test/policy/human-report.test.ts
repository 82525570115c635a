import { validate } from '../../policy/engine';
import { renderHuman } from '../../policy/report/human';
import { goodKubernetes, goodTerraform, inputFiles, prodFactsWithWaivers } from './fixtures';

/*
 * The terminal report shows waivers, object names and messages from environment files: a newline or an
 * escape sequence in them stays on its line, escaped, so it can neither forge a line of the CI log (a
 * GitHub Actions workflow command) nor drive the terminal.
 */
it('escapes control characters from environment files in the terminal report', () => {
  const k8s = goodKubernetes();
  delete k8s.service.metadata.annotations; // NET004, waived below
  const facts = prodFactsWithWaivers({ line: 12, reason: 'public until\n::error file=x::forged', owner: 'team\u001b[2J' });
  const text = renderHuman(validate(inputFiles('prod', k8s, goodTerraform()), { environments: [facts], today: '2026-11-23' }), { colour: false });
  expect(text).toContain('waived until 2026-12-31 by team\\u001b[2J: public until\\u000a::error file=x::forged');
  expect(text).not.toMatch(/^::error/m);
  expect(text).not.toContain('\u001b');
});

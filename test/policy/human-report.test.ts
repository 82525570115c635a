import { validate, type EnvironmentFacts } from '../../policy/engine';
import { renderHuman } from '../../policy/report/human';
import { goodKubernetes, goodTerraform, inputFiles, PROD_FACTS } from './fixtures';

/*
 * The terminal report shows waivers, object names and messages from environment files: a newline or an
 * escape sequence in them stays on its line, escaped, so it can neither forge a line of the CI log (a
 * GitHub Actions workflow command) nor drive the terminal.
 */
it('escapes control characters from environment files in the terminal report', () => {
  const k8s = goodKubernetes();
  delete k8s.service.metadata.annotations; // NET004, waived below
  const facts: EnvironmentFacts = {
    ...PROD_FACTS,
    file: 'environments/prod.yaml',
    waivers: [
      {
        rule: 'NET004',
        object: 'Service/shop/shop',
        reason: 'public until\n::error file=x::forged',
        owner: 'team\u001b[2J',
        expires: '2026-12-31',
        environment: 'prod',
        source: { file: 'environments/prod.yaml', line: 12 },
      },
    ],
  };
  const text = renderHuman(validate(inputFiles('prod', k8s, goodTerraform()), { environments: [facts], today: '2026-11-23' }), { colour: false });
  expect(text).toContain('waived until 2026-12-31 by team\\u001b[2J: public until\\u000a::error file=x::forged');
  expect(text).not.toMatch(/^::error/m);
  expect(text).not.toContain('\u001b');
});

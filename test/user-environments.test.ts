import * as path from 'node:path';
import { userEnvironmentProblems } from './support/user-environments';

/*
 * The one test of the user's own environments/ folder (or USER_ENVIRONMENTS_DIR): it checks only what
 * must hold for any valid environment (test/support/user-environments.ts), so it passes for whatever
 * environments a team keeps there. Every other test builds on test/fixtures/environments.
 */
const DIR = process.env.USER_ENVIRONMENTS_DIR ?? path.resolve(__dirname, '../environments');

it(`every environment in ${path.relative(path.resolve(__dirname, '..'), DIR) || DIR} synthesizes, passes the guardrails, fits the schemas and Azure's naming rules`, () => {
  const { names, problems } = userEnvironmentProblems(DIR);
  expect(names.length).toBeGreaterThan(0);
  expect(problems).toEqual([]);
});

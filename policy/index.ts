// The policy for code: run it on files, compare two runs, render the results.
export { validatePaths, runValidate } from './cli';
export { validate, failing, type Report, type ValidateOptions, type EnvironmentFacts } from './engine';
export { newFindings, readJsonReport } from './baseline';
export { RULES } from './rules';
export { renderHuman } from './report/human';
export { toJsonReport, type JsonReport } from './report/json';
export { toSarif } from './report/sarif';
export type { Finding, Rule, Waiver } from './model';

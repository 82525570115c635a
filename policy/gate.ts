import { InputError } from '../config/load';
import { environmentOf, failing, validate } from './engine';
import { loadEnvironmentFacts } from './environments';
import { findInputFiles, readInputFile, yamlUnit } from './inputs';
import { renderHuman } from './report/human';
import { isExpired, utcDate } from './waivers';

/*
 * The policy step of `npm run synth`: runs after both apps wrote into the staging folder and before it
 * is swapped in, so output that breaks an un-waived error rule is never written.
 *
 * Synth must stay a function of the commit, so waivers hold here regardless of their date: whether
 * synth writes output never depends on the clock. Expiry is judged by `npm run validate` (CI runs it on
 * every pull request and push), which fails on an expired waiver; synth only prints a note.
 */
const outputs = [process.env.CDKTF_OUTDIR, process.env.CDK8S_OUTDIR].filter((d): d is string => Boolean(d));
const environments = loadEnvironmentFacts(process.env.ENVIRONMENTS_DIR ?? 'environments');
// The apps stacks carry the same chart as dist/ (kubernetes_manifest per object); reading them instead
// of parsing dist/ YAML again keeps synth fast. dist/ files of environments without them are read.
const paths = findInputFiles(outputs);
const names = environments.map((e) => e.name);
const terraform = paths.filter((p) => p.endsWith('.json')).map(readInputFile);
const covered = new Set(terraform.filter((f) => f.kubernetes.length > 0).map((f) => environmentOf(f.unit, names)));
const yaml = paths.filter((p) => !p.endsWith('.json') && !covered.has(environmentOf(yamlUnit(p), names))).map(readInputFile);
const report = validate([...terraform, ...yaml], { environments });
const errors = failing(report.findings);
if (errors.length > 0) {
  throw new InputError(
    `Policy: ${errors.length} un-waived error finding(s); fix them or add a waiver to the environment file (README, "Guardrails"):\n` +
      renderHuman({ ...report, findings: errors }, { colour: false }),
  );
}
const today = utcDate(new Date());
const expired = environments.flatMap((e) =>
  e.waivers.filter((w) => isExpired(w, today)).map((w) => `${e.name}: ${w.rule} ${w.object} (expired ${w.expires})`),
);
if (expired.length > 0) console.error(`note: expired waivers (npm run validate fails on them): ${expired.join('; ')}`);

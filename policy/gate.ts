import { InputError } from '../config/load';
import { failing, validate } from './engine';
import { loadEnvironmentFacts } from './environments';
import { findInputFiles, readInputFile } from './inputs';
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
const report = validate(findInputFiles(outputs).map(readInputFile), { environments });
const errors = failing(report.findings);
if (errors.length > 0) {
  throw new InputError(`Policy: ${errors.length} un-waived error finding(s); fix them or add a waiver to the environment file (README, "Guardrails"):\n` +
    renderHuman({ ...report, findings: errors }, { colour: false }));
}
const today = utcDate(new Date());
const expired = environments.flatMap((e) => e.waivers.filter((w) => isExpired(w, today)).map((w) => `${e.name}: ${w.rule} ${w.object} (expired ${w.expires})`));
if (expired.length > 0) console.error(`note: expired waivers (npm run validate fails on them): ${expired.join('; ')}`);

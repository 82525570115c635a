import { createHash } from 'node:crypto';
import type { EnvironmentInput, Finding, KubernetesObject, PolicyObject, Rule } from './model';
import type { InputFile } from './inputs';
import { RULES } from './rules';
import { isExpired, waiverMatches, WAIVER_RULES, type WaiverEntry } from './waivers';

/** What the config says about an environment, beyond its objects. */
export interface EnvironmentFacts {
  readonly name: string;
  /** Environment file, for messages and code scanning. */
  readonly file?: string;
  readonly registries: ReadonlyArray<string>;
  readonly secretEnvironmentVariables: ReadonlyArray<string>;
  /** Blue/green releases: the active colour. */
  readonly activeColour?: string;
  readonly waivers: ReadonlyArray<WaiverEntry>;
  /** The whole config, for rules that need it (ACCESS001). */
  readonly config?: EnvironmentInput['config'];
}

export interface ValidateOptions {
  /** Environments known from config; files are assigned to them by stack or file name (`platform-dev`, `photo-view-dev.k8s.yaml`). */
  readonly environments?: ReadonlyArray<EnvironmentFacts>;
  /** Environment for files whose name names none (`npm run validate -- --env`). @default none */
  readonly defaultEnvironment?: string;
  /** Date waiver expiry and the AKS support calendar are judged on (YYYY-MM-DD). @default neither is judged (synth) */
  readonly today?: string;
  /** cdk8s-plus major the manifests were built with (28 for cdk8s-plus-28). @default not checked */
  readonly cdk8sPlusMinor?: number;
  /** Registries images may come from in every environment, besides each environment's own (`--registry`). @default none */
  readonly registries?: ReadonlyArray<string>;
  /** @default every rule */
  readonly rules?: ReadonlyArray<Rule>;
}

export interface Report {
  readonly findings: ReadonlyArray<Finding>;
  /** Environments that had objects, in order; undefined for files of no environment. */
  readonly environments: ReadonlyArray<string | undefined>;
  readonly files: ReadonlyArray<string>;
  readonly today?: string;
}

/** Production rules apply to environments named prod or prod-something (prod, production, prodeu). */
export const isProduction = (environment: string | undefined) => environment !== undefined && environment.startsWith('prod');

/** Environment of a stack or file unit: `platform-dev` and `photo-view-dev` belong to `dev`. */
export function environmentOf(unit: string, known: ReadonlyArray<string>, fallback?: string): string | undefined {
  const suffix = unit.slice(unit.lastIndexOf('-') + 1);
  if (known.includes(suffix)) return suffix;
  if (known.includes(unit)) return unit;
  return fallback;
}

export const fingerprint = (f: Pick<Finding, 'ruleId' | 'environment' | 'objectId' | 'message'>) =>
  createHash('sha256')
    .update([f.ruleId, f.environment ?? '', f.objectId, f.message].join('\n'))
    .digest('hex')
    .slice(0, 20);

function assemble(
  name: string | undefined,
  files: ReadonlyArray<InputFile>,
  facts: EnvironmentFacts | undefined,
  options: ValidateOptions,
): EnvironmentInput {
  // The same object from dist/ YAML and from a kubernetes_manifest is checked once (YAML first).
  const kubernetes = new Map<string, PolicyObject<KubernetesObject>>();
  for (const f of [...files].sort((a, b) => Number(a.file.endsWith('.json')) - Number(b.file.endsWith('.json')))) {
    for (const o of f.kubernetes) if (!kubernetes.has(o.id)) kubernetes.set(o.id, o);
  }
  const resources = files.flatMap((f) => f.resources);
  const stackRegistries = resources
    .filter(
      (r) => r.value.type === 'azurerm_container_registry' && typeof r.value.body.name === 'string' && !String(r.value.body.name).includes('${'),
    )
    .map((r) => `${r.value.body.name}.azurecr.io`);
  return {
    name,
    production: isProduction(name),
    kubernetes: [...kubernetes.values()],
    resources,
    outputs: files.flatMap((f) => f.outputs),
    registries: [...new Set([...(facts?.registries ?? []), ...stackRegistries, ...(options.registries ?? [])])],
    secretEnvironmentVariables: facts?.secretEnvironmentVariables ?? [],
    activeColour: facts?.activeColour,
    cdk8sPlusMinor: options.cdk8sPlusMinor,
    today: options.today,
    config: facts?.config,
  };
}

/** Runs every rule over the files, grouped by environment, and applies the environments' waivers. */
export function validate(files: ReadonlyArray<InputFile>, options: ValidateOptions = {}): Report {
  const known = options.environments ?? [];
  const rules = options.rules ?? RULES;
  const ruleIds = new Set(rules.map((r) => r.id));
  const groups = new Map<string | undefined, InputFile[]>();
  for (const file of files) {
    const env = environmentOf(
      file.unit,
      known.map((k) => k.name),
      options.defaultEnvironment,
    );
    groups.set(env, [...(groups.get(env) ?? []), file]);
  }
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const add = (f: Omit<Finding, 'fingerprint'>) => {
    const withPrint = { ...f, fingerprint: fingerprint(f) };
    if (!seen.has(withPrint.fingerprint)) {
      seen.add(withPrint.fingerprint);
      findings.push(withPrint);
    }
  };

  const used = new Set<WaiverEntry>();
  for (const [name, groupFiles] of groups) {
    const facts = known.find((k) => k.name === name);
    const env = assemble(name, groupFiles, facts, options);
    const waivers = facts?.waivers ?? [];
    for (const rule of rules) {
      for (const v of rule.check(env)) {
        const base = {
          ruleId: rule.id,
          severity: v.severity ?? rule.severity,
          environment: name,
          objectId: v.object.id,
          message: v.message,
          source: v.object.source,
        };
        const waiver = waivers.find((w) => waiverMatches(w, base));
        if (waiver) used.add(waiver);
        const holds = waiver && !(options.today && isExpired(waiver, options.today));
        add(holds ? { ...base, waiver: stripSource(waiver) } : base);
      }
    }
  }

  // Waivers of environments that had objects: expired, unknown rule, or matching nothing.
  for (const facts of known.filter((k) => groups.has(k.name))) {
    for (const w of facts.waivers) {
      const about = (ruleId: keyof typeof WAIVER_RULES, message: string) =>
        add({
          ruleId,
          severity: WAIVER_RULES[ruleId].severity,
          environment: facts.name,
          objectId: `waiver ${w.rule} ${w.object}`,
          message,
          source: w.source,
        });
      if (!ruleIds.has(w.rule)) about('WAIVER003', `waiver names rule ${w.rule}, which does not exist`);
      else if (options.today && isExpired(w, options.today))
        about('WAIVER001', `waiver of ${w.rule} for ${w.object} (owner ${w.owner}) expired on ${w.expires}; fix the finding or renew the decision`);
      else if (!used.has(w)) about('WAIVER002', `waiver of ${w.rule} for ${w.object} matches no finding; remove it`);
    }
  }
  return { findings, environments: [...groups.keys()], files: files.map((f) => f.file), today: options.today };
}

function stripSource(w: WaiverEntry) {
  return { rule: w.rule, object: w.object, reason: w.reason, owner: w.owner, expires: w.expires };
}

/** Findings that fail the run: errors no (valid) waiver accepts. */
export const failing = (findings: ReadonlyArray<Finding>) => findings.filter((f) => f.severity === 'error' && !f.waiver);

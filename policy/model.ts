/*
 * The policy's data model. Rules are data (id, severity, title, why, fix, docs, equivalents) with one
 * function over parsed objects; nothing here knows how the objects were produced, so the same rules
 * run on this repository's synthesized output and on any Kubernetes YAML or Terraform JSON.
 */

export type Severity = 'error' | 'warning';

/** A parsed Kubernetes object, as in a manifest. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

/** Where an object was read from: file and 1-based line. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** An object the rules look at, with the identity findings and waivers use. */
export interface PolicyObject<T> {
  /** `Kind/namespace/name` for Kubernetes (`Kind/name` when cluster-scoped), the Terraform address for Terraform. */
  readonly id: string;
  readonly value: T;
  readonly source: SourceLocation;
}

/** One Terraform resource (or data source) of a stack. */
export interface TerraformResource {
  readonly type: string;
  readonly name: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** One Terraform output of a stack. */
export interface TerraformOutput {
  readonly name: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** Everything known about one environment: its objects of both layers and what its config says. */
export interface EnvironmentInput {
  /** Environment name, or undefined for files that belong to none. */
  readonly name: string | undefined;
  /** Production rules (paid tier, purge protection, private access, zone redundancy) apply. */
  readonly production: boolean;
  readonly kubernetes: ReadonlyArray<PolicyObject<KubernetesObject>>;
  readonly resources: ReadonlyArray<PolicyObject<TerraformResource>>;
  readonly outputs: ReadonlyArray<PolicyObject<TerraformOutput>>;
  /** Registry login servers images may come from (config and the stack's registries); empty when unknown. */
  readonly registries: ReadonlyArray<string>;
  /** Environment variables the config asks to be read from Secrets. */
  readonly secretEnvironmentVariables: ReadonlyArray<string>;
  /** Blue/green: the colour the config makes live (`app.release.active`). */
  readonly activeColour?: string;
  /** Minor version of the cdk8s-plus library the manifests were built with (cdk8s-plus-28 is 28), when known. */
  readonly cdk8sPlusMinor?: number;
  /** The date rules that follow a calendar judge on (YYYY-MM-DD): `npm run validate` gives it; synth does not. */
  readonly today?: string;
  /** The environment's config, for rules that need more than its objects (ACCESS001); undefined for files of no environment. */
  readonly config?: import('../config/schema').EnvironmentConfig;
}

/** What a rule reports about one object. */
export interface Violation {
  readonly object: PolicyObject<unknown>;
  readonly message: string;
  /** Overrides the rule's severity (a rule that is an error in production only). */
  readonly severity?: Severity;
}

/** Tools with the same rule, for readers who know them. */
export interface Equivalents {
  readonly checkov?: string;
  readonly kubeLinter?: string;
  readonly kubeScore?: string;
  /** Pod Security Standards control. */
  readonly pss?: string;
}

export type Layer = 'kubernetes' | 'azure' | 'cross-layer';

export interface Rule {
  /** Stable id, used in waivers and code scanning, e.g. `PSS001`. */
  readonly id: string;
  readonly layer: Layer;
  readonly severity: Severity;
  readonly title: string;
  /** Why it matters. */
  readonly why: string;
  /** How to fix it. */
  readonly fix: string;
  readonly docs: string;
  readonly equivalents?: Equivalents;
  readonly check: (env: EnvironmentInput) => Violation[];
}

/** A decision to accept one rule's finding on one object for a while. */
export interface Waiver {
  readonly rule: string;
  /** Object id; `*` matches any characters. */
  readonly object: string;
  readonly reason: string;
  readonly owner: string;
  /** Last day the waiver holds, YYYY-MM-DD. */
  readonly expires: string;
}

/** One result of a validation run. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly environment: string | undefined;
  readonly objectId: string;
  readonly message: string;
  readonly source: SourceLocation;
  /** Set when a waiver accepts the finding. */
  readonly waiver?: Waiver;
  /** Stable across runs and line moves: rule, environment, object and message. */
  readonly fingerprint: string;
}

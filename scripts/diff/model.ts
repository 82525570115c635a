/*
 * The shape `npm run diff -- --format json` prints (documented in docs/diff.md).
 * Terraform and Kubernetes changes share one list so that risks sort across both layers.
 */

/** Any JSON value, as synthesized Terraform JSON and Kubernetes objects hold them. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type Layer = 'terraform' | 'kubernetes';
export type Action = 'create' | 'update' | 'delete' | 'replace' | 'rotate' | 'move';
export const ACTIONS: ReadonlyArray<Action> = ['create', 'update', 'delete', 'replace', 'rotate', 'move'];

/**
 * What applying one changed argument does:
 * - `in-place`: updated without re-creating anything;
 * - `replace`: the resource is destroyed and created again;
 * - `rotate`: AKS re-creates the node pool through `temporary_name_for_rotation`;
 * - `one-way`: cannot be undone once applied (e.g. Key Vault purge protection);
 * - `immutable`: a Kubernetes field the API server refuses to change: the apply fails.
 */
export type Effect = 'in-place' | 'replace' | 'rotate' | 'one-way' | 'immutable';

export type Level = 'high' | 'medium' | 'low';

export type RiskKind =
  | 'stateful-replaced'
  | 'stateful-destroyed'
  | 'replaced'
  | 'destroyed'
  | 'node-pool-rotation'
  | 'public-exposure'
  | 'identity'
  | 'address-changed'
  | 'capacity-lowered'
  | 'kubernetes-version'
  | 'traffic'
  | 'one-way'
  | 'immutable-field'
  | 'serving-deleted'
  | 'state-backend'
  | 'environment-added'
  | 'environment-removed';

export const RISK_KINDS: ReadonlyArray<RiskKind> = [
  'stateful-replaced',
  'stateful-destroyed',
  'replaced',
  'destroyed',
  'node-pool-rotation',
  'public-exposure',
  'identity',
  'address-changed',
  'capacity-lowered',
  'kubernetes-version',
  'traffic',
  'one-way',
  'immutable-field',
  'serving-deleted',
  'state-backend',
  'environment-added',
  'environment-removed',
];

/** One line of the risk list. */
export interface Risk {
  readonly kind: RiskKind;
  readonly level: Level;
  readonly environment: string;
  readonly stack?: string;
  /** The resource or object it is about. */
  readonly address: string;
  /** One line, no secret values. */
  readonly message: string;
  /** For `address-changed`: the `moved` block that keeps the resource. */
  readonly moved?: { readonly from: string; readonly to: string };
  /** For `traffic`: which Deployments a Service sends requests to, before and after. */
  readonly live?: { readonly before: ReadonlyArray<LiveShare>; readonly after: ReadonlyArray<LiveShare> };
}

/** A Deployment's share of a Service's pods (and so of its requests). */
export interface LiveShare {
  readonly deployment: string;
  /** `photo-view.io/track` when set (main, blue, green, stable, canary), else the Deployment name. */
  readonly track: string;
  readonly image: string;
  readonly percent: number;
}

/** One changed argument or field, old → new. Absent values are left out; redacted ones read `(sensitive)`. */
export interface AttributeChange {
  readonly path: string;
  readonly old?: Json;
  readonly new?: Json;
  readonly effect: Effect;
  /** Where the effect comes from: the provider documentation's sentence, or the assumption made. */
  readonly basis: string;
  readonly redacted?: true;
}

export interface Change {
  readonly layer: Layer;
  readonly environment: string;
  /** Terraform only. */
  readonly stack?: string;
  /** Terraform: `<type>.<name>`; Kubernetes: `<Kind>/<namespace>/<name>` (`<Kind>/<name>` when cluster-scoped). */
  readonly address: string;
  /** For a move (Terraform) or a renamed content-hashed ConfigMap: the old address. */
  readonly from?: string;
  /** Terraform resource type or Kubernetes kind. */
  readonly type: string;
  /** The Azure resource name or Kubernetes object name, when known. */
  readonly name?: string;
  readonly action: Action;
  readonly level: Level;
  readonly risks: Risk[];
  readonly attributes: AttributeChange[];
  /** Anything the reader should know that is not an attribute (e.g. a declared `moved` block). */
  readonly notes?: string[];
}

export type EnvironmentStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface EnvironmentSummary {
  readonly name: string;
  readonly status: EnvironmentStatus;
  readonly stacks: string[];
  /** The monthly cost estimate of both sides (scripts/diff/cost.ts); absent when not computed. */
  readonly cost?: EnvironmentCost;
}

/** A monthly cost range: every node pool at min_count, and at max_count. */
export interface CostRange {
  readonly min: number;
  readonly max: number;
}

/** One side's monthly totals; `partial`: something is unpriced and left out of them. */
export interface CostTotals extends CostRange {
  readonly partial: boolean;
}

/** A line of the estimate (cost/estimate.ts) that differs between the sides; null on the side without it. */
export interface CostLineChange {
  readonly id: string;
  readonly description: string;
  readonly before: CostRange | null;
  readonly after: CostRange | null;
}

/** Something that bills and has no price in the snapshot or no rule in the estimate: never counted, never 0. */
export interface UnpricedItem {
  readonly id: string;
  readonly what: string;
  readonly why: string;
  /** Which side's total leaves it out. */
  readonly side: 'before' | 'after' | 'both';
}

/** An environment's monthly cost before and after, at one price snapshot; a side is null when the environment is not there. */
export interface EnvironmentCost {
  readonly before: CostTotals | null;
  readonly after: CostTotals | null;
  readonly currency: string;
  readonly pricesAsOf: string;
  readonly lines: CostLineChange[];
  readonly unpriced: UnpricedItem[];
}

export interface DiffReport {
  readonly base: { readonly ref: string; readonly commit: string };
  readonly head: { readonly ref: string; readonly commit: string };
  readonly environments: EnvironmentSummary[];
  /** Every risk of every change, highest level first. */
  readonly risks: Risk[];
  readonly changes: Change[];
  /** Guardrail findings new in the head (see policy-delta.ts); absent when not computed. */
  readonly policy?: PolicyDelta;
  /** Why no environment has a cost: the price snapshot or a usage file could not be read. */
  readonly costError?: string;
}

/** Findings of `npm run validate`'s rules that the head adds. */
export interface PolicyDelta {
  readonly newFindings: ReadonlyArray<{
    readonly ruleId: string;
    readonly severity: 'error' | 'warning';
    readonly environment: string | undefined;
    /** e.g. `Deployment/photo-view/photo-view` or a Terraform address. */
    readonly object: string;
    readonly message: string;
    /** Accepted by a waiver in the head's environment file. */
    readonly waived: boolean;
  }>;
  /** Why the comparison is partial, when it is. */
  readonly note?: string;
}

const LEVEL_ORDER: Record<Level, number> = { high: 0, medium: 1, low: 2 };

/** Highest level of the given ones; `low` for none. */
export function highestLevel(levels: ReadonlyArray<Level>): Level {
  return levels.reduce<Level>((best, l) => (LEVEL_ORDER[l] < LEVEL_ORDER[best] ? l : best), 'low');
}

export const byLevel = (a: { level: Level }, b: { level: Level }) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level];

import * as fs from 'node:fs';
import type { ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import { ACTIONS, RISK_KINDS, type DiffReport, type Effect, type EnvironmentStatus, type Layer, type Level } from '../../scripts/diff/model';

/*
 * review.json: what pr-review's run (the pull request's own code, forks included) hands to
 * pr-review-comment (the default branch's code, with a token that may comment). Data only: the comment is
 * rendered from it on the privileged side (render-review.ts), never taken as Markdown. So every string has a
 * maximum length, every list a maximum number of items, no object takes a field it does not know, and the
 * file's size and depth are checked before the schema. docs/diff.md, "Markdown escaping".
 */

/** Counted per item: `2 kubernetes_cluster`, `3 Deployment`. */
export interface Count {
  readonly name: string;
  readonly count: number;
}

export interface ReviewData {
  readonly version: 1;
  /** `npm run diff --output-dir`: its JSON report when it ran (exit code 0 or 1), else its error. */
  readonly offlineDiff?: { readonly exitCode: number; readonly report?: DiffReport; readonly error?: string };
  /** What `npm run synth` wrote; `ok: false` when there is no cdktf.out/manifest.json. */
  readonly synthesized: {
    readonly ok: boolean;
    readonly stacks: ReadonlyArray<{ readonly name: string; readonly resources: number; readonly types: ReadonlyArray<Count> }>;
    readonly manifests: ReadonlyArray<{ readonly file: string; readonly objects: number; readonly kinds: ReadonlyArray<Count> }>;
  };
  /** The plans of the stacks (`ran`: a plan step ran), the stacks not planned, and why nothing was planned. */
  readonly plans: {
    readonly ran: boolean;
    readonly stacks: ReadonlyArray<{ readonly stack: string; readonly exitCode: number; readonly output: string }>;
    readonly notPlanned: ReadonlyArray<{ readonly stack: string; readonly reason?: string }>;
    readonly reason?: string;
  };
  /** What could not be read while collecting the data. */
  readonly errors: ReadonlyArray<string>;
}

/** The limits review.json is held to. */
export const LIMITS = {
  /** The whole file, checked before it is parsed. */
  bytes: 8 * 1024 * 1024,
  /** Nesting of arrays and objects, checked before the schema. */
  depth: 40,
  /** Nesting inside one setting's value; deeper parts read `…` (the comment shows 80 characters of a value anyway). */
  valueDepth: 16,
  /** Environment, stack, resource type, kind, file and rule names, refs. */
  name: 256,
  /** Addresses, argument paths, objects, images. */
  address: 1024,
  /** Risk messages, bases, notes, reasons. */
  message: 4096,
  /** A string inside a setting's value. */
  value: 2048,
  /** An error text. */
  error: 20_000,
  /** One stack's plan output. */
  plan: 60_000,
} as const;

type Schema = { readonly [key: string]: unknown };

const string = (maxLength: number): Schema => ({ type: 'string', maxLength });
const integer = (minimum: number, maximum: number): Schema => ({ type: 'integer', minimum, maximum });
const list = (items: Schema, maxItems: number): Schema => ({ type: 'array', items, maxItems });
const oneOf = (values: ReadonlyArray<string>): Schema => ({ type: 'string', enum: [...values] });
/** An object with exactly these fields (`optional` ones may be left out). */
const object = (required: Record<string, Schema>, optional: Record<string, Schema> = {}): Schema => ({
  type: 'object',
  properties: { ...required, ...optional },
  required: Object.keys(required),
  additionalProperties: false,
});

/** Every member of a union type, once (a Record keyed by it must name them all). */
const members = <T extends string>(all: Record<T, true>) => Object.keys(all) as T[];
const LEVELS = members<Level>({ high: true, medium: true, low: true });
const LAYERS = members<Layer>({ terraform: true, kubernetes: true });
const EFFECTS = members<Effect>({ 'in-place': true, replace: true, rotate: true, 'one-way': true, immutable: true });
const STATUSES = members<EnvironmentStatus>({ added: true, removed: true, changed: true, unchanged: true });

const name = string(LIMITS.name);
const address = string(LIMITS.address);
const message = string(LIMITS.message);
const exitCode = integer(0, 255);
const count = object({ name, count: integer(0, 1_000_000) });
const json = { $ref: '#/$defs/json' };
const share = object({ deployment: name, track: name, image: address, percent: { type: 'number', minimum: 0, maximum: 100 } });
const risk = object(
  { kind: oneOf(RISK_KINDS), level: oneOf(LEVELS), environment: name, address, message },
  { stack: name, moved: object({ from: address, to: address }), live: object({ before: list(share, 100), after: list(share, 100) }) },
);
const side = object({ ref: string(512), commit: string(64) });
const money = { type: 'number', minimum: -1e12, maximum: 1e12 };
const costRange = object({ min: money, max: money });
const orNull = (schema: Schema): Schema => ({ anyOf: [{ type: 'null' }, schema] });
const cost = object({
  before: orNull(object({ min: money, max: money, partial: { type: 'boolean' } })),
  after: orNull(object({ min: money, max: money, partial: { type: 'boolean' } })),
  currency: { type: 'string', pattern: '^[A-Z]{3}$' },
  pricesAsOf: name,
  lines: list(object({ id: address, description: message, before: orNull(costRange), after: orNull(costRange) }), 2000),
  unpriced: list(object({ id: address, what: message, why: message, side: oneOf(['before', 'after', 'both']) }), 2000),
});
const report = object(
  {
    base: side,
    head: side,
    environments: list(object({ name, status: oneOf(STATUSES), stacks: list(name, 64) }, { cost }), 1000),
    risks: list(risk, 5000),
    changes: list(
      object(
        {
          layer: oneOf(LAYERS),
          environment: name,
          address,
          type: name,
          action: oneOf(ACTIONS),
          level: oneOf(LEVELS),
          risks: list(risk, 100),
          attributes: list(
            object({ path: address, effect: oneOf(EFFECTS), basis: message }, { old: json, new: json, redacted: { const: true } }),
            2000,
          ),
        },
        { stack: name, from: address, name, notes: list(message, 50) },
      ),
      20_000,
    ),
  },
  {
    policy: object(
      {
        newFindings: list(
          object(
            { ruleId: name, severity: oneOf(['error', 'warning']), object: address, message, waived: { type: 'boolean' } },
            { environment: name },
          ),
          2000,
        ),
      },
      { note: message },
    ),
    costError: message,
  },
);

/** JSON Schema (draft 2020-12) of review.json. */
export const REVIEW_SCHEMA: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'pr-review data',
  ...object(
    {
      version: { const: 1 },
      synthesized: object({
        ok: { type: 'boolean' },
        stacks: list(object({ name, resources: integer(0, 1_000_000), types: list(count, 500) }), 1000),
        manifests: list(object({ file: name, objects: integer(0, 1_000_000), kinds: list(count, 500) }), 1000),
      }),
      plans: object(
        {
          ran: { type: 'boolean' },
          stacks: list(object({ stack: name, exitCode, output: string(LIMITS.plan) }), 1000),
          notPlanned: list(object({ stack: name }, { reason: message }), 1000),
        },
        { reason: message },
      ),
      errors: list(string(LIMITS.error), 20),
    },
    { offlineDiff: object({ exitCode }, { report, error: string(LIMITS.error) }) },
  ),
  $defs: {
    // A setting's value as the diff shows it: any JSON, each part bounded.
    json: {
      anyOf: [
        { type: ['null', 'boolean', 'number'] },
        string(LIMITS.value),
        { type: 'array', maxItems: 100, items: json },
        { type: 'object', maxProperties: 100, propertyNames: { maxLength: LIMITS.name }, additionalProperties: json },
      ],
    },
  },
};

const jsonType = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `value` cut to fit the schema's limits: strings shortened (ending in `…`), lists and objects cut, value
 * parts past {@link LIMITS.valueDepth} replaced by `…`, and fields the schema does not know left out (their
 * paths in `dropped`). Types and enums are not changed: what does not match them still fails validation.
 */
export function fitToSchema(value: unknown, schema: Schema = REVIEW_SCHEMA, dropped: string[] = [], at = '', valueDepth = -1): unknown {
  const resolved = typeof schema.$ref === 'string' ? (REVIEW_SCHEMA.$defs as Record<string, Schema>)[schema.$ref.split('/').pop()!] : schema;
  const depth = schema.$ref === undefined ? valueDepth : valueDepth + 1;
  if (depth >= LIMITS.valueDepth && typeof value === 'object' && value !== null) return '…';
  if (Array.isArray(resolved.anyOf)) {
    const type = jsonType(value);
    const branch = (resolved.anyOf as Schema[]).find((b) => [b.type].flat().some((t) => t === type || (t === 'number' && type === 'integer')));
    return branch ? fitToSchema(value, branch, dropped, at, depth) : value;
  }
  if (typeof value === 'string') {
    const max = resolved.maxLength;
    return typeof max === 'number' && value.length > max ? `${value.slice(0, max - 1)}…` : value;
  }
  if (Array.isArray(value)) {
    const max = typeof resolved.maxItems === 'number' ? resolved.maxItems : value.length;
    return value.slice(0, max).map((item, i) => fitToSchema(item, (resolved.items ?? {}) as Schema, dropped, `${at}/${i}`, depth));
  }
  if (isRecord(value)) {
    const properties = (resolved.properties ?? {}) as Record<string, Schema>;
    const others = resolved.additionalProperties;
    const nameLimit = (resolved.propertyNames as Schema | undefined)?.maxLength;
    const kept = Object.entries(value).filter(([key]) => {
      const known = Object.hasOwn(properties, key) || (others !== false && (typeof nameLimit !== 'number' || key.length <= nameLimit));
      if (!known) dropped.push(`${at}/${key}`);
      return known;
    });
    const max = typeof resolved.maxProperties === 'number' ? resolved.maxProperties : kept.length;
    return Object.fromEntries(
      kept.slice(0, max).map(([key, item]) => {
        const itemSchema = Object.hasOwn(properties, key) ? properties[key] : isRecord(others) ? others : {};
        return [key, fitToSchema(item, itemSchema, dropped, `${at}/${key}`, depth)];
      }),
    );
  }
  return value;
}

let validator: ValidateFunction | undefined;

/** A value from the data in a message: quoted, on one line, short. */
const quote = (value: unknown) => {
  const shown = JSON.stringify(String(value));
  return shown.length > 80 ? `${shown.slice(0, 77)}..."` : shown;
};

/** The deepest nesting of arrays and objects in `value`, counted without recursion. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Schema errors of `value` as one line, or undefined when it conforms. */
export function schemaError(value: unknown): string | undefined {
  validator ??= new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(REVIEW_SCHEMA);
  if (validator(value)) return undefined;
  // A limit broken inside a setting's value says more than "must be null,boolean,number" of another branch.
  const errors = validator.errors ?? [];
  const error = errors.find((e) => e.keyword !== 'type' && e.keyword !== 'anyOf') ?? errors[0];
  if (!error) return 'does not match the schema';
  const extra = error.keyword === 'additionalProperties' ? ` (${quote((error.params as { additionalProperty: string }).additionalProperty)})` : '';
  return `${quote(error.instancePath || '/')} ${error.message ?? 'is invalid'}${extra}`;
}

/** review.json's content checked: size, JSON, depth and schema, in that order; the error is one line. */
export function parseReview(content: string | Buffer): { readonly data: ReviewData } | { readonly error: string } {
  const bytes = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (bytes > LIMITS.bytes) return { error: `is ${bytes} bytes, more than the ${LIMITS.bytes} allowed` };
  let value: unknown;
  try {
    value = JSON.parse(content.toString());
  } catch (error) {
    return { error: `is not JSON (${(error as Error).message.split('\n')[0].slice(0, 120)})` };
  }
  const depth = depthOf(value);
  if (depth > LIMITS.depth) return { error: `is nested ${depth} levels deep, more than the ${LIMITS.depth} allowed` };
  const error = schemaError(value);
  return error === undefined ? { data: value as ReviewData } : { error: `does not match the schema: ${error}` };
}

/** review.json read from `file`, its size checked before it is read. */
export function readReview(file: string): { readonly data: ReviewData } | { readonly error: string } {
  let content: Buffer;
  try {
    const { size } = fs.statSync(file);
    if (size > LIMITS.bytes) return { error: `is ${size} bytes, more than the ${LIMITS.bytes} allowed` };
    content = fs.readFileSync(file);
  } catch (error) {
    return { error: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message.split('\n')[0]})` };
  }
  return parseReview(content);
}

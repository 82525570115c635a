import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * The azurerm provider's argument schema, read from the jsii assembly (.jsii) that ships inside
 * @cdktf/provider-azurerm: every resource's arguments, which are required, which nested blocks exist,
 * and which attributes are read-only. Parsing the 88 MB assembly takes ~0.6 s, so the extract is cached
 * in node_modules/.cache keyed by the package version.
 */

/** Arguments of one resource or nested block. */
export interface BlockSchema {
  readonly args: Record<string, { readonly required: boolean; readonly block?: BlockSchema }>;
  /** Attributes Terraform computes; setting them is an error. */
  readonly readOnly: string[];
}

export type ProviderSchema = Record<string, BlockSchema>;

interface JsiiType {
  kind: string;
  fqn: string;
  docs?: { summary?: string; remarks?: string };
  properties?: Array<{
    name: string;
    optional?: boolean;
    immutable?: boolean;
    static?: boolean;
    docs?: { summary?: string; remarks?: string };
    type: unknown;
  }>;
}

const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const PACKAGE = '@cdktf/provider-azurerm';

function structFqn(type: unknown, types: Record<string, JsiiType>): string | undefined {
  const t = type as { fqn?: string; union?: { types: unknown[] }; collection?: { kind: string; elementtype: unknown } };
  if (t.fqn) return types[t.fqn]?.kind === 'interface' && t.fqn.startsWith(PACKAGE) ? t.fqn : undefined;
  if (t.union) return t.union.types.map((u) => structFqn(u, types)).find(Boolean);
  if (t.collection?.kind === 'array') return structFqn(t.collection.elementtype, types);
  return undefined;
}

function terraformName(prop: NonNullable<JsiiType['properties']>[number]): string {
  const docs = `${prop.docs?.summary ?? ''} ${prop.docs?.remarks ?? ''}`;
  return /#([a-z0-9_]+) [A-Za-z]+#/.exec(docs)?.[1] ?? snake(prop.name);
}

function blockSchema(structName: string, outputClass: string | undefined, types: Record<string, JsiiType>, depth = 0): BlockSchema {
  const struct = types[structName];
  const args: BlockSchema['args'] = {};
  for (const prop of struct?.properties ?? []) {
    const nested = depth < 8 ? structFqn(prop.type, types) : undefined;
    args[terraformName(prop)] = {
      required: !prop.optional,
      block: nested ? blockSchema(nested, `${nested}OutputReference`, types, depth + 1) : undefined,
    };
  }
  const readOnly = (types[outputClass ?? '']?.properties ?? [])
    .filter((p) => p.immutable && !p.static && !p.name.endsWith('Input'))
    .map((p) => snake(p.name))
    .filter((name) => !(name in args));
  return { args, readOnly };
}

function extract(jsiiFile: string): ProviderSchema {
  const types: Record<string, JsiiType> = JSON.parse(fs.readFileSync(jsiiFile, 'utf8')).types;
  const schema: ProviderSchema = {};
  for (const type of Object.values(types)) {
    const match = type.kind === 'class' && /\{@link \S+\/docs(?:\/resources\/\S+)? (azurerm(?:_[a-z0-9_]+)?)\}/.exec(type.docs?.summary ?? '');
    if (!match) continue;
    schema[match[1]] = blockSchema(`${type.fqn}Config`, type.fqn, types);
  }
  return schema;
}

let cached: ProviderSchema | undefined;

/** The schema of every azurerm resource (and of the provider block, under `azurerm`). */
export function azurermSchema(): ProviderSchema {
  if (cached) return cached;
  const packageDir = path.dirname(require.resolve(`${PACKAGE}/package.json`));
  const version = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version;
  const cacheFile = path.resolve('node_modules/.cache/aks-environments', `azurerm-schema-${version}.json`);
  if (fs.existsSync(cacheFile)) {
    cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as ProviderSchema;
    return cached;
  }
  cached = extract(path.join(packageDir, '.jsii'));
  fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
  fs.writeFileSync(`${cacheFile}.${process.pid}`, JSON.stringify(cached));
  fs.renameSync(`${cacheFile}.${process.pid}`, cacheFile);
  return cached;
}

const META_ARGUMENTS = new Set(['//', 'depends_on', 'count', 'for_each', 'provider', 'lifecycle', 'provisioner', 'connection']);

function checkBlock(where: string, value: unknown, block: BlockSchema, topLevel: boolean, problems: string[]): void {
  for (const item of Array.isArray(value) ? value : [value]) {
    if (!item || typeof item !== 'object') continue;
    const given = item as Record<string, unknown>;
    for (const [key, child] of Object.entries(given)) {
      if (topLevel && META_ARGUMENTS.has(key)) continue;
      const arg = block.args[key];
      if (!arg) {
        problems.push(block.readOnly.includes(key) ? `${where}: '${key}' is read-only (computed by Azure)` : `${where}: unknown argument '${key}'`);
      } else if (arg.block && typeof child !== 'string') {
        checkBlock(`${where}.${key}`, child, arg.block, false, problems);
      }
    }
    for (const [key, arg] of Object.entries(block.args)) {
      if (arg.required && !(key in given)) problems.push(`${where}: missing required argument '${key}'`);
    }
  }
}

/** Problems of a synthesized stack (cdk.tf.json) against the azurerm schema; empty when it is valid. */
export function azurermProblems(stack: { resource?: Record<string, Record<string, unknown>>; provider?: Record<string, unknown[]> }): string[] {
  const schema = azurermSchema();
  const problems: string[] = [];
  for (const [type, resources] of Object.entries(stack.resource ?? {})) {
    if (!type.startsWith('azurerm_')) continue;
    const block = schema[type];
    if (!block) {
      problems.push(`${type}: not a resource of the azurerm provider`);
      continue;
    }
    for (const [name, body] of Object.entries(resources)) checkBlock(`${type}.${name}`, body, block, true, problems);
  }
  for (const config of stack.provider?.azurerm ?? []) checkBlock('provider.azurerm', config, schema.azurerm, true, problems);
  return problems;
}

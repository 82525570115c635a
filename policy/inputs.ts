import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { InputError } from '../config/load';
import type { KubernetesObject, PolicyObject, TerraformOutput, TerraformResource } from './model';
import { address } from './terraform';

/*
 * Reads what the rules look at from files: Kubernetes YAML (one or many documents, List kinds) and
 * Terraform JSON (`*.tf.json`, including cdktf's cdk.tf.json and the Kubernetes objects of its
 * kubernetes_manifest resources).
 */

/** The objects of one file. */
export interface InputFile {
  readonly file: string;
  /** Stack name (cdktf) or file name without extensions: what the environment is read from. */
  readonly unit: string;
  readonly kubernetes: Array<PolicyObject<KubernetesObject>>;
  readonly resources: Array<PolicyObject<TerraformResource>>;
  readonly outputs: Array<PolicyObject<TerraformOutput>>;
}

const isKubernetesObject = (v: unknown): v is KubernetesObject =>
  Boolean(v) && typeof v === 'object' && typeof (v as KubernetesObject).apiVersion === 'string' && typeof (v as KubernetesObject).kind === 'string';

/** `Kind/namespace/name`, or `Kind/name` for objects without a namespace. */
export function kubernetesId(o: KubernetesObject): string {
  return [o.kind, o.metadata?.namespace, o.metadata?.name ?? '?'].filter((p) => p !== undefined).join('/');
}

/** Every Kubernetes YAML and Terraform JSON file under the paths (files or folders), sorted. */
export function findInputFiles(paths: ReadonlyArray<string>): string[] {
  const walk = (p: string): string[] => {
    if (!fs.existsSync(p))
      throw new InputError(`${p}: no such file or folder; pass Kubernetes YAML or Terraform JSON files, or folders holding them`);
    if (!fs.statSync(p).isDirectory()) return [p];
    return fs
      .readdirSync(p, { withFileTypes: true })
      .filter((e) => !(e.isDirectory() && ['node_modules', '.terraform', '.git'].includes(e.name)))
      .flatMap((e) => (e.isDirectory() ? walk(path.join(p, e.name)) : /\.(ya?ml|tf\.json)$/.test(e.name) ? [path.join(p, e.name)] : []));
  };
  return [...new Set(paths.flatMap(walk))].sort();
}

/** What the environment of a YAML file is read from: its name without extensions (`photo-view-dev`). */
export const yamlUnit = (file: string) => path.basename(file).replace(/(\.k8s)?\.ya?ml$/, '');

/** A YAML stream's documents, each one's value and the line it starts on, up to the first with a syntax error. */
type YamlDocuments = Array<{ value: unknown; line: number } | { syntaxError: string }>;

/**
 * Parsed documents by text, for the last few distinct texts. Validating a base and a head output (the
 * PR diff), or one output twice, meets the same files again; parsing is most of what reading costs.
 * Each caller gets its own copy of the values.
 */
const parsedYaml = new Map<string, YamlDocuments>();
const PARSED_YAML_KEPT = 32;

function yamlDocuments(file: string, text: string): YamlDocuments {
  let documents = parsedYaml.get(text);
  if (!documents) {
    const lines = new LineCounter();
    const parsed = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true });
    if (!Array.isArray(parsed)) throw new InputError(`${file}: not a YAML stream`);
    documents = [];
    for (const doc of parsed) {
      if (doc.errors.length > 0) {
        documents.push({ syntaxError: doc.errors[0].message });
        break;
      }
      documents.push({ value: doc.toJS() as unknown, line: lines.linePos(doc.contents?.range[0] ?? 0).line });
    }
    parsedYaml.set(text, documents);
    if (parsedYaml.size > PARSED_YAML_KEPT) parsedYaml.delete(parsedYaml.keys().next().value as string);
  }
  return structuredClone(documents);
}

function readKubernetesYaml(file: string, text: string): InputFile {
  const kubernetes: InputFile['kubernetes'] = [];
  for (const document of yamlDocuments(file, text)) {
    if ('syntaxError' in document) throw new InputError(`${file}: YAML syntax: ${document.syntaxError}`);
    const { value, line } = document;
    if (value === null || value === undefined) continue;
    const items = isKubernetesObject(value) && value.kind.endsWith('List') && Array.isArray(value.items) ? value.items : [value];
    for (const item of items) {
      if (!isKubernetesObject(item)) throw new InputError(`${file}:${line}: not a Kubernetes object (apiVersion and kind are required)`);
      kubernetes.push({ id: kubernetesId(item), value: { ...item, metadata: item.metadata ?? {} }, source: { file, line } });
    }
  }
  return { file, unit: yamlUnit(file), kubernetes, resources: [], outputs: [] };
}

type Json = Record<string, unknown>;
const entries = (v: unknown): Array<[string, Json]> => (v && typeof v === 'object' ? Object.entries(v as Record<string, Json>) : []);

function readTerraformJson(file: string, text: string): InputFile {
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch (error) {
    throw new InputError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  // Line of the first `"name":` after `"type":`, for messages and code scanning; 1 when not found.
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (...keys: string[]) => {
    let at = 0;
    for (const key of keys) {
      const next = text.indexOf(`"${key}"`, at);
      if (next < 0) return 1;
      at = next;
    }
    return lineAt(lineStarts, at);
  };
  const resources: InputFile['resources'] = [];
  const kubernetes: InputFile['kubernetes'] = [];
  for (const [type, byName] of entries(json.resource)) {
    for (const [name, body] of entries(byName)) {
      const resource: TerraformResource = { type, name, body };
      const source = { file, line: lineOf('resource', type, name) };
      resources.push({ id: address(resource), value: resource, source });
      // kubernetes_manifest carries a whole object: check it like one from YAML.
      if (type === 'kubernetes_manifest' && isKubernetesObject(body.manifest)) {
        const manifest = body.manifest;
        kubernetes.push({ id: kubernetesId(manifest), value: { ...manifest, metadata: manifest.metadata ?? {} }, source });
      }
    }
  }
  // Data sources are read on every plan (ACCESS001 checks who may read them). Their type is `data.<type>`,
  // so rules looking for a resource type never take one for a resource; the id is the Terraform address.
  for (const [type, byName] of entries(json.data)) {
    for (const [name, body] of entries(byName)) {
      const dataSource: TerraformResource = { type: `data.${type}`, name, body };
      resources.push({ id: address(dataSource), value: dataSource, source: { file, line: lineOf('data', type, name) } });
    }
  }
  const outputs = entries(json.output).map(([name, body]): PolicyObject<TerraformOutput> => ({
    id: `output.${name}`,
    value: { name, body },
    source: { file, line: lineOf('output', name) },
  }));
  const stackName = (json['//'] as { metadata?: { stackName?: string } } | undefined)?.metadata?.stackName;
  const unit =
    stackName ?? (path.basename(file) === 'cdk.tf.json' ? path.basename(path.dirname(file)) : path.basename(file).replace(/\.tf\.json$/, ''));
  return { file, unit, kubernetes, resources, outputs };
}

/** 1-based line of offset `at`, given the offsets where lines start (binary search: files have thousands of lines). */
function lineAt(lineStarts: ReadonlyArray<number>, at: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid] <= at) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

/** Reads one input file; bad files are InputErrors naming the file and the problem. */
export function readInputFile(file: string): InputFile {
  const text = fs.readFileSync(file, 'utf8');
  return file.endsWith('.json') ? readTerraformJson(file, text) : readKubernetesYaml(file, text);
}

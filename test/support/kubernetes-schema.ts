import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { buildSync } from 'esbuild';

/*
 * Strict validation of Kubernetes manifests, offline, from npm packages:
 * - which fields exist: the model metadata of @kubernetes/client-node 2.0 (generated from the
 *   Kubernetes 1.36 OpenAPI spec, the newest on npm and the version the environments run); any other
 *   field is rejected;
 * - types, enums, formats and required fields: the JSON-schema validators of kubernetes-models.
 * Together they equal the official definitions with additionalProperties: false.
 * SecretProviderClass is a CRD, so it is checked against its upstream CRD schema (below).
 */

type Attribute = { baseName: string; type: string };
type Models = Record<string, { getAttributeTypeMap?: () => Attribute[] }>;

const ROOT = path.resolve(__dirname, '../..');

/** client-node ships ES modules only; bundle its models once into CommonJS for jest. */
function clientNodeModels(): Models {
  const packageDir = path.join(ROOT, 'node_modules/@kubernetes/client-node');
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const bundle = path.join(ROOT, 'node_modules/.cache/aks-environments', `client-node-models-${version}.cjs`);
  if (!fs.existsSync(bundle)) {
    const tmp = `${bundle}.${process.pid}.cjs`;
    buildSync({
      entryPoints: [path.join(packageDir, 'dist/gen/models/ObjectSerializer.js')],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      outfile: tmp,
      logLevel: 'error',
    });
    fs.renameSync(tmp, bundle);
  }
  // oxlint-disable-next-line typescript/no-require-imports -- the bundle is built at run time, so it cannot be a static import
  return require(bundle) as Models;
}

let models: Models | undefined;

function attributes(typeName: string): Attribute[] | undefined {
  models ??= clientNodeModels();
  return models[typeName]?.getAttributeTypeMap?.();
}

function unknownFields(value: unknown, type: string, at: string, problems: string[]): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((item, i) => unknownFields(item, array[1], `${at}[${i}]`, problems));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value === 'object') for (const [k, v] of Object.entries(value)) unknownFields(v, map[1], `${at}.${k}`, problems);
    return;
  }
  const attrs = attributes(type);
  if (!attrs || typeof value !== 'object' || Array.isArray(value)) return;
  const byName = new Map(attrs.map((a) => [a.baseName, a.type]));
  for (const [key, child] of Object.entries(value)) {
    const childType = byName.get(key);
    if (childType === undefined) problems.push(`${at}.${key}: unknown field (not in ${type})`);
    else unknownFields(child, childType, `${at}.${key}`, problems);
  }
}

/** SecretProviderClass v1, from the secrets-store-csi-driver CRD (secrets-store.csi.x-k8s.io_secretproviderclasses.yaml). */
const SECRET_PROVIDER_CLASS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'secrets-store.csi.x-k8s.io/v1' },
    kind: { const: 'SecretProviderClass' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['provider'],
      properties: {
        provider: { type: 'string' },
        parameters: { type: 'object', additionalProperties: { type: 'string' } },
        secretObjects: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: {
              secretName: { type: 'string' },
              type: { type: 'string' },
              labels: { type: 'object', additionalProperties: { type: 'string' } },
              annotations: { type: 'object', additionalProperties: { type: 'string' } },
              data: {
                type: 'array',
                items: { type: 'object', additionalProperties: false, properties: { objectName: { type: 'string' }, key: { type: 'string' } } },
              },
            },
          },
        },
      },
    },
  },
};
const validateSecretProviderClass = new Ajv({ allErrors: true }).compile(SECRET_PROVIDER_CLASS_SCHEMA);

/**
 * kubernetes-models' class of one kind, from the kind's own module: a group's index loads every kind of
 * the group with its validator (~0.1 s for apps/v1 or v1, per worker thread).
 */
function kubernetesModel(apiVersion: string, kind: string): (new (value: unknown) => { validate(): void }) | undefined {
  try {
    // oxlint-disable-next-line typescript/no-require-imports -- the module path depends on the manifest being checked
    return require(`kubernetes-models/${apiVersion}/${kind}`)[kind];
  } catch (error) {
    if (['MODULE_NOT_FOUND', 'ERR_PACKAGE_PATH_NOT_EXPORTED'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}

/** The Kubernetes minor version whose field names the checker knows (client-node's generator input). */
export const SCHEMA_KUBERNETES_VERSION = '1.36';

/** Everything wrong with one manifest; empty when it is valid for Kubernetes 1.36. */
export function kubernetesProblems(manifest: { apiVersion: string; kind: string; metadata?: { name?: string } }): string[] {
  const where = `${manifest.kind}/${manifest.metadata?.name ?? '?'}`;
  if (manifest.apiVersion === 'secrets-store.csi.x-k8s.io/v1') {
    return validateSecretProviderClass(manifest)
      ? []
      : (validateSecretProviderClass.errors ?? []).map((e) => `${where}${e.instancePath}: ${e.message} ${JSON.stringify(e.params)}`);
  }
  const version = manifest.apiVersion.split('/').pop()!;
  const typeName = `${version.charAt(0).toUpperCase()}${version.slice(1)}${manifest.kind}`;
  if (!attributes(typeName)) return [`${where}: no Kubernetes ${SCHEMA_KUBERNETES_VERSION} schema for ${manifest.apiVersion} ${manifest.kind}`];
  const problems: string[] = [];
  unknownFields(manifest, typeName, where, problems);
  const Model = kubernetesModel(manifest.apiVersion, manifest.kind);
  if (!Model) return [...problems, `${where}: no kubernetes-models schema for ${manifest.apiVersion} ${manifest.kind}`];
  try {
    new Model(manifest).validate();
  } catch (error) {
    problems.push(`${where}: ${(error as Error).message}`);
  }
  return problems;
}

// Pre-flight for an apps deploy: `node scripts/preflight.mjs <env>`. Before Terraform applies the
// photo-view objects and waits up to app.rolloutTimeoutMinutes for each rollout, check in seconds that
// what the pods need exists: every image tag in the environment's registry, every secret in its Key
// Vault. Reads what will be applied (dist/photo-view-<env>.k8s.yaml, the same objects as the apps
// stack) and asks Azure through the CLI (`az`, logged in). Secret values are never read: only names.
import * as fs from 'node:fs';
import { execFile } from 'node:child_process';
import { parseAllDocuments, parse } from 'yaml';

const USAGE = 'usage: node scripts/preflight.mjs <environment> [--manifests FILE]  (default FILE: dist/photo-view-<environment>.k8s.yaml)';
/** Each Azure call; the whole check runs them at once. */
const CALL_TIMEOUT_MS = 30_000;

function fail(message, code = 1) {
  console.error(message);
  process.exit(code);
}

const args = process.argv.slice(2);
const environment = args[0];
const manifestsFlag = args.indexOf('--manifests');
const known = args.every((a, i) => i === 0 || a === '--manifests' || i === manifestsFlag + 1);
if (!environment || environment.startsWith('-') || !known || (manifestsFlag >= 0 && !args[manifestsFlag + 1]))
  fail(`${USAGE}\n(got: ${args.join(' ')})`, 2);
const file = manifestsFlag >= 0 ? args[manifestsFlag + 1] : `dist/photo-view-${environment}.k8s.yaml`;
if (!fs.existsSync(file)) fail(`pre-flight for environment '${environment}': ${file} does not exist; run \`npm run synth\` first`, 2);

/** Images the pods will pull: containers of Deployments that run pods (an idle colour at 0 replicas pulls nothing). */
function requiredImages(objects) {
  const images = new Set();
  for (const o of objects) {
    if (o?.kind !== 'Deployment' || o.spec?.replicas === 0) continue;
    const pod = o.spec?.template?.spec ?? {};
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) images.add(c.image);
  }
  return [...images].sort().map((image) => {
    const match = /^([a-z0-9]+)\.azurecr\.io\/([^:@]+):([^@]+)(?:@(sha256:[0-9a-f]{64}))?$/.exec(image);
    if (!match)
      fail(
        `pre-flight for environment '${environment}': image '${image}' in ${file} is not <registry>.azurecr.io/<repository>:<tag>[@sha256:<digest>]`,
        2,
      );
    // A pinned image runs by its digest, so the digest is what must be in the registry.
    return {
      image,
      registry: match[1],
      repository: match[2],
      tag: match[3],
      reference: match[4] ? `${match[2]}@${match[4]}` : `${match[2]}:${match[3]}`,
    };
  });
}

/** Key Vault secrets the Secrets Store CSI driver will mount, from the SecretProviderClass objects. */
function requiredSecrets(objects) {
  const secrets = [];
  for (const o of objects) {
    if (o?.kind !== 'SecretProviderClass') continue;
    const vault = o.spec?.parameters?.keyvaultName;
    const entries = parse(o.spec?.parameters?.objects ?? 'array: []')?.array ?? [];
    for (const entry of entries) {
      const item = parse(entry);
      if ((item.objectType ?? 'secret') === 'secret') secrets.push({ vault, name: item.objectName, alias: item.objectAlias });
    }
  }
  return secrets;
}

/** Runs `az` with a deadline; resolves to its exit code and output, never rejects. */
function az(...azArgs) {
  return new Promise((resolve) => {
    execFile('az', [...azArgs, '--only-show-errors'], { timeout: CALL_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout, stderr) => {
      const timedOut = error?.killed === true;
      const missingCli = error?.code === 'ENOENT';
      resolve({
        ok: !error,
        stdout,
        reason: missingCli
          ? 'the Azure CLI (az) is not installed'
          : timedOut
            ? `no answer within ${CALL_TIMEOUT_MS / 1000} s`
            : (stderr || String(error?.message ?? '')).trim().split('\n')[0],
      });
    });
  });
}

const objects = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
// The registry is found through Azure Resource Manager, in the environment's subscription (the CLI's
// default subscription after a login with allow-no-subscriptions may be another one).
const environmentFile = `${process.env.ENVIRONMENTS_DIR ?? 'environments'}/${environment}.yaml`;
const subscriptionId = fs.existsSync(environmentFile) ? parse(fs.readFileSync(environmentFile, 'utf8'))?.subscriptionId : undefined;
const inSubscription = typeof subscriptionId === 'string' ? ['--subscription', subscriptionId] : [];
const images = requiredImages(objects);
const secrets = requiredSecrets(objects);
const vaults = [...new Set(secrets.map((s) => s.vault))];

const started = performance.now();
const [imageResults, vaultResults] = await Promise.all([
  Promise.all(
    images.map((i) => az('acr', 'repository', 'show', '--name', i.registry, '--image', i.reference, ...inSubscription, '--output', 'none')),
  ),
  Promise.all(
    vaults.map((vault) => az('keyvault', 'secret', 'list', '--vault-name', vault, '--query', '[?attributes.enabled].name', '--output', 'json')),
  ),
]);

const problems = [];
images.forEach((i, n) => {
  const result = imageResults[n];
  if (result.ok) return;
  const notFound = /not found|does not exist|ManifestUnknown|NAME_UNKNOWN|MANIFEST_UNKNOWN/i.test(result.reason);
  problems.push(
    notFound
      ? `image ${i.image} is not in registry ${i.registry}: push it first, e.g. az acr import -n ${i.registry} --source <source-registry>/${i.repository}:${i.tag} --image ${i.repository}:${i.tag}`
      : `image ${i.image}: cannot check registry ${i.registry}: ${result.reason}`,
  );
});
const present = new Map();
vaults.forEach((vault, n) => {
  const result = vaultResults[n];
  if (!result.ok) {
    problems.push(`Key Vault ${vault}: cannot list secrets (needs the Key Vault Reader role or better): ${result.reason}`);
    return;
  }
  present.set(vault, new Set(JSON.parse(result.stdout || '[]')));
});
for (const s of secrets) {
  if (!present.has(s.vault) || present.get(s.vault).has(s.name)) continue;
  problems.push(
    `secret ${s.name} (for ${s.alias ?? s.name}) is not in Key Vault ${s.vault}, or is disabled: set it first, e.g. az keyvault secret set --vault-name ${s.vault} --name ${s.name} --file ./value.txt`,
  );
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (problems.length > 0) {
  fail(
    `pre-flight for environment '${environment}' failed in ${seconds} s; the apps deploy would wait for rollouts that cannot succeed:\n` +
      problems.map((p) => `  - ${p}`).join('\n'),
  );
}
console.log(
  `pre-flight for environment '${environment}': ${images.length} image(s) and ${secrets.length} secret(s) present (${seconds} s): ` +
    [...images.map((i) => i.image), ...secrets.map((s) => `${s.vault}/${s.name}`)].join(', '),
);

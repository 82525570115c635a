import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { PHOTO_VIEW_CONTRACT } from '../../../workloads/photo-view/contract';
import { environment, ENVIRONMENT_NAMES } from '../../config/fixtures';
import { synthPhotoView } from '../synth';
import { imageTarget } from '../../../workloads/photo-view/image-target';
import { folderWith } from './support';
import { APP_PACKAGE, appPackage, CONTEXT, ENVIRONMENTS, ROOT } from './image-context';

const DOCKERFILE = fs.readFileSync(path.join(CONTEXT, 'Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(DOCKERFILE);
const stages = dockerfile.getFROMs().map((from) => ({
  from,
  instructions: dockerfile
    .getInstructions()
    .filter((i) => dockerfile.getContainingImage(i.getRange().start) === dockerfile.getContainingImage(from.getRange().start)),
}));
const finalStage = stages[stages.length - 1];
const args = (keyword: string, instructions = dockerfile.getInstructions()) =>
  instructions.filter((i) => i.getKeyword() === keyword).map((i) => i.getArguments().map((a) => a.getValue()));
const appLock = JSON.parse(fs.readFileSync(path.join(CONTEXT, 'app/package-lock.json'), 'utf8'));

/** Default value of a global build argument (ARG before the first FROM). */
const globalArg = (name: string) =>
  dockerfile
    .getInitialARGs()
    .find((a) => a.getProperty()?.getName() === name)
    ?.getProperty()
    ?.getValue();
/** A FROM's image with `${ARG}` replaced by the argument's default. */
const image = (raw: string) => raw.replace(/^\$\{(\w+)\}$/, (_m, name: string) => globalArg(name) ?? raw);

describe('Dockerfile lint (dockerfile-utils, the linter of the VS Code Docker language server)', () => {
  it('has no diagnostics', () => {
    expect(validate(DOCKERFILE)).toEqual([]);
  });

  it('flags a repeated CMD, single-quoted JSON, lowercase instructions and a bad port', () => {
    const codes = validate("FROM node\nCMD ['a']\ncmd b\nEXPOSE http\n").map((d) => d.message);
    expect(codes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/only be one CMD/),
        expect.stringMatching(/single quotes/),
        expect.stringMatching(/uppercase/),
        expect.stringMatching(/Invalid containerPort/),
      ]),
    );
  });
});

describe('Dockerfile rules', () => {
  it('is multi-stage: the runtime stage builds nothing and has no shell (distroless Node 24)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(image(finalStage.from.getImage() ?? '')).toMatch(/^gcr\.io\/distroless\/nodejs24-debian\d+@/);
    expect(args('RUN', finalStage.instructions)).toEqual([]);
    expect(args('ADD')).toEqual([]);
  });

  it('pins every base image by digest', () => {
    for (const { from } of stages) {
      const resolved = image(from.getImage() ?? '');
      const stageNames = stages.map((s) => s.from.getBuildStage());
      if (stageNames.includes(resolved)) continue;
      expect(resolved).toMatch(/^[\w./-]+(:[\w.-]+)?@sha256:[0-9a-f]{64}$/);
      expect(resolved).not.toMatch(/:latest@/);
    }
  });

  it('runs as the contract UID with the contract port exposed', () => {
    expect(args('USER', finalStage.instructions)).toEqual([[`${PHOTO_VIEW_CONTRACT.uid}:${PHOTO_VIEW_CONTRACT.uid}`]]);
    expect(args('EXPOSE', finalStage.instructions)).toEqual([[String(PHOTO_VIEW_CONTRACT.port)]]);
    expect(args('ENV', finalStage.instructions).flat()).toEqual(
      expect.arrayContaining(['NODE_ENV=production', 'HOST=0.0.0.0', 'APP_VERSION=${APP_VERSION}']),
    );
  });

  it('ships only production dependencies and the built app', () => {
    const copies = finalStage.instructions.filter((i) => i.getKeyword() === 'COPY');
    const sources = copies.map(
      (c) =>
        `${(c as unknown as { getFromFlag(): { getValue(): string } | null }).getFromFlag()?.getValue() ?? 'context'}:${c.getArguments()[0].getValue()}`,
    );
    expect(sources).toEqual(['dependencies:/app/node_modules', 'build:/src/app/dist', 'context:app/photos']);
    const dependencies = stages.find((s) => s.from.getBuildStage() === 'dependencies');
    expect(args('RUN', dependencies?.instructions).map((a) => a.join(' '))).toEqual([expect.stringMatching(/^npm ci --omit=dev /)]);
    expect(Object.keys(appPackage.dependencies)).toEqual(['@azure/identity', '@azure/monitor-opentelemetry']);
  });

  it('runs the file the build writes, and puts no secret into the image', () => {
    expect(appPackage.scripts.build).toContain('--outfile=dist/main.cjs');
    expect(args('CMD', finalStage.instructions)[0].join(' ')).toContain('"dist/main.cjs"]');
    const names = [...args('ENV').flat(), ...args('ARG').flat()].map((kv) => kv.split('=')[0]);
    expect(names.filter((n) => /SECRET|PASSWORD|TOKEN|KEY|CONNECTION_STRING/i.test(n))).toEqual([]);
  });

  it('.dockerignore sends only what the Dockerfile copies: not the local fake secrets, not node_modules', () => {
    const ignore = fs
      .readFileSync(path.join(CONTEXT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(ignore[0]).toBe('*');
    const allowed = ignore.slice(1).map((l) => l.replace(/^!/, '').replace(/\/$/, ''));
    const contextSources = dockerfile
      .getInstructions()
      .filter((i) => i.getKeyword() === 'COPY' && !(i as unknown as { getFromFlag(): unknown }).getFromFlag())
      .flatMap((i) =>
        i
          .getArguments()
          .slice(0, -1)
          .map((a) => a.getValue()),
      );
    expect([...new Set(contextSources)].sort()).toEqual([...allowed].sort());
    for (const source of allowed) expect(fs.existsSync(path.join(CONTEXT, source))).toBe(true);
  });

  it('the image lockfile has the Azure Monitor distro version the tests run against', () => {
    const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(appLock.packages['node_modules/@azure/monitor-opentelemetry'].version).toBe(root.devDependencies['@azure/monitor-opentelemetry']);
    expect(appPackage.dependencies['@azure/monitor-opentelemetry']).toBe(root.devDependencies['@azure/monitor-opentelemetry']);
    expect(appLock.packages[''].devDependencies.esbuild).toBe(root.dependencies.esbuild);
  });

  it('the server uses Node built-ins only; the packages are the telemetry distro and its Entra ID credential, loaded lazily', () => {
    const dir = path.join(CONTEXT, 'app/src');
    const imports = fs
      .readdirSync(dir)
      .flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/(?:from |import\()'([^']+)'/g)].map((m) => m[1]));
    expect(imports.filter((m) => !m.startsWith('node:') && !m.startsWith('.'))).toEqual([
      '@azure/monitor-opentelemetry',
      '@azure/monitor-opentelemetry',
      '@azure/identity',
    ]);
    expect(fs.readFileSync(path.join(dir, 'telemetry.ts'), 'utf8')).toContain("import('@azure/monitor-opentelemetry')");
    // @azure/identity is the distro's own dependency, at the version its lockfile resolves: declaring it adds nothing to the image.
    expect(appPackage.dependencies['@azure/identity']).toBe(appLock.packages['node_modules/@azure/identity'].version);
    expect(appLock.packages['node_modules/@azure/monitor-opentelemetry'].dependencies['@azure/identity']).toBeDefined();
  });

  it('the app writes no files (the root filesystem is read-only; only the distro may use /tmp)', () => {
    const dir = path.join(CONTEXT, 'app/src');
    const source = fs
      .readdirSync(dir)
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .join('\n');
    expect(source.match(/\b(writeFile|appendFile|mkdir|mkdtemp|createWriteStream|copyFile|rename|rm|unlink|symlink|chmod)(Sync)?\(/g)).toBeNull();
  });
});

describe('image target (where the image workflow pushes)', () => {
  it.each(ENVIRONMENT_NAMES)('%s: the registry and repository the chart pulls from, tagged with the app version', (name) => {
    const target = imageTarget(ENVIRONMENTS, name, APP_PACKAGE);
    const images = synthPhotoView(environment(name))
      .find('Deployment')
      .map((d) => d.spec.template.spec.containers[0].image as string);
    for (const image of images) expect(image.startsWith(`${target['login-server']}/${target.repository}:`)).toBe(true);
    expect(target).toEqual({
      subscription: environment(name).subscriptionId,
      registry: target['login-server'].replace(/\.azurecr\.io$/, ''),
      'login-server': expect.stringMatching(/^cr[a-z0-9]+\.azurecr\.io$/),
      repository: 'photo-view',
      tag: appPackage.version,
    });
  });

  it('rejects an unknown environment, naming the file', () => {
    expect(() => imageTarget(ENVIRONMENTS, 'qa', APP_PACKAGE)).toThrow(
      `${ENVIRONMENTS}/qa.yaml: no such environment file; environments are the files in ${ENVIRONMENTS}/`,
    );
  });

  it('rejects an app version that cannot be a release tag, naming the file', () => {
    const bad = folderWith({ 'package.json': JSON.stringify({ version: 'latest' }) });
    try {
      expect(() => imageTarget(ENVIRONMENTS, 'dev', path.join(bad.dir, 'package.json'))).toThrow(
        /package\.json: version = "latest": must be a release version like 2\.1\.0/,
      );
    } finally {
      bad.remove();
    }
  });
});

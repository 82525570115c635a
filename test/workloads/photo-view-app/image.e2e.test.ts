import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { imageTarget } from '../../../workloads/photo-view/image-target';
import { APP_PACKAGE, appPackage, CONTEXT, ENVIRONMENTS, ROOT } from './image-context';
import { get } from './support';

// The build and the image workflow's command as processes; the Dockerfile rules and the image target in this process are in image.test.ts.
describe('the image build, without Docker', () => {
  // The build stage's steps on a copy of the build context: esbuild with the app's own build script,
  // then the bundle run as the runtime stage runs it (from /app with photos/ beside dist/), on 127.0.0.1.
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'photo-view-image-'));
    fs.copyFileSync(path.join(CONTEXT, 'contract.ts'), path.join(dir, 'contract.ts'));
    fs.cpSync(path.join(CONTEXT, 'app/src'), path.join(dir, 'app/src'), { recursive: true });
    fs.cpSync(path.join(CONTEXT, 'app/photos'), path.join(dir, 'runtime/photos'), { recursive: true });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('builds one file that serves the gallery, with nothing from the repository beside it', async () => {
    const [command, ...buildArgs] = appPackage.scripts.build.split(' ');
    expect(command).toBe('esbuild');
    const build = spawnSync(path.join(ROOT, 'node_modules/.bin/esbuild'), buildArgs, { cwd: path.join(dir, 'app'), encoding: 'utf8' });
    expect(build.status).toBe(0);
    fs.cpSync(path.join(dir, 'app/dist'), path.join(dir, 'runtime/dist'), { recursive: true });
    const secrets = path.join(ROOT, 'workloads/photo-view/app/local/secrets');
    const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.cjs'], {
      cwd: path.join(dir, 'runtime'),
      env: { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', APP_VERSION: '3.1.0', GALLERY_TITLE: 'Built', PHOTO_VIEW_SECRETS_DIR: secrets },
    });
    try {
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      const deadline = Date.now() + 30_000;
      while (!out.includes('"msg":"ready"') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
      const port = Number(/"msg":"listening".*?"port":(\d+)/.exec(out)?.[1]);
      const page = await get(port, '/');
      expect(page.body).toContain('<span class="version">v3.1.0</span>');
      expect((await get(port, '/photos/lake.svg')).status).toBe(200);
    } finally {
      child.kill('SIGKILL');
    }
  }, 45_000);
});

describe('image target (where the image workflow pushes)', () => {
  it('prints the workflow step outputs as key=value lines (the command image.yml runs)', () => {
    const result = spawnSync(process.execPath, ['scripts/run-app.mjs', 'workloads/photo-view/print-image-target.ts', 'dev'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const expected = imageTarget(ENVIRONMENTS, 'dev', APP_PACKAGE);
    expect([result.status, result.stdout]).toEqual([
      0,
      Object.entries(expected)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    ]);
  });
});

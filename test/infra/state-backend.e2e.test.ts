import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformResource, TerraformStack } from '../../infra/cdktf';
import { useStateBackend } from '../../infra/stacks/state-backend';
import { environment } from '../config/fixtures';

// The local state backend under a real terraform (the backend blocks themselves are tested in state-backend.test.ts).
describe('local state (STATE_BACKEND=local) lives outside every generated folder', () => {
  const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  const hasTerraform = terraform.status === 0;
  if (!hasTerraform) console.warn('SKIPPED: local state apply test needs the terraform CLI on PATH (not found)');
  (hasTerraform ? it : it.skip)(
    'keeps the state of a real apply when synth replaces cdktf.out/ (terraform_data, real terraform)',
    () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'local-state-'));
      try {
        /** What `npm run synth` does to cdktf.out/: replaced, never merged. */
        const synth = (value: string) => {
          fs.rmSync(path.join(root, 'cdktf.out'), { recursive: true, force: true });
          const app = new App({ outdir: path.join(root, 'cdktf.out') });
          const stack = new TerraformStack(app, 'platform-dev');
          useStateBackend(stack, environment('dev'), 'platform-dev', 'local');
          new TerraformResource(stack, 'Marker', { terraformResourceType: 'terraform_data' }).addOverride('input', value);
          app.synth();
          return path.join(root, 'cdktf.out/stacks/platform-dev');
        };
        const tf = (cwd: string, ...args: string[]) =>
          execFileSync('terraform', args, {
            cwd,
            encoding: 'utf8',
            stdio: 'pipe',
            env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
          });
        const run = (cwd: string) => tf(cwd, 'init', '-input=false', '-no-color');

        let dir = synth('v1');
        run(dir);
        tf(dir, 'apply', '-auto-approve', '-input=false', '-no-color');
        const stateFile = path.join(root, '.state/platform-dev.tfstate');
        const applied = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
        expect(applied.resources.map((r: { type: string }) => r.type)).toEqual(['terraform_data']);

        dir = synth('v1');
        run(dir);
        // Exit code 0: nothing to change, so the state survived the new synth.
        expect(spawnSync('terraform', ['plan', '-detailed-exitcode', '-input=false', '-no-color'], { cwd: dir }).status).toBe(0);
        expect(JSON.parse(fs.readFileSync(stateFile, 'utf8')).resources[0].instances[0].attributes.id).toBe(
          applied.resources[0].instances[0].attributes.id,
        );
        expect(fs.readdirSync(dir).some((f) => f.endsWith('.tfstate'))).toBe(false);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

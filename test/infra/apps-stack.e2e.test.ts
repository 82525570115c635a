import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { environment } from '../config/fixtures';
import { synthApps } from './synth';

/*
 * The same graph under a real Terraform (built-in terraform_data stands in for each kubernetes_manifest:
 * same addresses, depends_on and lifecycle; a changed manifest is an in-place update). What Terraform
 * does with `create_before_destroy` and depends_on is Terraform's, so it is run, not modelled.
 */
const terraformVersion = spawnSync('terraform', ['version'], { encoding: 'utf8' });
const describeWithTerraform = terraformVersion.status === 0 ? describe : describe.skip;
if (terraformVersion.status !== 0) console.warn('skipping the apply-order runs under Terraform: no terraform binary on PATH');

describeWithTerraform('apply order under a real Terraform (terraform_data stand-ins)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apply-order-'));
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: path.join(dir, 'none.tfrc'), TF_IN_AUTOMATION: '1' };
  fs.writeFileSync(env.TF_CLI_CONFIG_FILE, '');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const terraform = (...args: string[]) => {
    const result = spawnSync('terraform', args, { cwd: dir, env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`terraform ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };

  /** Applies the apps stack of `app` as stand-ins; returns the operations in the order Terraform ran them. */
  function apply(app: Record<string, unknown>): string[] {
    const { json } = synthApps(environment('staging', { app }));
    // The per-secret role assignments the Deployments wait for stand in too (same names, other type).
    const types = json.resource as unknown as Record<string, Record<string, Record<string, unknown>> | undefined>;
    const standIns = { ...types.kubernetes_manifest, ...types.azurerm_role_assignment } as Record<string, Record<string, unknown>>;
    const resources = Object.fromEntries(
      Object.entries(standIns).map(([key, r]) => [
        key,
        {
          input: createHash('sha256')
            .update(JSON.stringify(r.manifest ?? r))
            .digest('hex'),
          depends_on: ((r.depends_on as string[] | undefined) ?? []).map((d) =>
            d.replace(/^(kubernetes_manifest|azurerm_role_assignment)\./, 'terraform_data.'),
          ),
          ...(r.lifecycle ? { lifecycle: r.lifecycle } : {}),
        },
      ]),
    );
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: resources } }));
    const out = terraform('apply', '-auto-approve', '-no-color', '-input=false', '-parallelism=1');
    return [...out.matchAll(/^terraform_data\.PhotoView_(\S+?)_[0-9A-F]{8}: (Creating|Modifying|Destroying)\.\.\./gm)].map((m) => `${m[2]} ${m[1]}`);
  }
  const position = (ops: string[], op: string) => {
    const i = ops.indexOf(op);
    if (i < 0) throw new Error(`'${op}' not in:\n${ops.join('\n')}`);
    return i;
  };

  beforeAll(() => terraform('init', '-no-color', '-input=false'));

  it('blue/green -> rolling with new settings: the new Deployment serves before the Service moves; the old colours and ConfigMap go after', () => {
    apply({ release: { strategy: 'blueGreen', active: 'green', blueTag: '1.4.2', greenTag: '1.5.0' } });
    const ops = apply({ release: { strategy: 'rolling', tag: '1.5.0' }, settings: { LOG_LEVEL: 'warn' } });
    const at = (op: string) => position(ops, op);
    const newConfigMap = ops.find((o) => o.startsWith('Creating ConfigMap-'))!;
    const oldConfigMap = ops.find((o) => o.startsWith('Destroying ConfigMap-'))!;
    expect(at(newConfigMap)).toBeLessThan(at('Creating Deployment-photo-view'));
    expect(at('Creating Deployment-photo-view')).toBeLessThan(at('Creating PodDisruptionBudget-photo-view'));
    expect(at('Creating PodDisruptionBudget-photo-view')).toBeLessThan(at('Modifying Service-photo-view'));
    for (const colour of ['blue', 'green']) expect(at('Modifying Service-photo-view')).toBeLessThan(at(`Destroying Deployment-photo-view-${colour}`));
    expect(at('Creating Deployment-photo-view')).toBeLessThan(at(oldConfigMap));
  });

  it('blue/green flip with autoscaling: HPA, Deployment and PDB of the colour going live, then the Service, then the old colour', () => {
    const autoscaling = { minReplicas: 4, maxReplicas: 8 };
    apply({ release: { strategy: 'blueGreen', active: 'blue', blueTag: '1.4.2', greenTag: '1.5.0' }, autoscaling });
    const ops = apply({ release: { strategy: 'blueGreen', active: 'green', blueTag: '1.4.2', greenTag: '1.5.0' }, autoscaling });
    const order = [
      'HorizontalPodAutoscaler-photo-view-green',
      'Deployment-photo-view-green',
      'PodDisruptionBudget-photo-view-green',
      'Service-photo-view',
    ].map((object) => position(ops, `Modifying ${object}`));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const object of ['HorizontalPodAutoscaler-photo-view-blue', 'Deployment-photo-view-blue']) {
      expect(position(ops, `Modifying ${object}`)).toBeGreaterThan(position(ops, 'Modifying Service-photo-view'));
    }
  });
});

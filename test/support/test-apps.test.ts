import * as fs from 'node:fs';
import { Testing as KubernetesTesting, Chart } from 'cdk8s';
import { TerraformStack, Testing } from '../../infra/cdktf';
import { ResourceGroup } from '../../infra/constructs/resource-group';
import { kubernetesTestApp, terraformTestApp } from './test-apps';

// The in-memory testing apps share one outdir per test file: safe because an in-memory synth writes nothing there.
describe('testing apps for in-memory synths', () => {
  it('share one outdir, which in-memory synths leave empty', () => {
    const [first, second] = [terraformTestApp(), terraformTestApp()];
    expect(second.outdir).toBe(first.outdir);
    expect(kubernetesTestApp().outdir).toBe(first.outdir);
    const stack = new TerraformStack(first, 'stack');
    new ResourceGroup(stack, 'Group', { name: 'rg', location: 'westeurope' });
    expect(Testing.synth(stack)).toContain('azurerm_resource_group');
    KubernetesTesting.synth(new Chart(kubernetesTestApp(), 'chart'));
    const written = fs.readdirSync(first.outdir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(written).toEqual([]);
  });
});

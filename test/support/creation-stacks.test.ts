import { Testing } from '../../infra/cdktf';
import { PlatformStack } from '../../infra/stacks/platform-stack';
import { AppsStack } from '../../infra/stacks/apps-stack';
import { environment } from '../config/fixtures';
import { captureCreationStack, stackTraceModule, withCreationStacks } from './creation-stacks';

// The tests skip cdktf's token creation stacks (creation-stacks.ts), which must not change what is synthesized.
describe("cdktf's token creation stacks in the tests", () => {
  const synth = () => {
    const app = Testing.app();
    const platform = new PlatformStack(app, { environment: environment('prod') });
    const apps = new AppsStack(app, { environment: environment('prod'), platform });
    return [Testing.synth(platform, true), Testing.synth(apps, true)];
  };

  it('are skipped unless CDKTF_CREATION_STACKS=1', () => {
    expect(stackTraceModule.captureStackTrace === captureCreationStack).toBe(process.env.CDKTF_CREATION_STACKS === '1');
  });

  it('are recorded again inside withCreationStacks, and skipped after it', () => {
    const before = stackTraceModule.captureStackTrace;
    expect(withCreationStacks(() => stackTraceModule.captureStackTrace()).length).toBeGreaterThan(0);
    expect(stackTraceModule.captureStackTrace).toBe(before);
  });

  it('change nothing in the synthesized Terraform JSON', () => {
    const recorded = withCreationStacks(synth);
    expect(recorded[0]).toContain('azurerm_kubernetes_cluster');
    expect(synth()).toEqual(recorded);
  });
});

import { Testing } from '../../infra/cdktf';
import { PlatformStack } from '../../infra/stacks/platform-stack';
import { AppsStack } from '../../infra/stacks/apps-stack';
import { environment } from '../config/fixtures';
import { withCreationStacks } from './creation-stacks';
import { terraformTestApp } from './test-apps';

// oxlint-disable-next-line typescript/no-require-imports -- cdktf's private module, not in its types
const { captureStackTrace } = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] };

// The tests skip cdktf's token creation stacks as synth does (creation-stacks.ts), which must not change what is synthesized.
describe("cdktf's token creation stacks in the tests", () => {
  const synth = () => {
    const app = terraformTestApp();
    const platform = new PlatformStack(app, { environment: environment('prod') });
    const apps = new AppsStack(app, { environment: environment('prod'), platform });
    return [Testing.synth(platform, true), Testing.synth(apps, true)];
  };

  it('are skipped unless CDKTF_CREATION_STACKS=1', () => {
    expect(captureStackTrace().length === 0).toBe(process.env.CDKTF_CREATION_STACKS !== '1');
  });

  it('are recorded again inside withCreationStacks, and skipped after it', () => {
    const after = captureStackTrace().length;
    expect(withCreationStacks(() => captureStackTrace()).length).toBeGreaterThan(0);
    expect(captureStackTrace()).toHaveLength(after);
  });

  it('leave the stack traces of errors as they are, at the TypeScript lines', () => {
    const frame = new Error('real').stack?.split('\n')[1] ?? '';
    expect(frame).toContain(`${__filename}:31:`);
  });

  it('change nothing in the synthesized Terraform JSON', () => {
    const recorded = withCreationStacks(synth);
    expect(recorded[0]).toContain('azurerm_kubernetes_cluster');
    expect(synth()).toEqual(recorded);
  });
});

import { environment } from '../config/fixtures';
import { UNDEPLOYED_CLIENT_ID } from '../../workloads/platform-outputs';
import { NOT_DEPLOYABLE_ANNOTATION } from '../../workloads/charts/photo-view';
import { CLIENT_ID, synthPhotoView } from './synth';

describe('dist/ for GitOps: manifests with the placeholder client ID', () => {
  it('are marked not deployable on every object, saying how to get the real client ID', () => {
    const { manifests } = synthPhotoView(environment('prod'), { appIdentityClientId: UNDEPLOYED_CLIENT_ID });
    expect(manifests.length).toBeGreaterThan(10);
    for (const m of manifests) {
      expect(m.metadata.annotations?.[NOT_DEPLOYABLE_ANNOTATION]).toBe(
        'placeholder workload identity client ID; run: npx cdktf output platform-prod --outputs-file platform-outputs/prod.json && npm run synth',
      );
    }
  });

  it('are not marked once the platform outputs give the real client ID', () => {
    const { manifests } = synthPhotoView(environment('prod'), { appIdentityClientId: CLIENT_ID });
    for (const m of manifests) expect(m.metadata.annotations ?? {}).not.toHaveProperty(NOT_DEPLOYABLE_ANNOTATION);
  });
});

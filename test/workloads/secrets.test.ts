import { environment } from '../config/fixtures';
import { synthPhotoView } from './synth';

describe('Key Vault secrets', () => {
  it('are files under /mnt/secrets by default: nothing synced into a Kubernetes Secret (etcd), no environment variable', () => {
    const { one, find } = synthPhotoView(environment('dev'));
    expect(one('SecretProviderClass').spec).not.toHaveProperty('secretObjects');
    expect(one('Deployment').spec.template.spec.containers[0]).not.toHaveProperty('env');
    expect(one('Deployment').spec.template.spec.containers[0].volumeMounts).toContainEqual({
      mountPath: '/mnt/secrets',
      name: 'secrets',
      readOnly: true,
    });
    expect(find('Secret')).toEqual([]);
  });

  it('become an environment variable only for the secret whose mode asks for it', () => {
    const env = environment('dev', { app: { secretNames: ['STORAGE_CONNECTION_STRING', 'API_KEY'], secretModes: { API_KEY: 'environment' } } });
    const { one } = synthPhotoView(env);
    const spc = one('SecretProviderClass');
    expect(spc.spec.parameters.objects).toContain('objectAlias: STORAGE_CONNECTION_STRING');
    expect(spc.spec.parameters.objects).toContain('objectAlias: API_KEY');
    expect(spc.spec.secretObjects).toEqual([{ secretName: 'photo-view-secrets', type: 'Opaque', data: [{ objectName: 'API_KEY', key: 'API_KEY' }] }]);
    const container = one('Deployment').spec.template.spec.containers[0];
    expect(container.env).toEqual([{ name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'photo-view-secrets', key: 'API_KEY' } } }]);
    // The CSI volume stays: the driver syncs the Secret only for pods that mount it.
    expect(container.volumeMounts).toContainEqual({ mountPath: '/mnt/secrets', name: 'secrets', readOnly: true });
  });

  it('reject an unknown secret mode, saying which are allowed', () => {
    expect(() => environment('dev', { app: { secretModes: { STORAGE_CONNECTION_STRING: 'env' } } })).toThrow(
      "environments/dev.yaml (environment 'dev'): app.secretModes.STORAGE_CONNECTION_STRING = \"env\": secret mode must be one of 'file', 'environment'",
    );
  });

  it('reject a mode for a secret that is not in secretNames', () => {
    expect(() => environment('dev', { app: { secretModes: { DB_PASSWORD: 'environment' } } })).toThrow(
      'app.secretModes.DB_PASSWORD = "environment": \'DB_PASSWORD\' is not in secretNames (STORAGE_CONNECTION_STRING); add it there or remove its mode',
    );
  });
});

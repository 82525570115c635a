import { internalLoadBalancerSubnetName } from '../../config';
import { environment, ENVIRONMENT_NAMES } from '../config/fixtures';
import { only, synthPlatform } from '../infra/synth';
import { kubernetesProblems } from '../support/kubernetes-schema';
import { CLIENT_ID, synthPhotoView } from './synth';

describe.each(ENVIRONMENT_NAMES)('photo-view in %s', (name) => {
  const env = environment(name);
  type Synth = ReturnType<typeof synthPhotoView>;
  let manifests: Synth['manifests'];
  let problems: Synth['problems'];
  let find: Synth['find'];
  let one: Synth['one'];
  let deployments: Synth['manifests'];
  /** The platform stack of the same environment, for names both must agree on. */
  let platform: ReturnType<typeof synthPlatform>['json'];
  beforeAll(() => {
    ({ manifests, problems, find, one } = synthPhotoView(env));
    deployments = find('Deployment');
    platform = synthPlatform(env).json;
  });
  const podSpec = (d: any) => d.spec.template.spec;

  it('passes its synth-time checks', () => {
    expect(problems).toEqual([]);
  });

  it('validates strictly against the Kubernetes 1.36 schema', () => {
    expect(manifests.flatMap(kubernetesProblems)).toEqual([]);
  });

  it('puts every object in the app namespace with the prune label', () => {
    for (const m of manifests) {
      expect(m.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'photo-view' });
      if (m.kind !== 'Namespace') expect(m.metadata.namespace).toBe('photo-view');
    }
  });

  it('labels the namespace for Pod Security Admission restricted (enforce, audit, warn)', () => {
    expect(one('Namespace').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  it('pulls the image from the registry the platform stack creates (one naming function)', () => {
    const registry = `${only(platform, 'azurerm_container_registry').name}.azurecr.io`;
    for (const d of deployments)
      expect(podSpec(d).containers[0].image).toMatch(
        new RegExp(`^${registry.replace(/\./g, '\\.')}/photo-view:\\d+\\.\\d+\\.\\d+(@sha256:[0-9a-f]{64})?$`),
      );
  });

  it('rolls out with maxSurge/maxUnavailable from config and keeps a revision history', () => {
    for (const d of deployments) {
      expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
      expect(d.spec.revisionHistoryLimit).toBe(5);
    }
  });

  it('sets requests, limits, and startup, readiness and liveness probes', () => {
    for (const d of deployments) {
      const c = podSpec(d).containers[0];
      expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
      // Paths and port from the app contract: liveness and startup on /healthz, readiness (fails while draining) on /readyz.
      expect(c.startupProbe.httpGet).toMatchObject({ path: '/healthz', port: 8080 });
      expect(c.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 8080 });
      expect(c.readinessProbe.httpGet).toMatchObject({ path: '/readyz', port: 8080 });
      expect(podSpec(d).terminationGracePeriodSeconds).toBe(30);
      // Endpoints and the load balancer let go of the pod before SIGTERM.
      expect(c.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    }
  });

  it('runs restricted: non-root, read-only root with a writable /tmp, no escalation, no capabilities, RuntimeDefault seccomp', () => {
    for (const d of deployments) {
      const spec = podSpec(d);
      const c = spec.containers[0];
      expect(c.securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
      // Azure's pod security restricted initiative requires all three groups in 1-65535 (policy rule AZP001).
      expect(spec.securityContext).toMatchObject({ runAsGroup: 10001, fsGroup: 10001, supplementalGroups: [10001] });
      expect(c.volumeMounts).toContainEqual({ mountPath: '/tmp', name: 'tmp' });
      expect(spec.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } });
    }
  });

  it("sets the platform's Application Insights connection string on the container, as a plain value, only when it is on", () => {
    const connectionString = 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/';
    const withOutputs = synthPhotoView(env, { appIdentityClientId: CLIENT_ID, applicationInsightsConnectionString: connectionString });
    for (const d of withOutputs.find('Deployment')) {
      const variables = d.spec.template.spec.containers[0].env ?? [];
      expect(variables.filter((v: any) => v.name === 'APPLICATIONINSIGHTS_CONNECTION_STRING')).toEqual(
        env.applicationInsights.enabled ? [{ name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: connectionString }] : [],
      );
    }
    // Never in the settings ConfigMap (whose name would not change with it) nor in the Key Vault secrets.
    expect(JSON.stringify(withOutputs.find('ConfigMap'))).not.toContain('InstrumentationKey');
    expect(JSON.stringify(withOutputs.find('SecretProviderClass'))).not.toContain('applicationinsights');
  });

  it('mounts no service-account token and uses the workload identity service account', () => {
    for (const d of deployments) {
      expect(podSpec(d)).toMatchObject({ automountServiceAccountToken: false, serviceAccountName: 'photo-view' });
      expect(d.spec.template.metadata.labels['azure.workload.identity/use']).toBe('true');
    }
    expect(one('ServiceAccount')).toMatchObject({
      automountServiceAccountToken: false,
      metadata: { name: 'photo-view', annotations: { 'azure.workload.identity/client-id': CLIENT_ID } },
    });
  });

  it('spreads pods over nodes and zones and schedules them onto the user pool only', () => {
    for (const d of deployments) {
      const spec = podSpec(d);
      expect(spec.topologySpreadConstraints.map((t: any) => t.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
      expect(spec.topologySpreadConstraints[0].labelSelector.matchLabels).toEqual(d.spec.selector.matchLabels);
      expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
        { key: 'photo-view.io/pool', operator: 'In', values: [env.kubernetes.userPool.name] },
      ]);
    }
  });

  it('carries the app.kubernetes.io labels', () => {
    for (const d of deployments) {
      expect(d.spec.template.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'photo-view',
        'app.kubernetes.io/instance': `photo-view-${name}`,
        'app.kubernetes.io/component': 'web',
        'app.kubernetes.io/version': podSpec(d).containers[0].image.split('@')[0].split(':').pop(),
      });
    }
  });

  it('exposes port 80 on an Azure load balancer, internal where configured, probed over TCP', () => {
    const service = one('Service', 'photo-view');
    expect(service.spec).toMatchObject({ type: 'LoadBalancer', ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
    // No health-probe request path: without appProtocol or a probe-protocol annotation Azure ignores it.
    const subnet = internalLoadBalancerSubnetName(env);
    expect(service.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/azure-load-balancer-internal': String(env.app.internalLoadBalancer),
      ...(subnet && env.app.internalLoadBalancer ? { 'service.beta.kubernetes.io/azure-load-balancer-internal-subnet': subnet } : {}),
    });
    expect(service.spec.ports[0]).not.toHaveProperty('appProtocol');
  });

  it('has an immutable, content-named ConfigMap consumed as environment variables and as files', () => {
    const configMap = one('ConfigMap');
    expect(configMap).toMatchObject({ immutable: true, data: env.app.settings });
    expect(configMap.metadata.name).toMatch(/^photo-view-settings-[0-9a-f]{10}$/);
    for (const d of deployments) {
      const spec = podSpec(d);
      expect(spec.containers[0].envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
      expect(spec.volumes).toContainEqual({ name: 'settings', configMap: { name: configMap.metadata.name } });
      expect(spec.containers[0].volumeMounts).toContainEqual({ mountPath: '/etc/photo-view', name: 'settings', readOnly: true });
    }
  });

  it('takes secrets from the platform Key Vault through the CSI driver as files only, so no value lands in etcd', () => {
    const vault = only(platform, 'azurerm_key_vault').name;
    const spc = one('SecretProviderClass');
    expect(spc.spec.parameters).toMatchObject({ keyvaultName: vault, tenantId: env.tenantId, clientID: CLIENT_ID, usePodIdentity: 'false' });
    expect(spc.spec.parameters.objects).toContain('objectName: storage-connection-string');
    expect(spc.spec.parameters.objects).toContain('objectAlias: STORAGE_CONNECTION_STRING');
    expect(spc.spec).not.toHaveProperty('secretObjects');
    for (const d of deployments) {
      const spec = podSpec(d);
      expect(spec.containers[0]).not.toHaveProperty('env');
      expect(spec.volumes).toContainEqual({
        name: 'secrets',
        csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'photo-view-secrets' } },
      });
      expect(spec.containers[0].volumeMounts).toContainEqual({ mountPath: '/mnt/secrets', name: 'secrets', readOnly: true });
    }
    expect(find('Secret')).toEqual([]);
  });

  it('has a PodDisruptionBudget per Deployment that always lets a node drain, even past pods that are not ready', () => {
    for (const d of deployments) {
      expect(one('PodDisruptionBudget', d.metadata.name).spec).toEqual({
        maxUnavailable: 1,
        selector: { matchLabels: d.spec.selector.matchLabels },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      });
    }
  });

  it('denies all ingress in the namespace except to the app port', () => {
    expect(one('NetworkPolicy', 'default-deny-ingress').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(one('NetworkPolicy', 'photo-view-allow-http').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'photo-view', 'app.kubernetes.io/instance': `photo-view-${name}` } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
  });
});

describe('autoscaling', () => {
  it('without an autoscaler, runs the configured replicas (10 by default)', () => {
    const { find, one } = synthPhotoView(environment('dev'));
    expect(find('HorizontalPodAutoscaler')).toEqual([]);
    expect(one('Deployment').spec.replicas).toBe(10);
  });

  it('with an autoscaler, adds an autoscaling/v2 HPA on CPU and omits replicas from the Deployment', () => {
    const { one } = synthPhotoView(environment('dev', { app: { autoscaling: { minReplicas: 3, maxReplicas: 6, cpuUtilizationPercent: 60 } } }));
    const hpa = one('HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({
      minReplicas: 3,
      maxReplicas: 6,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'photo-view' },
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
    });
    expect(one('Deployment').spec).not.toHaveProperty('replicas');
  });

  it('adds a memory metric when configured', () => {
    const { one } = synthPhotoView(environment('dev', { app: { autoscaling: { minReplicas: 2, maxReplicas: 4, memoryUtilizationPercent: 75 } } }));
    expect(one('HorizontalPodAutoscaler').spec.metrics[1]).toEqual({
      type: 'Resource',
      resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 75 } },
    });
  });
});

describe('ConfigMap rollouts', () => {
  const configMapName = (settings: Record<string, string>) =>
    synthPhotoView(environment('dev', { app: { settings } })).one('ConfigMap').metadata.name;

  it('a settings change renames the ConfigMap, which rolls the pods; reverting restores the old name', () => {
    const before = configMapName({ LOG_LEVEL: 'debug' });
    const changed = configMapName({ LOG_LEVEL: 'info' });
    expect(changed).not.toBe(before);
    expect(configMapName({ LOG_LEVEL: 'debug' })).toBe(before);
  });
});

describe('Service load balancer exposure is per environment', () => {
  it('dev is public, prod is internal', () => {
    const annotation = (env: string) =>
      synthPhotoView(environment(env)).one('Service', 'photo-view').metadata.annotations!['service.beta.kubernetes.io/azure-load-balancer-internal'];
    expect(annotation('dev')).toBe('false');
    expect(annotation('prod')).toBe('true');
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { validate, type EnvironmentFacts } from '../../policy/engine';
import { RULES } from '../../policy/rules';
import type { EnvironmentConfig } from '../../config';
import { environment } from '../config/fixtures';
import { assignPodSecurity, goodKubernetes, goodTerraform, inputFiles, PROD_FACTS } from './fixtures';

type K = Record<string, any>;
type Change = (k8s: K, tf: K) => void;

/** The date the fixtures are judged on (waivers, the AKS calendar), as `npm run validate --today` gives it. */
const TODAY = '2026-11-23';

/** Configs of the fixture environments, parsed once. */
const configs = new Map<string, EnvironmentConfig>();
const configOf = (name: string) => configs.get(name) ?? configs.set(name, environment(name)).get(name)!;

/** Rule ids a fixture environment breaks; its facts carry the fixture environment's config (ACCESS001 checks its grants). */
function ruleIds(change: Change = () => undefined, facts: EnvironmentFacts = PROD_FACTS, today: string | null = TODAY): string[] {
  const k8s = goodKubernetes();
  const tf = goodTerraform();
  change(k8s, tf);
  const environments = [{ config: configOf(facts.name), ...facts }];
  const report = validate(inputFiles(facts.name, k8s, tf), { environments, cdk8sPlusMinor: 28, today: today ?? undefined });
  return [...new Set(report.findings.map((f) => f.ruleId))].sort();
}

const pod = (k: K) => k.deployment.spec.template.spec;
const container = (k: K) => pod(k).containers[0];
const cluster = (t: K) => t.resource.azurerm_kubernetes_cluster.cluster;
const userPool = (t: K) => t.resource.azurerm_kubernetes_cluster_node_pool.apps;
const registry = (t: K) => t.resource.azurerm_container_registry.registry;
const vault = (t: K) => t.resource.azurerm_key_vault.vault;

/**
 * One failing fixture per rule: a single change to the passing fixture. `also` lists rules the same
 * change breaks by nature (e.g. a missing tag on a taggable resource).
 */
const FAILING: Record<string, { change: Change; also?: string[] }> = {
  PSS001: {
    change: (k) => {
      pod(k).securityContext.windowsOptions = { hostProcess: true };
    },
  },
  PSS002: {
    change: (k) => {
      pod(k).hostNetwork = true;
    },
  },
  PSS003: {
    change: (k) => {
      container(k).securityContext.privileged = true;
    },
  },
  PSS004: {
    change: (k) => {
      container(k).securityContext.capabilities.add = ['SYS_ADMIN'];
    },
  },
  PSS005: {
    change: (k) => {
      pod(k).volumes.push({ name: 'host', hostPath: { path: '/var/run' } });
    },
    also: ['PSS011'],
  },
  PSS006: {
    change: (k) => {
      container(k).ports[0].hostPort = 8080;
    },
  },
  PSS007: {
    change: (k) => {
      container(k).securityContext.appArmorProfile = { type: 'Unconfined' };
    },
  },
  PSS008: {
    change: (k) => {
      pod(k).securityContext.seLinuxOptions = { type: 'spc_t' };
    },
  },
  PSS009: {
    change: (k) => {
      container(k).securityContext.procMount = 'Unmasked';
    },
  },
  PSS010: {
    change: (k) => {
      pod(k).securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }];
    },
  },
  PSS011: {
    change: (k) => {
      pod(k).volumes.push({ name: 'nfs', nfs: { server: 'files', path: '/' } });
    },
  },
  PSS012: {
    change: (k) => {
      delete container(k).securityContext.allowPrivilegeEscalation;
    },
  },
  PSS013: {
    change: (k) => {
      container(k).securityContext.runAsNonRoot = false;
    },
  },
  PSS014: {
    change: (k) => {
      container(k).securityContext.runAsUser = 0;
    },
  },
  PSS015: {
    change: (k) => {
      delete pod(k).securityContext.seccompProfile;
    },
  },
  K8S001: {
    change: (k) => {
      delete container(k).resources.limits.memory;
    },
  },
  K8S002: {
    change: (k) => {
      delete container(k).readinessProbe;
    },
  },
  K8S003: {
    change: (k) => {
      k.autoscaler.spec.minReplicas = 1;
    },
  },
  K8S004: {
    change: (k) => {
      delete pod(k).topologySpreadConstraints;
    },
  },
  K8S005: {
    change: (k) => {
      delete k.budget;
    },
  },
  K8S006: {
    change: (k) => {
      k.configMap.metadata.namespace = 'default';
    },
  },
  K8S007: {
    change: (k) => {
      delete pod(k).automountServiceAccountToken;
      k.serviceAccount.automountServiceAccountToken = true;
    },
  },
  K8S008: {
    change: (k) => {
      container(k).image = 'docker.io/library/shop:1.2.3';
    },
  },
  K8S009: {
    change: (k) => {
      container(k).image = 'crshop.azurecr.io/shop:main';
    },
  },
  K8S010: {
    change: (k) => {
      container(k).image = 'crshop.azurecr.io/shop:latest';
    },
  },
  NET001: {
    change: (k) => {
      k.networkPolicy.spec.podSelector = { matchLabels: { app: 'other' } };
    },
  },
  NET002: {
    change: (k) => {
      container(k).env.push({ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'API_TOKEN' } } });
    },
  },
  NET003: {
    change: (k) => {
      k.configMap.data.STORAGE = 'DefaultEndpointsProtocol=https;AccountKey=c2VjcmV0LXZhbHVlLXRoYXQtaXMtbG9uZw==';
    },
  },
  NET004: {
    change: (k) => {
      delete k.service.metadata.annotations;
    },
  },
  AKS001: {
    change: (_k, t) => {
      delete cluster(t).private_cluster_enabled;
    },
  },
  AKS002: {
    change: (_k, t) => {
      cluster(t).local_account_disabled = false;
    },
    // With local accounts the cluster's refresh also lists the admin credentials, which the plan identity may not.
    also: ['ACCESS001'],
  },
  AKS003: {
    change: (_k, t) => {
      cluster(t).azure_active_directory_role_based_access_control.azure_rbac_enabled = false;
    },
  },
  AKS004: {
    change: (_k, t) => {
      delete cluster(t).azure_policy_enabled;
    },
  },
  AKS005: {
    change: (_k, t) => {
      delete cluster(t).network_profile.network_policy;
    },
  },
  AKS006: {
    change: (_k, t) => {
      userPool(t).host_encryption_enabled = false;
    },
  },
  AKS007: {
    change: (_k, t) => {
      cluster(t).default_node_pool.os_disk_type = 'Managed';
    },
  },
  AKS008: {
    change: (_k, t) => {
      cluster(t).automatic_upgrade_channel = 'none';
    },
  },
  AKS009: {
    change: (_k, t) => {
      delete cluster(t).key_vault_secrets_provider;
    },
  },
  AKS010: {
    change: (_k, t) => {
      cluster(t).sku_tier = 'Free';
    },
  },
  AKS011: {
    change: (_k, t) => {
      userPool(t).max_pods = 30;
    },
  },
  AKS012: {
    change: (_k, t) => {
      delete t.resource.azurerm_monitor_data_collection_rule_association;
    },
  },
  AKS013: {
    change: (_k, t) => {
      userPool(t).auto_scaling_enabled = false;
    },
  },
  AKS014: {
    change: (_k, t) => {
      cluster(t).kubernetes_version = '1.32';
    },
  },
  ACR001: {
    change: (_k, t) => {
      registry(t).admin_enabled = true;
    },
  },
  ACR002: {
    change: (_k, t) => {
      delete registry(t).public_network_access_enabled;
    },
  },
  ACR003: {
    change: (_k, t) => {
      delete registry(t).retention_policy_in_days;
    },
  },
  ACR004: {
    change: (_k, t) => {
      registry(t).georeplications[0].zone_redundancy_enabled = false;
    },
  },
  KV001: {
    change: (_k, t) => {
      vault(t).rbac_authorization_enabled = false;
    },
  },
  KV002: {
    change: (_k, t) => {
      vault(t).purge_protection_enabled = false;
    },
  },
  KV003: {
    change: (_k, t) => {
      vault(t).network_acls.default_action = 'Allow';
    },
  },
  AZ001: {
    change: (_k, t) => {
      delete t.resource.azurerm_monitor_diagnostic_setting.diagnostics2;
    },
  },
  AZ002: {
    change: (_k, t) => {
      delete registry(t).tags.costCenter;
    },
  },
  AZ003: {
    change: (_k, t) => {
      t.output.admin_password = { value: '${azurerm_kubernetes_cluster.cluster.kube_admin_config[0].password}' };
    },
  },
  XL001: {
    change: (k) => {
      k.autoscaler.spec.maxReplicas = 200;
    },
  },
  XL002: {
    change: (k) => {
      k.budget.spec = { minAvailable: '100%', selector: k.budget.spec.selector };
    },
  },
  XL003: {
    change: (k) => {
      k.service.spec.selector = { 'app.kubernetes.io/name': 'shop', track: 'blue' };
    },
  },
  XL004: {
    change: (k) => {
      k.budget.apiVersion = 'policy/v1beta1';
    },
  },
  AZP001: {
    change: (k, t) => {
      assignPodSecurity(t, 'deny');
      delete pod(k).securityContext.supplementalGroups;
    },
  },
  ACCESS001: {
    // The deploy identity may assign only the roles of infra/access/assigned-roles.ts; Contributor is not one.
    change: (_k, t) => {
      t.resource.azurerm_role_assignment = {
        kubeletContributor: {
          scope: '${azurerm_kubernetes_cluster.cluster.id}',
          role_definition_name: 'Contributor',
          principal_id: '${azurerm_kubernetes_cluster.cluster.kubelet_identity[0].object_id}',
        },
      };
    },
  },
};

describe('policy rules', () => {
  it('the passing fixture passes every rule in production', () => {
    expect(ruleIds()).toEqual([]);
  });

  it('has a failing fixture for every rule, and every fixture names a rule', () => {
    expect(Object.keys(FAILING).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it.each(Object.entries(FAILING))('%s rejects its failing fixture', (id, { change, also = [] }) => {
    expect(ruleIds(change)).toEqual([id, ...also].sort());
  });

  it('the rule table in docs/guardrails.md lists every rule with its severity, title and documentation link', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../../docs/guardrails.md'), 'utf8');
    expect(RULES.map((r) => r.id)).toContain('AKS014');
    for (const rule of RULES) {
      const row = doc.split('\n').find((line) => line.startsWith(`| [${rule.id}](`));
      expect([rule.id, row]).toEqual([rule.id, expect.stringContaining(`| [${rule.id}](${rule.docs}) | ${rule.severity}`)]);
      expect(row).toContain(` | ${rule.title.replace(/\|/g, '\\|')} | `);
    }
  });

  it('documents every rule: title, why, fix and an https link', () => {
    for (const rule of RULES) {
      expect([rule.id, rule.title.length > 5, rule.why.length > 20, rule.fix.length > 10]).toEqual([rule.id, true, true, true]);
      expect(rule.docs).toMatch(/^https:\/\//);
    }
  });
});

describe('production-only and environment-dependent rules', () => {
  const dev: EnvironmentFacts = { ...PROD_FACTS, name: 'dev' };
  const openEverything: Change = (_k, t) => {
    delete cluster(t).private_cluster_enabled;
    cluster(t).sku_tier = 'Free';
    delete registry(t).public_network_access_enabled;
    registry(t).zone_redundancy_enabled = false;
    vault(t).purge_protection_enabled = false;
    delete vault(t).network_acls;
  };

  it('rejects a public API server, Free tier, open registry and vault, zonal registry and no purge protection in prod', () => {
    expect(ruleIds(openEverything)).toEqual(['ACR002', 'ACR004', 'AKS001', 'AKS010', 'KV002', 'KV003']);
  });

  it('outside production only warns about the public API server', () => {
    const k8s = goodKubernetes();
    const tf = goodTerraform();
    openEverything(k8s, tf);
    const findings = validate(inputFiles('dev', k8s, tf), { environments: [dev] }).findings;
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['AKS001', 'warning']]);
  });

  it('accepts a Key Vault private endpoint instead of a network ACL', () => {
    expect(
      ruleIds((_k, t) => {
        vault(t).public_network_access_enabled = false;
        delete vault(t).network_acls;
        t.resource.azurerm_private_endpoint = {
          kv: { private_service_connection: [{ private_connection_resource_id: '${azurerm_key_vault.vault.id}' }] },
        };
      }),
    ).toEqual([]);
  });

  it('exempts a canary track from the replica minimum, and scaled-to-zero workloads from replicas, spreading and budgets', () => {
    const oneCanary: Change = (k) => {
      delete k.autoscaler;
      k.deployment.spec.replicas = 1;
      k.deployment.metadata.labels = { ...k.deployment.metadata.labels, 'shop.io/track': 'canary' };
    };
    expect(ruleIds(oneCanary)).toEqual([]);
    const oneIdle: Change = (k) => {
      delete k.autoscaler;
      k.deployment.spec.replicas = 1;
      k.deployment.metadata.annotations = { ...k.deployment.metadata.annotations, 'shop.io/traffic': 'idle' };
    };
    expect(ruleIds(oneIdle)).toEqual([]);
    expect(
      ruleIds((k) => {
        delete k.autoscaler;
        k.deployment.spec.replicas = 1;
      }),
    ).toEqual(['K8S003']);
    expect(
      ruleIds((k) => {
        delete k.autoscaler;
        k.deployment.spec.replicas = 0;
        delete k.budget;
        delete pod(k).topologySpreadConstraints;
        k.service.spec.selector = { other: 'x' };
      }),
    ).toEqual(['XL003']);
  });

  it('only allows the Secret variables the config asks for, and judges images against the config registry', () => {
    expect(ruleIds(() => undefined, { ...PROD_FACTS, secretEnvironmentVariables: [] })).toEqual(['NET002']);
    expect(ruleIds(() => undefined, { ...PROD_FACTS, registries: ['crother.azurecr.io'] })).toEqual([]); // the stack's own registry counts too
    expect(
      ruleIds(
        (_k, t) => {
          registry(t).name = 'crother';
        },
        { ...PROD_FACTS, registries: [] },
      ),
    ).toEqual(['K8S008']);
  });

  it('judges the AKS support calendar only on a given date: synth (no date) never refuses a version on it', () => {
    const outOfSupport: Change = (_k, t) => {
      userPool(t).orchestrator_version = '1.34';
    };
    expect(ruleIds(outOfSupport, PROD_FACTS, null)).toEqual([]);
    expect(ruleIds(outOfSupport, PROD_FACTS, '2026-12-05')).toEqual(['AKS014']);
    const k8s = goodKubernetes();
    const tf = goodTerraform();
    outOfSupport(k8s, tf);
    const findings = (today: string) =>
      validate(inputFiles(PROD_FACTS.name, k8s, tf), { environments: [PROD_FACTS], cdk8sPlusMinor: 28, today }).findings.filter(
        (f) => f.ruleId === 'AKS014',
      );
    expect(findings('2026-12-05').map((f) => [f.severity, f.message])).toEqual([
      ['error', expect.stringMatching(/^node pool 'apps' orchestrator_version 1\.34: Kubernetes 1\.34 left AKS support on 2026-11-30/)],
    ]);
    expect(findings(TODAY).map((f) => [f.severity, f.message])).toEqual([
      [
        'warning',
        expect.stringMatching(/^node pool 'apps' orchestrator_version 1\.34: Kubernetes 1\.34 leaves AKS support on 2026-11-30 \(in 7 days\)/),
      ],
    ]);
  });

  it('rejects manifests built for a newer Kubernetes than the cluster runs', () => {
    expect(
      ruleIds(
        (_k, t) => {
          cluster(t).kubernetes_version = '1.27.9';
        },
        PROD_FACTS,
        null,
      ),
    ).toEqual(['XL004']);
  });

  it('accepts images pinned by digest or commit, and Service selectors with matchExpressions-free maps', () => {
    expect(
      ruleIds((k) => {
        container(k).image = `crshop.azurecr.io/shop@sha256:${'a'.repeat(64)}`;
      }),
    ).toEqual([]);
    expect(
      ruleIds((k) => {
        container(k).image = 'crshop.azurecr.io/shop:3f2a9c1';
      }),
    ).toEqual([]);
    expect(
      ruleIds((k) => {
        container(k).image = 'crshop.azurecr.io/shop';
      }),
    ).toEqual(['K8S010']);
  });

  it('checks init and ephemeral containers and the AppArmor annotation too', () => {
    const restricted = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
    expect(
      ruleIds((k) => {
        pod(k).initContainers = [
          {
            name: 'init',
            image: 'crshop.azurecr.io/init:1.0.0',
            resources: container(k).resources,
            securityContext: { allowPrivilegeEscalation: false },
          },
        ];
      }),
    ).toEqual(['PSS004']);
    expect(
      ruleIds((k) => {
        pod(k).ephemeralContainers = [
          { name: 'debug', image: 'crshop.azurecr.io/debug:1.0.0', securityContext: { ...restricted, privileged: true } },
        ];
      }),
    ).toEqual(['PSS003']);
    const annotate =
      (value: string): Change =>
      (k) => {
        k.deployment.spec.template.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/shop': value };
      };
    expect(ruleIds(annotate('unconfined'))).toEqual(['PSS007']);
    expect(ruleIds(annotate('runtime/default'))).toEqual([]);
  });

  it('rejects a load-balanced Service that sends traffic to the colour the config does not make active', () => {
    const blue: Change = (k) => {
      for (const labels of [k.deployment.spec.template.metadata.labels, k.deployment.spec.selector.matchLabels]) labels.track = 'blue';
      k.service.spec.selector = { ...k.service.spec.selector, track: 'blue' };
    };
    expect(ruleIds(blue, { ...PROD_FACTS, activeColour: 'blue' })).toEqual([]);
    expect(ruleIds(blue, { ...PROD_FACTS, activeColour: 'green' })).toEqual(['XL003']);
  });

  it('exempts Windows pods from the Linux-only controls (capabilities, privilege escalation, seccomp), as the standard does', () => {
    const linuxOnly: Change = (k) => {
      delete container(k).securityContext.capabilities;
      delete container(k).securityContext.allowPrivilegeEscalation;
      delete pod(k).securityContext.seccompProfile;
    };
    expect(ruleIds(linuxOnly)).toEqual(['PSS004', 'PSS012', 'PSS015']);
    expect(
      ruleIds((k, t) => {
        linuxOnly(k, t);
        pod(k).os = { name: 'windows' };
      }),
    ).toEqual([]);
  });
});

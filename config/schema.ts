import { z } from 'zod';
import { AZURE_REGIONS, parseVmSize, type VmSize } from './azure-facts';
import { parseImageVersion } from './image';
import { parseCidr, parseIpv4 } from './address-plan';

/*
 * One schema validates every environment file (environments/<name>.yaml). Defaults are the secure,
 * production-minded ones; a file states only what differs. Cross-field rules of the app live in its
 * `superRefine` (the others in validate.ts), so that each message names the field, the value and what is allowed;
 * checks whose message must not echo the value (secrets) are in validate.ts too.
 */

/** An Entra ID / Azure GUID. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A share of pods or a pod count, parsed once here so nothing downstream handles `"25%" | 3`. */
export type PercentOrCount = { readonly percent: number } | { readonly count: number };
/** Namespaces that Kubernetes, AKS or Gatekeeper (Azure Policy) own; an app there could break or be broken by them. */
export const SYSTEM_NAMESPACE = /^(default|kube-.*|gatekeeper-.*)$/;
/** Full resource ID of a subnet in an existing virtual network. */
export const SUBNET_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.Network\/virtualNetworks\/[-\w.]{2,64}\/subnets\/[-\w.]{1,80}$/i;
/** Full resource ID of a virtual network. */
export const VIRTUAL_NETWORK_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.Network\/virtualNetworks\/[-\w.]{2,64}$/i;
/** Resource ID of a public or private Azure DNS zone. */
export const DNS_ZONE_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.Network\/(dnszones|privateDnsZones)\/[a-z0-9.-]+$/i;

/** The schema of an environment file: built on first use, see environmentSchema(). */
function defineEnvironmentSchema() {
  /** A strict object whose error for a typo lists the keys that are allowed. */
  function strict<T extends z.ZodRawShape>(shape: T) {
    return z.strictObject(shape, {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown key(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}; allowed keys: ${Object.keys(shape).join(', ')}`
          : undefined,
    });
  }

  const int = (min: number, max: number) =>
    z
      .number({ error: `must be a whole number from ${min} to ${max}` })
      .int(`must be a whole number from ${min} to ${max}`)
      .min(min, `must be a whole number from ${min} to ${max}`)
      .max(max, `must be a whole number from ${min} to ${max}`);

  /** A list whose entries (by `key`) differ: a repeated one would be a second, identical resource or block, or a crash. */
  const uniqueList = <T extends z.ZodType>(item: T, key: (entry: z.output<T>) => string = String) =>
    z.array(item).superRefine((list, ctx) =>
      list.forEach((entry, i) => {
        if (list.findIndex((other) => key(other) === key(entry)) !== i)
          ctx.addIssue({ code: 'custom', path: [i], message: `'${key(entry)}' is listed twice; list each once` });
      }),
    );

  const region = z.string().refine((r) => r in AZURE_REGIONS, {
    error: `unknown Azure region; allowed: ${Object.keys(AZURE_REGIONS).join(', ')}`,
  });

  // Unquoted, YAML reads 1.30 as the number 1.3: say so instead of "expected string".
  const kubernetesVersion = z
    .string({
      error: (issue) =>
        typeof issue.input === 'number' ? 'must be a quoted version like "1.33" (unquoted, YAML reads 1.30 as the number 1.3)' : undefined,
    })
    .regex(/^1\.\d{1,2}(\.\d{1,3})?$/, {
      error: `malformed Kubernetes version; expected <major>.<minor> or <major>.<minor>.<patch>, e.g. 1.32 or 1.32.4`,
    });

  const duration = z.string().regex(/^\d+(s|m|h)$/, { error: `must be a duration like 10s, 5m or 1h` });
  const uuid = z.string().regex(GUID, {
    error: 'must be a GUID like 00000000-0000-0000-0000-000000000000',
  });
  const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { error: 'must be a DNS-1123 label' });
  const percentOrCount = z
    .union([z.string().regex(/^(100|[1-9]?\d)%$/), z.number().int().min(0)], {
      error: 'must be a percentage like "25%" or a whole number',
    })
    .transform((v): PercentOrCount => (typeof v === 'number' ? { count: v } : { percent: Number(v.slice(0, -1)) }));
  const isZero = (v: PercentOrCount) => ('percent' in v ? v.percent : v.count) === 0;

  /** A VM size name in the file; the parsed size (family, vCPUs, memory) in the config. */
  const vmSize = z.string().transform((value, ctx): VmSize => {
    const parsed = parseVmSize(value);
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }
    return parsed;
  });

  const nodePool = strict({
    /** VM size of every node, e.g. Standard_D4ds_v5. */
    vmSize,
    /** Cluster autoscaler lower bound. */
    minCount: int(1, 1000),
    /** Cluster autoscaler upper bound. */
    maxCount: int(1, 1000),
    /** Nodes at creation; the autoscaler owns the count afterwards. @default minCount */
    nodeCount: int(1, 1000).optional(),
    /** Availability zones to spread nodes over. @default all three where the region has zones */
    zones: uniqueList(z.enum(['1', '2', '3']))
      .min(1)
      .optional(),
    /** Pods per node (Azure CNI overlay allows up to 250). */
    maxPods: int(10, 250).default(110),
    /** Ephemeral OS disks are faster and free, and reimage quicker on node-image upgrades. */
    osDiskType: z.enum(['Ephemeral', 'Managed']).default('Ephemeral'),
    osDiskSizeGb: int(30, 2048).default(64),
    /** Extra nodes added during upgrades. */
    maxSurge: z
      .string()
      .regex(/^([1-9]\d?%|100%|[1-9]\d*)$/, { error: 'must be a percentage like "33%" or a node count' })
      .default('33%'),
    /** Kubernetes version of the pool; never ahead of the control plane. @default the control plane's */
    orchestratorVersion: kubernetesVersion.optional(),
  });

  const maintenance = strict({
    dayOfWeek: z.enum(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']),
    /** Start, 24-hour clock. */
    startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time HH:MM from 00:00 to 23:59' }),
    /** AKS requires at least 4 hours. */
    durationHours: int(4, 24).default(4),
    utcOffset: z
      .string()
      .regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, { error: 'must be an offset like +00:00 or -05:00' })
      .default('+00:00'),
  });

  const alertRule = (threshold: z.ZodNumber, severity: number) => strict({ threshold, severity: int(0, 4).default(severity) });

  const kubernetes = strict({
    version: kubernetesVersion,
    skuTier: z.enum(['Free', 'Standard', 'Premium']).default('Standard'),
    /** Control-plane and node-version upgrades. */
    automaticUpgradeChannel: z.enum(['patch', 'stable', 'rapid', 'node-image', 'none']).default('patch'),
    /** Entra ID groups that get cluster-admin via Azure RBAC. */
    adminGroupObjectIds: z.array(uuid).min(1, 'needs at least one Entra ID group object ID'),
    /**
     * Network policy engine. Only Cilium: Azure CNI powered by Cilium (overlay) is the data plane, and
     * changing `network_data_plane` or `network_policy` later replaces the cluster; Azure Network Policy
     * Manager is being retired. @see https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium
     */
    networkPolicy: z
      .literal('cilium', {
        error:
          "must be 'cilium': Azure CNI powered by Cilium is the data plane ('azure' Network Policy Manager is being retired, and changing the engine later replaces the cluster)",
      })
      .default('cilium'),
    systemPool: nodePool,
    userPool: nodePool.extend({
      name: z
        .string()
        .regex(/^[a-z][a-z0-9]{0,11}$/, { error: 'must be 1-12 lowercase letters or digits, starting with a letter' })
        .default('apps'),
    }),
    autoscalerProfile: strict({
      expander: z.enum(['least-waste', 'most-pods', 'priority', 'random']).default('least-waste'),
      scanInterval: duration.default('10s'),
      scaleDownDelayAfterAdd: duration.default('10m'),
      scaleDownUnneeded: duration.default('10m'),
      scaleDownUtilizationThreshold: z.number().min(0.01).max(1, 'must be a fraction from 0.01 to 1').default(0.5),
    }).prefault({}),
    maintenance,
  });

  /** An immutable image tag, optionally pinned by digest: `1.4.2` or `1.4.2@sha256:<64 hex>`. */
  const imageTag = z.string().superRefine((value, ctx) => {
    const parsed = parseImageVersion(value);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  });

  /** A field that synth no longer reads; setting it is an error that names its replacement. */
  const removed = (message: string) =>
    z
      .unknown()
      .refine((v) => v === undefined, { error: message })
      .optional();
  const CLOCK_FREE = 'removed: synth no longer reads the clock (the same commit must give the same plan at any time)';

  const releaseStrategy = z.discriminatedUnion(
    'strategy',
    [
      strict({ strategy: z.literal('rolling'), tag: imageTag }),
      strict({
        strategy: z.literal('blueGreen'),
        /** Colour the main Service sends traffic to; the other one is the idle colour (preview and rollback target). */
        active: z.enum(['blue', 'green']),
        blueTag: imageTag,
        greenTag: imageTag,
        /**
         * Scales the idle colour down, as its own reviewed change. Without it the idle colour keeps the
         * baseline (HPA minimum, or `replicas`), so a rollback is instant.
         */
        scaledDown: strict({
          /** Must be the idle colour: the active one serves traffic. */
          colour: z.enum(['blue', 'green']),
          /** Pods the idle colour keeps (with autoscaling at least 1: an HPA cannot hold 0). */
          replicas: int(0, 1000),
        }).optional(),
        switchedAt: removed(`${CLOCK_FREE}; scale the idle colour down with scaledDown: { colour, replicas } in a later change`),
        scaleDownDelaySeconds: removed(`${CLOCK_FREE}; scale the idle colour down with scaledDown: { colour, replicas } in a later change`),
      }),
      strict({
        strategy: z.literal('canary'),
        stableTag: imageTag,
        canaryTag: imageTag,
        /** Share of pods (and so of traffic) on the canary; 0 rolls the canary back. */
        canaryPercent: int(0, 100),
      }),
    ],
    { error: "release.strategy must be one of 'rolling', 'blueGreen', 'canary'" },
  );

  /** How a Key Vault secret reaches the app. */
  const SECRET_MODES = ['file', 'environment'] as const;

  const app = strict({
    namespace: dnsLabel
      .refine((ns) => !SYSTEM_NAMESPACE.test(ns), {
        error: 'is a system namespace; allowed: any DNS-1123 label except default, kube-* and gatekeeper-*',
      })
      .default('photo-view'),
    serviceAccountName: dnsLabel.default('photo-view'),
    /** Repository in the environment's registry. */
    imageRepository: z
      .string()
      .regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, { error: 'must be a lowercase repository path' })
      .default('photo-view'),
    release: releaseStrategy,
    /** Pods when no autoscaler is configured (10, as in the original walkthrough). */
    replicas: int(1, 1000).default(10),
    maxSurge: percentOrCount.prefault('25%'),
    maxUnavailable: percentOrCount.prefault('25%'),
    // Port, probe paths, UID and mount paths are not config: the image defines them, in workloads/photo-view/contract.ts.
    resources: strict({
      cpuRequestMillis: int(10, 64000).default(250),
      cpuLimitMillis: int(10, 64000).default(500),
      memoryRequestMiB: int(16, 262144).default(256),
      memoryLimitMiB: int(16, 262144).default(512),
    }).prefault({}),
    autoscaling: strict({
      minReplicas: int(2, 1000),
      maxReplicas: int(2, 1000),
      cpuUtilizationPercent: int(10, 100).default(70),
      memoryUtilizationPercent: int(10, 100).optional(),
    }).optional(),
    /** Pods that may be down at once for voluntary disruptions (node drains). */
    maxUnavailableDuringDisruption: percentOrCount.prefault(1),
    /** The Service gets an internal Azure load balancer (no public IP). */
    internalLoadBalancer: z.boolean().default(true),
    /** Non-secret settings, mounted as a file and set as environment variables. */
    settings: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/, { error: 'setting names must be UPPER_SNAKE_CASE' }), z.string()).default({}),
    /**
     * Secrets the app reads; each value lives in Key Vault under the secret name derived from it
     * (DB_PASSWORD -> db-password) and is mounted as the file /mnt/secrets/DB_PASSWORD.
     */
    secretNames: uniqueList(z.string().regex(/^[A-Z][A-Z0-9_]*$/, { error: 'secret names must be UPPER_SNAKE_CASE' })).default([]),
    /**
     * Per secret, how it reaches the app: `file` (default) only, or `environment`: also an environment
     * variable, fed from a Kubernetes Secret the CSI driver syncs, which puts the value in etcd.
     */
    secretModes: z
      .record(z.string(), z.enum(SECRET_MODES, { error: `secret mode must be one of ${SECRET_MODES.map((m) => `'${m}'`).join(', ')}` }))
      .default({}),
    /** How long `cdktf deploy` waits for the Deployment to become available before failing. */
    rolloutTimeoutMinutes: int(1, 120).default(10),
    containerPort: removed('removed: the port is part of the photo-view app contract (workloads/photo-view/contract.ts), not of an environment'),
    healthPath: removed('removed: the probe paths are part of the photo-view app contract (workloads/photo-view/contract.ts), not of an environment'),
  })
    .superRefine((app, ctx) => {
      const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
      if (isZero(app.maxSurge) && isZero(app.maxUnavailable)) {
        issue(
          ['maxSurge'],
          'maxSurge and maxUnavailable are both 0, so a rolling update could neither add nor remove a pod; set one of them above 0 (default 25%)',
        );
      }
      for (const name of Object.keys(app.secretModes)) {
        if (!app.secretNames.includes(name))
          issue(['secretModes', name], `'${name}' is not in secretNames (${app.secretNames.join(', ') || 'empty'}); add it there or remove its mode`);
      }
      const release = app.release;
      if (release.strategy === 'blueGreen' && release.scaledDown) {
        if (release.scaledDown.colour === release.active) {
          issue(
            ['release', 'scaledDown', 'colour'],
            `'${release.active}' is the active colour the Service sends traffic to; scaling it down would take away the pods serving ` +
              `users. Scale down the idle colour ('${release.active === 'blue' ? 'green' : 'blue'}'), or flip 'active' first and scale down in a later change`,
          );
        }
        if (app.autoscaling && release.scaledDown.replicas === 0) {
          issue(
            ['release', 'scaledDown', 'replicas'],
            'with autoscaling the idle colour is held by an HPA, which cannot hold 0 pods (minReplicas >= 1); use 1, or remove autoscaling',
          );
        }
      }
    })
    .transform(({ release, ...app }) => ({
      ...app,
      // The idle colour's pod count, resolved here so the chart and the WebApp get a number, never a default.
      release:
        release.strategy === 'blueGreen'
          ? { ...release, idleReplicas: release.scaledDown?.replicas ?? app.autoscaling?.minReplicas ?? app.replicas }
          : release,
    }));

  // ---- Network, encryption and add-ons -----------------------------------------------------------

  const cidr = z.string().superRefine((value, ctx) => {
    const parsed = parseCidr(value);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  });
  const ipv4 = z.string().superRefine((value, ctx) => {
    const parsed = parseIpv4(value);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  });
  const subnetId = z.string().regex(SUBNET_ID, {
    error:
      'must be a subnet resource ID like /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>',
  });

  const privateDnsZoneId = z
    .string()
    .regex(/^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.Network\/privateDnsZones\/[a-z0-9.-]+$/i, {
      error:
        'must be a private DNS zone resource ID like /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net',
    });

  /**
   * Where the nodes live. `aksManaged`: AKS creates and owns a VNet (no private endpoints, no VNet
   * integration). `create`: the platform stack creates a VNet with one subnet per role and NSGs.
   * `existing`: bring your own subnets (hub/spoke, firewall) by resource ID.
   */
  const virtualNetwork = z.discriminatedUnion(
    'mode',
    [
      strict({ mode: z.literal('aksManaged') }),
      strict({
        mode: z.literal('create'),
        /** Address space of the VNet; every subnet lies inside it. */
        addressSpace: cidr,
        subnets: strict({
          /** System node pool. With overlay, nodes (not pods) take addresses here. */
          systemNodes: cidr,
          /** User node pool. */
          userNodes: cidr,
          /** Delegated to AKS for API server VNet integration; at least /28. */
          apiServer: cidr,
          /** Private endpoints of Key Vault and the registry. */
          privateEndpoints: cidr,
          /** Frontend IPs of internal load balancers (the app's Service). */
          internalLoadBalancers: cidr,
        }),
      }),
      strict({
        mode: z.literal('existing'),
        /** Address space of the existing VNet, so the service and pod CIDRs can be checked against it. */
        addressSpace: z.array(cidr).min(1, 'needs the VNet address space (at least one CIDR)'),
        subnets: strict({
          systemNodes: subnetId,
          userNodes: subnetId,
          /** Delegated to Microsoft.ContainerService/managedClusters; needed for VNet integration. */
          apiServer: subnetId.optional(),
          /** Needed for private endpoints. */
          privateEndpoints: subnetId.optional(),
          /** Where internal load balancers get their IPs; in the nodes' VNet. @default the user node subnet */
          internalLoadBalancers: subnetId.optional(),
        }),
        /**
         * Central private DNS zones (usually in the hub, already linked to your VNets) for the private
         * endpoints' records. @default zones created in the environment's resource group, linked to the VNet
         */
        privateDnsZones: strict({
          /** privatelink.vaultcore.azure.net */
          keyVault: privateDnsZoneId,
          /** privatelink.azurecr.io */
          registry: privateDnsZoneId,
        }).optional(),
      }),
    ],
    { error: "network.virtualNetwork.mode must be one of 'aksManaged', 'create', 'existing'" },
  );

  const network = strict({
    virtualNetwork: virtualNetwork.default({ mode: 'aksManaged' }),
    /** Pod addresses (Azure CNI overlay): a /24 per node, never routed outside the cluster. */
    podCidr: cidr.default('10.244.0.0/16'),
    /** Kubernetes Service addresses; must not overlap the VNet or anything it reaches. */
    serviceCidr: cidr.default('10.0.0.0/16'),
    /** Cluster DNS (CoreDNS) address, inside serviceCidr. */
    dnsServiceIp: ipv4.default('10.0.0.10'),
    /**
     * How nodes reach the internet: the Standard load balancer's outbound rules, an AKS-managed NAT
     * gateway (AKS-managed VNet only), a NAT gateway the platform stack attaches to the node subnets
     * (`create` VNet), or your own route table to a firewall (`existing` subnets only).
     * @see https://learn.microsoft.com/azure/aks/egress-outboundtype
     */
    outboundType: z.enum(['loadBalancer', 'managedNATGateway', 'userAssignedNATGateway', 'userDefinedRouting']).default('loadBalancer'),
    apiServer: strict({
      /**
       * `public`: reachable from anywhere (Entra ID still required). `authorizedRanges`: only from
       * `authorizedIpRanges`. `private`: a private cluster, no public endpoint.
       */
      access: z.enum(['public', 'authorizedRanges', 'private']).default('public'),
      /** Source ranges allowed to reach a public API server (your offices, CI runners' egress). */
      authorizedIpRanges: z.array(cidr).default([]),
      /** Project the API server into `subnets.apiServer` of the VNet (no private endpoint, no tunnel). */
      vnetIntegration: z.boolean().default(false),
    }).prefault({}),
    /** Private endpoints (and private DNS zones linked to the VNet) for Key Vault and the registry. */
    privateEndpoints: z.boolean().default(false),
    /**
     * VNets (resource IDs) CI runners and operators work from, peered with the environment's VNet: the
     * private DNS zones the platform creates are linked to each, so they resolve the private addresses.
     * A private environment (private API server or private endpoints) must name at least one.
     */
    runnerNetworks: uniqueList(
      z
        .string()
        .regex(
          VIRTUAL_NETWORK_ID,
          'must be a virtual network resource ID like /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>',
        ),
      (id) => id.toLowerCase(),
    ).default([]),
    /** Key Vault and registry reachable from public networks at all (then only from `trustedIpRanges`). */
    publicNetworkAccess: z.boolean().default(true),
    /** Public source ranges Key Vault and the registry accept when their firewall denies by default (CI egress). */
    trustedIpRanges: z.array(cidr).default([]),
  });

  const security = strict({
    /**
     * Encrypt node temp disks, caches and OS/data disk caches on the VM host. Needs the
     * Microsoft.Compute/EncryptionAtHost feature registered in the subscription.
     * @see https://learn.microsoft.com/azure/aks/enable-host-encryption
     */
    hostEncryption: z.boolean().default(true),
    /** Microsoft Defender for Containers sensor on the cluster (paid, per vCore). */
    defenderForContainers: z.boolean().default(false),
    /** Azure Policy's Kubernetes pod security restricted initiative: `audit` reports, `deny` blocks. */
    podSecurityPolicy: z.enum(['audit', 'deny', 'off']).default('deny'),
  });

  const isolation = strict({
    /**
     * A ResourceQuota in the app namespace sized from the app (HPA maximum or replicas, per release
     * track, plus surge, times requests and limits), and a LimitRange giving containers the app's
     * requests and limits by default.
     */
    resourceQuota: z.boolean().default(true),
    /**
     * The app team's Entra ID group: Azure RBAC for Kubernetes scoped to the app namespace only
     * ("Azure Kubernetes Service RBAC Reader" or "... Writer"), never cluster-wide.
     * @default no team access (only kubernetes.adminGroupObjectIds)
     */
    appTeam: strict({
      groupObjectId: uuid,
      access: z.enum(['read', 'write']).default('read'),
    }).optional(),
  });

  const applicationInsights = strict({
    /**
     * Workspace-based Application Insights on the environment's Log Analytics workspace, Entra ID
     * ingestion only; the app gets its connection string as the setting APPLICATIONINSIGHTS_CONNECTION_STRING.
     */
    enabled: z.boolean().default(false),
  });

  /**
   * HTTPS ingress through the AKS application routing add-on (managed NGINX) in front of the app's
   * Service, with the TLS certificate read from the environment's Key Vault. The controller's load
   * balancer is internal when app.internalLoadBalancer is, and the app's Service becomes ClusterIP.
   * @see https://learn.microsoft.com/azure/aks/app-routing-dns-ssl
   */
  const ingress = strict({
    /** Host name clients use, e.g. photos.example.com. */
    host: z
      .string()
      .regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { error: 'must be a lowercase DNS name like photos.example.com' }),
    /** Name of the certificate in the environment's Key Vault (import or create it there first). */
    certificateName: z.string().regex(/^[0-9A-Za-z-]{1,127}$/, { error: 'must be a Key Vault object name: 1-127 letters, digits and hyphens' }),
    /** Azure DNS zone the add-on writes the host's record into. @default none (manage DNS yourself) */
    dnsZoneId: z
      .string()
      .regex(DNS_ZONE_ID, {
        error: 'must be a DNS zone resource ID like /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/dnszones/example.com',
      })
      .optional(),
  });

  const managedPrometheus = strict({
    /** Azure Monitor managed Prometheus: workspace, collection rules, recording and alert rules. */
    enabled: z.boolean().default(true),
    /** Azure Managed Grafana on top, with Grafana Admin for kubernetes.adminGroupObjectIds. */
    grafana: z.boolean().default(false),
  });

  /**
   * A decision to accept one policy finding (`npm run validate`) for a while. Checked by the policy:
   * an expired waiver fails, one that matches nothing warns.
   */
  const waiver = strict({
    /** Rule id, e.g. AKS001 (docs/guardrails.md). */
    rule: z.string().regex(/^[A-Z][A-Z0-9]*\d{3}$/, { error: 'must be a rule id like AKS001 or K8S003 (see docs/guardrails.md)' }),
    /** Object id as findings show it: `Kind/namespace/name` or a Terraform address; `*` matches any characters. */
    object: z.string().min(1, 'must name the object, e.g. Service/photo-view/photo-view or azurerm_kubernetes_cluster.*'),
    /** Why the finding is accepted, and what ends it. */
    reason: z.string().min(20, 'must say why the finding is accepted and what ends it (at least 20 characters)'),
    /** Who decided and answers for it (a team or person). */
    owner: z.string().min(1, 'must name who answers for the decision'),
    /** Last day the waiver holds (YYYY-MM-DD); after it, validate fails. */
    expires: z.iso.date({ error: 'must be a date YYYY-MM-DD' }),
  });

  /**
   * How the workflows deliver the environment (deploy.yml, image.yml, drift.yml read it through
   * `npm run environments`); delivery config only, synth never reads it. Checked across files by
   * config/deploy-order.ts.
   */
  const deploy = strict({
    /**
     * Environments (file names without .yaml) that must deploy successfully before this one, in the same
     * run of deploy.yml. @default [] (the first stage)
     */
    after: z
      .array(
        z.string().regex(/^[a-z][a-z0-9]{1,11}$/, {
          error: 'must be an environment name (a file name in the environments folder without .yaml: 2-12 lowercase letters or digits)',
        }),
      )
      .default([]),
    /**
     * `runs-on` label of the environment's deploy, image and drift jobs. An environment with a private API
     * server or private endpoints needs the label of a self-hosted runner in (or peered with) its VNet.
     * @default ubuntu-latest
     */
    runner: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
        error: 'must be one runner label: 1-64 letters, digits, dots, underscores or hyphens, starting with a letter or digit',
      })
      .default('ubuntu-latest'),
  });

  return strict({
    /** Azure subscription the environment lives in (not a secret). */
    subscriptionId: uuid,
    /** Entra ID tenant, for Key Vault and Entra ID integration. */
    tenantId: uuid,
    location: region,
    /** Short workload name used in every resource name. */
    workload: z
      .string()
      .regex(/^[a-z][a-z0-9]{1,9}$/, { error: 'must be 2-10 lowercase letters or digits, starting with a letter' })
      .default('photoview'),
    tags: z.record(z.string(), z.string()).default({}),
    state: strict({
      resourceGroupName: z.string().min(1),
      storageAccountName: z.string().regex(/^[a-z0-9]{3,24}$/, { error: 'must be 3-24 lowercase letters or digits' }),
      /** Blob container of this environment's state; each environment's deploy identity may write only its own. @default tfstate-<environment> */
      containerName: z
        .string()
        .regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, { error: 'must be 3-63 lowercase letters, digits or single hyphens' })
        .optional(),
      /**
       * Subscription that holds the state account (bootstrap stack only: the backend reaches the account by
       * name). Every environment naming the account must agree. @default the environment's subscriptionId
       */
      subscriptionId: uuid.optional(),
      /** Region of the state account (bootstrap stack only). @default the environment's location */
      location: region.optional(),
    }),
    /** The GitHub repository whose workflows deploy and plan this environment (bootstrap stack only). */
    github: strict({
      /** `owner/repo`, exactly as GitHub spells it: the federated credentials match it case-sensitively. */
      repository: z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/, {
        error: 'must be owner/repo, e.g. contoso/aks-environments',
      }),
      /**
       * Let pull requests plan this environment with its plan identity. The pull request's own code runs
       * in that job, so whoever can push a branch gets the plan identity's read rights. @default false
       */
      pullRequestPlans: z.boolean().default(false),
    }).optional(),
    kubernetes,
    registry: strict({
      sku: z.enum(['Basic', 'Standard', 'Premium']).default('Standard'),
      /**
       * Spread the registry over availability zones (Premium only). Fixed at creation: changing it replaces
       * the registry and its images, so a registry moved to Premium later should set `false`.
       * @default true for Premium in a region with zones
       */
      zoneRedundancy: z.boolean().optional(),
      /** Extra regions the registry replicates to (Premium only). */
      geoReplicationLocations: uniqueList(region).default([]),
      /** Days untagged manifests are kept (Premium only). */
      untaggedRetentionDays: int(0, 365).optional(),
    }).prefault({}),
    keyVault: strict({
      sku: z.enum(['standard', 'premium']).default('standard'),
      purgeProtection: z.boolean().default(true),
      softDeleteRetentionDays: int(7, 90).default(90),
    }).prefault({}),
    monitoring: strict({
      retentionInDays: int(30, 730).default(30),
      actionGroup: strict({
        shortName: z.string().regex(/^[A-Za-z0-9-]{1,12}$/, { error: 'must be 1-12 letters, digits or hyphens' }),
        emailReceivers: uniqueList(
          strict({ name: z.string().min(1), email: z.email({ error: 'must be an e-mail address' }) }),
          (receiver) => receiver.name,
        ).min(1, 'needs at least one receiver'),
      }),
      alerts: strict({
        nodeCpuPercent: alertRule(int(1, 100), 2).prefault({ threshold: 80 }),
        nodeMemoryPercent: alertRule(int(1, 100), 2).prefault({ threshold: 80 }),
        podsNotReady: alertRule(int(1, 10000), 2).prefault({ threshold: 1 }),
        podRestarts: alertRule(int(1, 10000), 3).prefault({ threshold: 5 }),
        autoscalerUnableToScale: alertRule(int(1, 10000), 2).prefault({ threshold: 1 }),
        failedPods: alertRule(int(1, 10000), 2).prefault({ threshold: 1 }),
      }).prefault({}),
    }),
    app,
    network: network.prefault({}),
    security: security.prefault({}),
    managedPrometheus: managedPrometheus.prefault({}),
    isolation: isolation.prefault({}),
    applicationInsights: applicationInsights.prefault({}),
    /** @default no ingress: the app's LoadBalancer Service is the entry point */
    ingress: ingress.optional(),
    /** Accepted policy findings, each with a reason, an owner and an expiry date. @default none */
    waivers: z.array(waiver).default([]),
    /** Deploy order and runner (delivery only). @default first stage, ubuntu-latest */
    deploy: deploy.prefault({}),
  });
}

let built: ReturnType<typeof defineEnvironmentSchema> | undefined;

/** The schema every environment file is checked against, built on first use. */
export function environmentSchema(): ReturnType<typeof defineEnvironmentSchema> {
  return (built ??= defineEnvironmentSchema());
}

export type EnvironmentInput = z.input<ReturnType<typeof defineEnvironmentSchema>>;
/** What the schema makes of a file, before the environment's name is added. */
export type SchemaOutput = z.output<ReturnType<typeof defineEnvironmentSchema>>;

/** A validated environment: the single source of truth for infra and workloads. */
export interface EnvironmentConfig extends SchemaOutput {
  /** Environment name, from the file name (dev.yaml is 'dev'). */
  readonly name: string;
}

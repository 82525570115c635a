import type { EnvironmentInput, Rule, Violation } from '../model';
import { allContainers, arrayAt, containerLabel, field, objectAt, podOwners, type Container, type ContainerKind, type PodOwner } from '../kubernetes';

/*
 * Pod Security Standards, profile `restricted` (which includes `baseline`), as of Kubernetes 1.32:
 * every control over every container, init container and ephemeral container.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
const PSS_DOCS = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

type Json = Record<string, unknown>;
type ContainerCheck = (container: Container, kind: ContainerKind, owner: PodOwner) => string | undefined;
type PodCheck = (owner: PodOwner) => string[];

/** A rule over pods: pod-level problems and per-container problems, one violation per pod object. */
function podRule(rule: Omit<Rule, 'check' | 'layer' | 'severity' | 'docs'> & { pod?: PodCheck; container?: ContainerCheck }): Rule {
  return {
    layer: 'kubernetes',
    severity: 'error',
    docs: PSS_DOCS,
    ...rule,
    check: (env: EnvironmentInput) =>
      podOwners(env.kubernetes).flatMap((owner): Violation[] => {
        const problems = [
          ...(rule.pod?.(owner) ?? []),
          ...allContainers(owner.spec).flatMap(({ kind, container }) => {
            const problem = rule.container?.(container, kind, owner);
            return problem ? [`${containerLabel(kind, container)}: ${problem}`] : [];
          }),
        ];
        return problems.map((message) => ({ object: owner.object, message }));
      }),
  };
}

const securityContext = (c: Container): Json => objectAt(c, 'securityContext');
const podSecurityContext = (owner: PodOwner): Json => objectAt(owner.spec, 'securityContext');
const isWindows = (owner: PodOwner) => field(owner.spec, 'os', 'name') === 'windows';

/** Sysctls PSS baseline allows (namespaced and isolated by the kubelet). */
export const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
];

/** Volume types PSS restricted allows. */
export const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

function seLinuxProblem(where: string, options: Json): string | undefined {
  if (options.type !== undefined && !SELINUX_TYPES.includes(String(options.type)))
    return `${where}seLinuxOptions.type '${options.type}' is not allowed (allowed: ${SELINUX_TYPES.filter(Boolean).join(', ')})`;
  if (options.user !== undefined || options.role !== undefined) return `${where}seLinuxOptions sets user or role; leave both unset`;
  return undefined;
}

function appArmorProblem(where: string, profile: Json): string | undefined {
  return profile.type !== undefined && !['RuntimeDefault', 'Localhost'].includes(String(profile.type))
    ? `${where}appArmorProfile.type is '${profile.type}'; use RuntimeDefault or Localhost`
    : undefined;
}

function seccompType(context: Json): string | undefined {
  const type = field(context, 'seccompProfile', 'type');
  return typeof type === 'string' ? type : undefined;
}

export const POD_SECURITY_RULES: Rule[] = [
  podRule({
    id: 'PSS001',
    title: 'No Windows HostProcess containers',
    why: 'A HostProcess container has full access to the Windows node.',
    fix: 'Remove windowsOptions.hostProcess (or set it to false) on the pod and every container.',
    equivalents: { pss: 'baseline: HostProcess' },
    pod: (o) =>
      field(podSecurityContext(o), 'windowsOptions', 'hostProcess') === true ? ['securityContext.windowsOptions.hostProcess is true'] : [],
    container: (c) =>
      field(securityContext(c), 'windowsOptions', 'hostProcess') === true ? 'securityContext.windowsOptions.hostProcess is true' : undefined,
  }),
  podRule({
    id: 'PSS002',
    title: 'No host namespaces',
    why: "Sharing the node's network, PID or IPC namespace lets the pod see and reach everything on the node.",
    fix: 'Remove hostNetwork, hostPID and hostIPC (or set them to false).',
    equivalents: { pss: 'baseline: Host Namespaces', checkov: 'CKV_K8S_17, CKV_K8S_18, CKV_K8S_19', kubeLinter: 'host-network, host-pid, host-ipc' },
    pod: (o) => ['hostNetwork', 'hostPID', 'hostIPC'].filter((k) => o.spec[k] === true).map((k) => `${k} is true`),
  }),
  podRule({
    id: 'PSS003',
    title: 'No privileged containers',
    why: 'A privileged container disables almost every isolation mechanism and is root on the node.',
    fix: 'Remove securityContext.privileged (or set it to false).',
    equivalents: {
      pss: 'baseline: Privileged Containers',
      checkov: 'CKV_K8S_16',
      kubeLinter: 'privileged-container',
      kubeScore: 'container-security-context-privileged',
    },
    container: (c) => (securityContext(c).privileged === true ? 'securityContext.privileged is true' : undefined),
  }),
  podRule({
    id: 'PSS004',
    title: 'Capabilities: drop ALL, add at most NET_BIND_SERVICE',
    why: 'Linux capabilities are slices of root; the restricted profile keeps none but binding low ports.',
    fix: 'Set securityContext.capabilities.drop: [ALL] and add nothing but NET_BIND_SERVICE.',
    equivalents: {
      pss: 'baseline: Capabilities; restricted: Capabilities',
      checkov: 'CKV_K8S_28, CKV_K8S_37',
      kubeLinter: 'drop-net-raw-capability',
    },
    container: (c, _kind, owner) => {
      const caps = objectAt(securityContext(c), 'capabilities');
      const drop = Array.isArray(caps.drop) ? caps.drop.map(String) : [];
      const added = (Array.isArray(caps.add) ? caps.add.map(String) : []).filter((cap) => cap !== 'NET_BIND_SERVICE');
      if (added.length > 0) return `capabilities.add has ${added.join(', ')}; only NET_BIND_SERVICE may be added`;
      // Windows pods have no Linux capabilities to drop (PSS exempts pods with spec.os.name: windows).
      if (!drop.includes('ALL') && !isWindows(owner)) return `capabilities.drop does not include ALL (drops: ${drop.join(', ') || 'nothing'})`;
      return undefined;
    },
  }),
  podRule({
    id: 'PSS005',
    title: 'No hostPath volumes',
    why: "A hostPath volume reads or writes the node's file system.",
    fix: 'Use an emptyDir, configMap, secret, CSI or persistentVolumeClaim volume instead.',
    equivalents: { pss: 'baseline: HostPath Volumes', kubeLinter: 'sensitive-host-mounts' },
    pod: (o) =>
      arrayAt(o.spec, 'volumes')
        .filter((v) => v.hostPath !== undefined)
        .map((v) => `volume '${v.name}' is a hostPath volume`),
  }),
  podRule({
    id: 'PSS006',
    title: 'No host ports',
    why: "A host port binds the node's interface, bypassing Services and network policy, and limits scheduling.",
    fix: 'Remove hostPort; expose the port through a Service.',
    equivalents: { pss: 'baseline: Host Ports', checkov: 'CKV_K8S_26' },
    container: (c) => {
      const ports = arrayAt(c, 'ports')
        .filter((p) => typeof p.hostPort === 'number' && p.hostPort !== 0)
        .map((p) => p.hostPort);
      return ports.length > 0 ? `hostPort ${ports.join(', ')}` : undefined;
    },
  }),
  podRule({
    id: 'PSS007',
    title: 'AppArmor: no unconfined profile',
    why: 'An unconfined AppArmor profile removes a mandatory access control layer.',
    fix: 'Leave appArmorProfile unset or use RuntimeDefault or Localhost.',
    equivalents: { pss: 'baseline: AppArmor' },
    pod: (o) =>
      [
        appArmorProblem('securityContext.', objectAt(podSecurityContext(o), 'appArmorProfile')),
        ...Object.entries(objectAt(o.metadata, 'annotations'))
          .map(([k, v]): [string, string] => [k, String(v)])
          .filter(([k, v]) => k.startsWith(APPARMOR_ANNOTATION) && v !== 'runtime/default' && !v.startsWith('localhost/'))
          .map(([k, v]) => `annotation ${k} is '${v}'; use runtime/default or localhost/<profile>`),
      ].filter((p): p is string => p !== undefined),
    container: (c) => appArmorProblem('securityContext.', objectAt(securityContext(c), 'appArmorProfile')),
  }),
  podRule({
    id: 'PSS008',
    title: 'SELinux: only container types, no custom user or role',
    why: 'A custom SELinux type, user or role can escape the container policy.',
    fix: 'Leave seLinuxOptions unset, or set only type to container_t, container_init_t, container_kvm_t or container_engine_t.',
    equivalents: { pss: 'baseline: SELinux' },
    pod: (o) => [seLinuxProblem('securityContext.', objectAt(podSecurityContext(o), 'seLinuxOptions'))].filter((p): p is string => p !== undefined),
    container: (c) => seLinuxProblem('securityContext.', objectAt(securityContext(c), 'seLinuxOptions')),
  }),
  podRule({
    id: 'PSS009',
    title: '/proc mount: Default only',
    why: 'An unmasked /proc exposes kernel information and controls.',
    fix: 'Leave securityContext.procMount unset or Default.',
    equivalents: { pss: 'baseline: /proc Mount Type' },
    container: (c) => {
      const mount = securityContext(c).procMount;
      return mount !== undefined && mount !== 'Default' ? `securityContext.procMount is '${mount}'` : undefined;
    },
  }),
  podRule({
    id: 'PSS010',
    title: 'Safe sysctls only',
    why: 'Unsafe sysctls change kernel settings shared with other pods on the node.',
    fix: `Set only the safe sysctls: ${SAFE_SYSCTLS.join(', ')}.`,
    equivalents: { pss: 'baseline: Sysctls' },
    pod: (o) =>
      arrayAt(podSecurityContext(o), 'sysctls')
        .filter((s) => !SAFE_SYSCTLS.includes(String(s.name)))
        .map((s) => `sysctl '${s.name}' is not a safe sysctl`),
  }),
  podRule({
    id: 'PSS011',
    title: 'Restricted volume types only',
    why: 'Other volume types (hostPath, nfs, iscsi, ...) reach outside the pod or need node privileges.',
    fix: `Use only ${RESTRICTED_VOLUME_TYPES.join(', ')} volumes.`,
    equivalents: { pss: 'restricted: Volume Types' },
    pod: (o) =>
      arrayAt(o.spec, 'volumes').flatMap((v) => {
        const types = Object.keys(v).filter((k) => k !== 'name');
        const bad = types.filter((t) => !RESTRICTED_VOLUME_TYPES.includes(t));
        return bad.length > 0 ? [`volume '${v.name}' is of type ${bad.join(', ')}`] : [];
      }),
  }),
  podRule({
    id: 'PSS012',
    title: 'No privilege escalation',
    why: 'setuid binaries and file capabilities can otherwise gain more privileges than the process started with.',
    fix: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
    equivalents: { pss: 'restricted: Privilege Escalation', checkov: 'CKV_K8S_20', kubeLinter: 'privilege-escalation-container' },
    container: (c, _kind, owner) =>
      !isWindows(owner) && securityContext(c).allowPrivilegeEscalation !== false
        ? 'securityContext.allowPrivilegeEscalation is not false'
        : undefined,
  }),
  podRule({
    id: 'PSS013',
    title: 'Run as non-root',
    why: 'A container running as root is one kernel bug away from root on the node.',
    fix: 'Set securityContext.runAsNonRoot: true on the pod (or on every container), and do not set it to false anywhere.',
    equivalents: {
      pss: 'restricted: Running as Non-root',
      checkov: 'CKV_K8S_23',
      kubeLinter: 'run-as-non-root',
      kubeScore: 'container-security-context-user-group-id',
    },
    container: (c, _kind, owner) => {
      const own = securityContext(c).runAsNonRoot;
      if (own === false) return 'securityContext.runAsNonRoot is false';
      return own !== true && podSecurityContext(owner).runAsNonRoot !== true
        ? 'runAsNonRoot is set neither on the container nor on the pod'
        : undefined;
    },
  }),
  podRule({
    id: 'PSS014',
    title: 'Not user 0',
    why: 'runAsUser: 0 is root, whatever runAsNonRoot says.',
    fix: 'Set runAsUser to a non-zero UID (e.g. 10001) or leave it to the image.',
    equivalents: { pss: 'restricted: Running as Non-root user', checkov: 'CKV_K8S_40 (related)' },
    pod: (o) => (podSecurityContext(o).runAsUser === 0 ? ['securityContext.runAsUser is 0'] : []),
    container: (c) => (securityContext(c).runAsUser === 0 ? 'securityContext.runAsUser is 0' : undefined),
  }),
  podRule({
    id: 'PSS015',
    title: 'Seccomp: RuntimeDefault or Localhost',
    why: 'Without a seccomp profile every system call is allowed, including those used in container escapes.',
    fix: 'Set securityContext.seccompProfile.type: RuntimeDefault on the pod or on every container.',
    equivalents: { pss: 'baseline: Seccomp; restricted: Seccomp', checkov: 'CKV_K8S_31', kubeScore: 'container-seccomp-profile' },
    pod: (o) => (seccompType(podSecurityContext(o)) === 'Unconfined' ? ['securityContext.seccompProfile.type is Unconfined'] : []),
    container: (c, _kind, owner) => {
      const type = seccompType(securityContext(c)) ?? seccompType(podSecurityContext(owner));
      if (isWindows(owner)) return undefined;
      return type === 'RuntimeDefault' || type === 'Localhost'
        ? undefined
        : `seccompProfile.type is ${type ?? 'unset'} (on the container and the pod)`;
    },
  }),
];

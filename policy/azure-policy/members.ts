import { arrayAt, field, objectAt, type Container, type PodOwner } from '../kubernetes';
import type { Parameters } from './assignments';

/*
 * What each member of the pod security restricted initiative checks on a pod, with the parameters its
 * assignment gives: the Gatekeeper constraint templates Azure Policy loads, as summarized in
 * pod-security-restricted.json (`templateSummary`) and, for seccomp, the profile lookup and naming
 * translation of open-policy-agent/gatekeeper-library library/pod-security-policy/seccomp/template.yaml,
 * which the Azure template is built from. The templates look at containers and init containers.
 */

type Json = Record<string, unknown>;
type Range = { readonly min: number; readonly max: number };

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const securityContext = (c: Container): Json => objectAt(c, 'securityContext');

/** Containers and init containers the constraint applies to (excludedContainers by name, excludedImages with a trailing `*` as prefix). */
function checkedContainers(owner: PodOwner, p: Parameters): Container[] {
  const excludedNames = list(p.excludedContainers);
  const excludedImages = list(p.excludedImages);
  const exempt = (image: string) => excludedImages.some((e) => (e.endsWith('*') ? image.startsWith(e.slice(0, -1)) : image === e));
  return [...arrayAt(owner.spec, 'containers'), ...arrayAt(owner.spec, 'initContainers')].filter(
    (c) => !excludedNames.includes(String(c.name)) && !exempt(String(c.image ?? '')),
  );
}

/** Per checked container, a problem or nothing; each problem names its container. */
const perContainer = (owner: PodOwner, p: Parameters, problem: (c: Container) => string | undefined): string[] =>
  checkedContainers(owner, p).flatMap((c) => {
    const found = problem(c);
    return found ? [`container '${c.name}': ${found}`] : [];
  });

const inRanges = (value: number, ranges: ReadonlyArray<Range>) => ranges.some((r) => value >= r.min && value <= r.max);
const rangesOf = (p: Parameters, name: string): Range[] => arrayAt(p[`${name}Ranges`], 'ranges') as unknown as Range[];
const showRanges = (ranges: ReadonlyArray<Range>) => ranges.map((r) => `${r.min}-${r.max}`).join(', ') || 'none';

/** The container's value, else the pod's (Gatekeeper's get_field_value). */
const userField = (c: Container, owner: PodOwner, name: string): unknown => securityContext(c)[name] ?? objectAt(owner.spec, 'securityContext')[name];

/** runAsUser (MustRunAsNonRoot, MustRunAs, RunAsAny) and runAsGroup, supplementalGroups, fsGroup (MustRunAs, MayRunAs, RunAsAny). */
function usersAndGroups(owner: PodOwner, p: Parameters): string[] {
  return perContainer(owner, p, (c) => {
    const problems: string[] = [];
    const userRule = String(p.runAsUserRule ?? 'RunAsAny');
    const user = userField(c, owner, 'runAsUser');
    if (userRule !== 'RunAsAny') {
      // The Azure template reports a missing runAsUser under any rule but RunAsAny; runAsNonRoot alone does not satisfy it.
      if (user === undefined) problems.push(`runAsUser is unset (rule ${userRule})`);
      else if (userRule === 'MustRunAsNonRoot' && user === 0) problems.push('runAsUser is 0 (rule MustRunAsNonRoot)');
      else if (userRule === 'MustRunAs' && !inRanges(Number(user), rangesOf(p, 'runAsUser')))
        problems.push(`runAsUser ${user} is outside ${showRanges(rangesOf(p, 'runAsUser'))}`);
    }
    for (const name of ['runAsGroup', 'supplementalGroups', 'fsGroup']) {
      const rule = String(p[`${name}Rule`] ?? 'RunAsAny');
      if (rule === 'RunAsAny') continue;
      const ranges = rangesOf(p, name);
      const value = userField(c, owner, name);
      if (value === undefined) {
        if (rule === 'MustRunAs') problems.push(`${name} is unset (rule MustRunAs, allowed ${showRanges(ranges)})`);
        continue;
      }
      // supplementalGroups is a list: every group must be in range (an empty list passes, as in the template).
      const bad = (Array.isArray(value) ? value : [value]).filter((v) => !inRanges(Number(v), ranges));
      if (bad.length > 0) problems.push(`${name} ${bad.join(', ')} outside ${showRanges(ranges)}`);
    }
    return problems.length > 0 ? problems.join('; ') : undefined;
  });
}

const CONTAINER_SECCOMP_ANNOTATION = 'container.seccomp.security.alpha.kubernetes.io/';
const POD_SECCOMP_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
/** Gatekeeper's translation between the annotation and securityContext names of a profile. */
const SECCOMP_NAMES: Readonly<Record<string, ReadonlyArray<string>>> = {
  RuntimeDefault: ['runtime/default', 'docker/default'],
  Unconfined: ['unconfined'],
  'runtime/default': ['RuntimeDefault'],
  'docker/default': ['RuntimeDefault'],
  unconfined: ['Unconfined'],
};

/** The container's seccomp profile: its securityContext, its annotation, the pod's securityContext, the pod's annotation. */
function seccompProfile(c: Container, owner: PodOwner): string | undefined {
  const annotations = objectAt(owner.metadata, 'annotations');
  const own = field(securityContext(c), 'seccompProfile', 'type');
  const pod = field(owner.spec, 'securityContext', 'seccompProfile', 'type');
  const found = own ?? annotations[`${CONTAINER_SECCOMP_ANNOTATION}${c.name}`] ?? pod ?? annotations[POD_SECCOMP_ANNOTATION];
  return found === undefined ? undefined : String(found);
}

function seccomp(owner: PodOwner, p: Parameters): string[] {
  const allowed = list(p.allowedProfiles);
  if (allowed.includes('*')) return [];
  const accepted = new Set([...allowed, ...allowed.flatMap((a) => SECCOMP_NAMES[a] ?? [])]);
  return perContainer(owner, p, (c) => {
    const profile = seccompProfile(c, owner);
    if (profile === undefined) return `no seccomp profile (allowed: ${allowed.join(', ')})`;
    return accepted.has(profile) ? undefined : `seccomp profile ${profile} is not allowed (allowed: ${allowed.join(', ')})`;
  });
}

function capabilities(owner: PodOwner, p: Parameters): string[] {
  const allowed = new Set(list(p.allowedCapabilities).map((x) => x.toUpperCase()));
  const mustDrop = list(p.requiredDropCapabilities).map((x) => x.toUpperCase());
  return perContainer(owner, p, (c) => {
    const caps = objectAt(securityContext(c), 'capabilities');
    const added = allowed.has('*') ? [] : list(caps.add).filter((x) => !allowed.has(x.toUpperCase()));
    const dropped = new Set(list(caps.drop).map((x) => x.toUpperCase()));
    const missing = dropped.has('ALL') ? [] : mustDrop.filter((x) => !dropped.has(x));
    const problems = [
      ...(added.length > 0 ? [`capabilities.add has ${added.join(', ')}, not in the allowed list`] : []),
      ...(missing.length > 0 ? [`capabilities.drop lacks ${missing.join(', ')}`] : []),
    ];
    return problems.length > 0 ? problems.join('; ') : undefined;
  });
}

function hostNetworkAndPorts(owner: PodOwner, p: Parameters): string[] {
  const min = typeof p.minPort === 'number' ? p.minPort : undefined;
  const max = typeof p.maxPort === 'number' ? p.maxPort : undefined;
  const allowedPorts = (Array.isArray(p.allowedHostPorts) ? p.allowedHostPorts : []).map(Number);
  const portAllowed = (port: number) => allowedPorts.includes(port) || (min !== undefined && max !== undefined && port >= min && port <= max);
  return [
    ...(owner.spec.hostNetwork === true && p.allowHostNetwork !== true ? ['hostNetwork is true'] : []),
    ...perContainer(owner, p, (c) => {
      const ports = arrayAt(c, 'ports')
        .map((port) => Number(port.hostPort ?? 0))
        .filter((port) => port !== 0 && !portAllowed(port));
      return ports.length > 0 ? `hostPort ${ports.join(', ')} is not allowed` : undefined;
    }),
  ];
}

function volumeTypes(owner: PodOwner, p: Parameters): string[] {
  const allowed = list(p.allowedVolumeTypes);
  if (allowed.includes('*')) return [];
  return arrayAt(owner.spec, 'volumes').flatMap((v) => {
    const bad = Object.keys(v).filter((k) => k !== 'name' && !allowed.includes(k));
    return bad.length > 0 ? [`volume '${v.name}' is of type ${bad.join(', ')} (allowed: ${allowed.join(', ')})`] : [];
  });
}

/** Each member's check, by its reference id in the initiative. */
export const MEMBER_CHECKS: Readonly<Record<string, (owner: PodOwner, parameters: Parameters) => string[]>> = {
  NoPrivilegedContainers: (o, p) => perContainer(o, p, (c) => (securityContext(c).privileged === true ? 'privileged is true' : undefined)),
  // Fail-closed: only an explicit false passes.
  NoPrivilegeEscalation: (o, p) =>
    perContainer(o, p, (c) => (securityContext(c).allowPrivilegeEscalation === false ? undefined : 'allowPrivilegeEscalation is not false')),
  BlockUsingHostNetwork: hostNetworkAndPorts,
  BlockUsingHostProcessIDAndIPC: (o) => ['hostPID', 'hostIPC'].filter((k) => o.spec[k] === true).map((k) => `${k} is true`),
  ContainerCapabilities: capabilities,
  AllowedVolumeTypes: volumeTypes,
  AllowedUsersGroups: usersAndGroups,
  AllowedSeccompProfiles: seccomp,
};

import type { EnvironmentConfig } from '../../../config';
import { PLATFORM_ASSIGNED_ROLES } from '../../../infra/access/assigned-roles';
import { builtinRoleById } from '../../../infra/access/builtin-roles';
import { CUSTOM_ROLES } from '../../../infra/access/grants';
import { proveAccess, type SynthesizedStack } from '../../../infra/access/proof';
import { customRoleGuid } from '../../../infra/access/role-ids';
import { APP_TEAM_WRITER_ROLE, NAMESPACE_ROLES } from '../../../infra/constructs/namespace-access';
import { environment, ENVIRONMENT_NAMES } from '../../config/fixtures';
import { synthApps, synthPlatform } from '../synth';

/*
 * infra/access/assigned-roles.ts is what the deploy identity's RBAC administrator condition lets it assign.
 * The proof fails on a role a stack assigns that the list lacks; here, the other way round: an entry that no
 * stack assigns any more, for the fixture environments and the optional features that assign roles, only
 * widens the condition, and fails.
 */

const ingress = (dnsZoneId: string) => ({ ingress: { host: 'photos.example.com', certificateName: 'photos', dnsZoneId } });
const ZONES = 'resourceGroups/rg-dns/providers/Microsoft.Network';

/** Configs that between them turn on every feature that assigns a role, each with the feature named. */
const VARIANTS: Array<{ variant: string; env: EnvironmentConfig }> = [
  ...ENVIRONMENT_NAMES.map((name) => ({ variant: name, env: environment(name) })),
  // managedPrometheus.grafana: Grafana reads the workspace (Monitoring Data Reader); admin groups get Grafana Admin.
  { variant: 'prod with Grafana', env: environment('prod', { managedPrometheus: { grafana: true } }) },
  // github.repository: the bootstrap creates the CI identities; the platform gives the plan identity the app namespace.
  { variant: 'staging with its CI identities', env: environment('staging', { github: { repository: 'contoso/aks-environments' } }) },
  // ingress.dnsZoneId: app routing writes records in a public zone (here in another subscription) ...
  {
    variant: 'dev with a public DNS zone',
    env: environment('dev', ingress(`/subscriptions/44444444-4444-4444-4444-444444444444/${ZONES}/dnszones/example.com`)),
  },
  // ... or in a private one.
  {
    variant: 'prod with a private DNS zone',
    env: environment('prod', ingress(`/subscriptions/33333333-3333-3333-3333-333333333333/${ZONES}/privateDnsZones/example.com`)),
  },
];

/** A config's stacks: the fixture environments' apps stacks too (they would assign in the cluster's name). */
function stacksOf(variant: string, env: EnvironmentConfig): SynthesizedStack[] {
  const platform = { name: `platform-${env.name}`, json: synthPlatform(env).json };
  return ENVIRONMENT_NAMES.includes(variant) ? [platform, { name: `apps-${env.name}`, json: synthApps(env).json }] : [platform];
}

/** Names of the roles a stack's azurerm_role_assignment resources assign: by name, by built-in GUID or by the environment's custom role GUID. */
function assignedRoles(stack: SynthesizedStack, env: EnvironmentConfig): string[] {
  return Object.values(stack.json.resource?.azurerm_role_assignment ?? {}).map((a) => {
    if (a.role_definition_name) return a.role_definition_name;
    const guid = String(a.role_definition_id).split('/').pop() ?? '';
    return builtinRoleById(guid)?.roleName ?? CUSTOM_ROLES.find((r) => customRoleGuid(r.name, env) === guid)?.name ?? a.role_definition_id;
  });
}

type Synthesized = { variant: string; env: EnvironmentConfig; stacks: SynthesizedStack[] };

/** Entries of a list of assignable roles that none of the configs' stacks assigns. */
function staleRoles(listed: readonly string[], configs: Synthesized[]): string[] {
  const assigned = new Set(configs.flatMap((c) => c.stacks.flatMap((s) => assignedRoles(s, c.env))));
  return listed.filter((role) => !assigned.has(role));
}

describe('infra/access/assigned-roles.ts', () => {
  const stacks: Synthesized[] = VARIANTS.map(({ variant, env }) => ({ variant, env, stacks: stacksOf(variant, env) }));

  it('lists no role that no stack assigns any more, for the fixture environments and the role-assigning features', () => {
    expect(staleRoles(PLATFORM_ASSIGNED_ROLES, stacks)).toEqual([]);
  });

  it("lists the app team's custom writer role, which dev (access: write) assigns, and no longer the built-in Writer (it reads Secrets)", () => {
    expect(PLATFORM_ASSIGNED_ROLES).toContain(APP_TEAM_WRITER_ROLE.name);
    expect(PLATFORM_ASSIGNED_ROLES).not.toContain(NAMESPACE_ROLES.write);
    const dev = stacks.filter((s) => s.variant === 'dev');
    expect(staleRoles([APP_TEAM_WRITER_ROLE.name, NAMESPACE_ROLES.write], dev)).toEqual([NAMESPACE_ROLES.write]);
  });

  it('would find a stale entry: one no config assigns, and one only a feature variant assigns when that variant is left out', () => {
    const fixturesOnly = stacks.filter((s) => ENVIRONMENT_NAMES.includes(s.variant));
    expect(staleRoles([...PLATFORM_ASSIGNED_ROLES, 'Contributor'], stacks)).toEqual(['Contributor']);
    expect(staleRoles(PLATFORM_ASSIGNED_ROLES, fixturesOnly).sort()).toEqual([
      'AKS plan reader',
      'DNS Zone Contributor',
      'Grafana Admin',
      'Monitoring Data Reader',
    ]);
  });

  it.each(VARIANTS.filter((v) => !ENVIRONMENT_NAMES.includes(v.variant)).map((v) => [v.variant]))(
    'the access proof passes for %s (the grants follow the feature)',
    (variant) => {
      const { env, stacks: own } = stacks.find((s) => s.variant === variant)!;
      expect(proveAccess(own, env).map((p) => p.message)).toEqual([]);
    },
  );
});

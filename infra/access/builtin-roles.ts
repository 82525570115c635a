import data from './builtin-role-definitions.json';

/** A built-in Azure role as Azure defines it (copied as data; source in builtin-role-definitions.json). */
export interface RoleDefinition {
  roleName: string;
  /** Role definition GUID. */
  id: string;
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

/** The built-in roles this project grants or assigns, with their source. */
export const BUILTIN_ROLES: readonly RoleDefinition[] = data.roles;

/** A built-in role by its exact Azure name; throws naming it when it is not in builtin-role-definitions.json. */
export function builtinRole(roleName: string): RoleDefinition {
  const role = BUILTIN_ROLES.find((r) => r.roleName === roleName);
  if (!role)
    throw new Error(`built-in role '${roleName}' is not in infra/access/builtin-role-definitions.json; copy it from the built-in roles reference`);
  return role;
}

/** The built-in role with this GUID, if the project knows it. */
export function builtinRoleById(guid: string): RoleDefinition | undefined {
  return BUILTIN_ROLES.find((r) => r.id.toLowerCase() === guid.toLowerCase());
}

import type { Permission } from "./types.ts";

/** GitHub's roles in increasing power: each includes what the ones before it may do. */
const RANK: Record<Permission, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

export function isPermission(value: string): value is Permission {
  return value in RANK;
}

export function hasPermission(actual: Permission, needed: Permission): boolean {
  return RANK[actual] >= RANK[needed];
}

/**
 * A collaborator's role from GET /repos/{o}/{r}/collaborators/{user}/permission: `role_name` names
 * maintain and triage (and custom roles); `permission` is the legacy admin/write/read/none, used when
 * the role is a custom one.
 */
export function permissionFrom(data: { permission: string; role_name?: string }): Permission {
  const role = data.role_name ?? "";
  if (isPermission(role)) return role;
  return isPermission(data.permission) ? data.permission : "none";
}

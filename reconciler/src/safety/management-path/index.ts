/**
 * The management-path guard: how each switch reaches the XMPP server (declared by the fabric or
 * learned from its running config), and every planned change that would cut that path. Pure.
 *
 *   learnManagementPath(running, xmpp, declared)   the server, VRF and interface of one switch
 *   guardManagementPath(input)                     the planned changes that touch the path
 *   migrationFor(settings, device, now)             the reviewed migration that applies, if any
 */
export { type AclVerdict, aclVerdict, type Flow } from "./acl-verdict.ts";
export {
  describePath,
  type GuardInput,
  guardManagementPath,
  type PathElement,
  type PathFinding,
  pathElements,
} from "./guard.ts";
export { type DeclaredPath, learnManagementPath, type ManagementPath } from "./learn-path.ts";
export { migrationFor, type PathMigration } from "./migration.ts";
export { managementInterfaceLine, managementInterfaceName } from "./platform.ts";

import type { PathElement } from "./guard.ts";

/** A reviewed change of the management path (fabric.yaml managementPath.migration). */
export interface PathMigration {
  reason: string;
  /** Last day (YYYY-MM-DD, UTC) it applies: a migration left in git must not disarm the guard for good. */
  until: string;
  elements: PathElement[];
  /** The switches it is for; absent: every switch. */
  devices?: string[];
}

/** The migration that applies to a switch now, or undefined. */
export function migrationFor(
  migration: PathMigration | undefined,
  device: string,
  now: Date,
): PathMigration | undefined {
  if (!migration) return undefined;
  if (migration.devices && !migration.devices.includes(device)) return undefined;
  return now.toISOString().slice(0, 10) <= migration.until ? migration : undefined;
}

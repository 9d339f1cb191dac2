/**
 * `events:` of fabric.yaml and the `events.<rule>` declarations of group and device files → the model.
 * Runs on schema-valid files only (the schema fixes every shape); defaults are written here, once.
 */
import type { EventDeclaration, EventRule, EventSettings } from "./types.ts";
import { type ParsedYaml, positionAt } from "./yaml-position.ts";

/** At most this many event changes an hour, per rule and for all rules together, unless the fabric says. */
export const EVENT_RULE_CHANGES_PER_HOUR = 10;
export const EVENT_CHANGES_PER_HOUR = 30;

export interface WrittenEventSettings {
  maxChangesPerHour?: number;
  rules?: {
    name: string;
    description?: string;
    match: string;
    addressInside?: { capture: string };
    change: { file?: "device" | "group"; lines: string; log?: string };
    action?: "pull-request" | "apply";
    maxChangesPerHour?: number;
  }[];
}

export type WrittenEventDeclarations = Record<string, Record<string, string | number | string[]>>;

export function normaliseEventSettings(
  parsed: ParsedYaml,
  written: WrittenEventSettings | undefined,
): EventSettings {
  return {
    maxChangesPerHour: written?.maxChangesPerHour ?? EVENT_CHANGES_PER_HOUR,
    rules: (written?.rules ?? []).map(
      (rule, index): EventRule => ({
        name: rule.name,
        description: rule.description ?? "",
        match: rule.match,
        ...(rule.addressInside ? { addressInside: rule.addressInside.capture } : {}),
        change: {
          file: rule.change.file ?? "device",
          lines: rule.change.lines,
          ...(rule.change.log !== undefined ? { log: rule.change.log } : {}),
        },
        action: rule.action ?? "pull-request",
        maxChangesPerHour: rule.maxChangesPerHour ?? EVENT_RULE_CHANGES_PER_HOUR,
        position: positionAt(parsed, ["events", "rules", index]),
      }),
    ),
  };
}

export function normaliseEventDeclarations(
  parsed: ParsedYaml,
  written: WrittenEventDeclarations | undefined,
): Record<string, EventDeclaration> {
  const declarations: Record<string, EventDeclaration> = {};
  for (const [rule, fields] of Object.entries(written ?? {})) {
    const values: Record<string, string> = {};
    for (const [name, value] of Object.entries(fields)) {
      if (name !== "sourcePrefixes" && !Array.isArray(value)) values[name] = String(value);
    }
    const prefixes = fields.sourcePrefixes;
    declarations[rule] = {
      sourcePrefixes: Array.isArray(prefixes) ? prefixes : [],
      values,
      position: positionAt(parsed, ["events", rule]),
    };
  }
  return declarations;
}

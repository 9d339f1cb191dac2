import { compareInScope, parseConfig, redactSecrets, withoutKeptUnlisted } from "../eos/index.ts";
import type { Fabric } from "../fabric/types.ts";
import type { Observation, Plan } from "../plan/index.ts";
import { scopeDiffs } from "./scope-diffs.ts";
import type { DeviceDrift, DriftReport } from "./types.ts";

export interface DriftInput {
  fabric: Fabric;
  runId: string;
  plan: Plan;
  intended: Map<string, string>;
  observed: Map<string, Observation>;
  /** When each switch was first seen drifting in an unbroken series of drift checks (journal). */
  driftingSince: Map<string, string>;
  now?: Date;
}

/**
 * Live against git in the managed scope (DESIGN §9): what differs per switch (intended → live,
 * secrets redacted), since when, and the remediation the plan computed for it.
 */
export function buildDriftReport(input: DriftInput): DriftReport {
  const checkedAt = (input.now ?? new Date()).toISOString();
  const devices = input.plan.devices.map((planned): DeviceDrift => {
    const observation = input.observed.get(planned.device);
    if (!observation?.ok || planned.status === "unreachable") {
      return {
        device: planned.device,
        status: "unreachable",
        error: planned.error?.message ?? "not observed",
      };
    }
    if (planned.status === "error")
      return { device: planned.device, status: "drifted", error: planned.error?.message };
    const live = parseConfig(observation.text);
    const intended = parseConfig(input.intended.get(planned.device) ?? "");
    if (compareInScope(live, intended, input.fabric.scope).equal)
      return { device: planned.device, status: "in-sync" };
    // What git does not list and the switch keeps is not drift (scope.keepUnlisted).
    const shown = withoutKeptUnlisted(live, intended, input.fabric.scope);
    const { diff, sections } = scopeDiffs(planned.device, intended, shown, input.fabric.scope, [
      "intended",
      "live",
    ]);
    return {
      device: planned.device,
      status: "drifted",
      diff,
      sections,
      remediation: planned.commands.map(redactSecrets),
      since: input.driftingSince.get(planned.device) ?? checkedAt,
    };
  });
  return {
    kind: "drift",
    runId: input.runId,
    fabric: input.fabric.name,
    revision: input.plan.revision,
    checkedAt,
    managed: input.plan.managed,
    membership: input.plan.membership,
    devices,
  };
}

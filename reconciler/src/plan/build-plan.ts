import { diffableText, managedDiff } from "../drift/managed-diff.ts";
import { sectionDiffs } from "../drift/section-diffs.ts";
import type { ConfigTree, Remediation } from "../eos/index.ts";
import {
  applyCommands,
  compareInScope,
  parseConfig,
  remediate,
  scopedText,
  withoutKeptUnlisted,
} from "../eos/index.ts";
import type { Fabric } from "../fabric/types.ts";
import type { DeviceFraming } from "../framing/index.ts";
import { guardManagementPath, learnManagementPath, migrationFor } from "../safety/management-path/index.ts";
import { factorByGroup } from "./factor-groups.ts";
import { runningConfigHash } from "./hash.ts";
import { roomsInRunningConfig } from "./rooms.ts";
import type { DevicePlan, Plan, PlanSummary, Revision } from "./types.ts";
import { planWaves } from "./waves.ts";

/** What `show running-config` gave for a switch, or why it gave nothing. */
export type Observation = { ok: true; text: string } | { ok: false; code: string; message: string };

export interface PlanInput {
  fabric: Fabric;
  revision: Revision;
  /** Intended config text per switch (renderIntended). */
  intended: Map<string, string>;
  /** Running config per switch, as observed. */
  observed: Map<string, Observation>;
  now?: Date;
  /** Send shared blocks once per group room (default). Off: every switch gets its own batch (for comparison). */
  factorGroups?: boolean;
  /** The CLI framing each switch is sent (framing/): shown per switch, and a room needs one for all. */
  framing?: Map<string, DeviceFraming>;
}

/**
 * The pure planning step: remediate every switch, factor identical blocks per group room, order the
 * waves, and prove each switch's prediction equals its intended config in scope.
 */
export function buildPlan(input: PlanInput): Plan {
  const { fabric } = input;
  const scope = fabric.scope;
  const devices: DevicePlan[] = [];
  const remediations = new Map<string, string[]>();
  const runningTrees = new Map<string, ReturnType<typeof parseConfig>>();
  const intendedTrees = new Map<string, ReturnType<typeof parseConfig>>();
  const predictions = new Map<string, ReturnType<typeof parseConfig>>();
  const roomOccupants = new Map<string, Set<string>>();

  // A switch that is not planned may still sit in its rooms (it timed out, or answered garbage) and would
  // run a room's batch meant for the others: it counts as an occupant, so those batches go 1:1 instead.
  const mayOccupy = (device: string, running?: string) => {
    const rooms = new Set([
      ...(fabric.devices[device]?.groups ?? []),
      ...(running === undefined ? [] : roomsInRunningConfig(running, fabric.xmpp.mucService)),
    ]);
    for (const room of rooms) {
      if (!fabric.groups[room]) continue;
      if (!roomOccupants.has(room)) roomOccupants.set(room, new Set());
      roomOccupants.get(room)!.add(device);
    }
  };

  for (const device of Object.keys(fabric.devices).sort()) {
    const observation = input.observed.get(device) ?? { ok: false, code: "offline", message: "not observed" };
    if (!observation.ok) {
      // offline: presence says it is not connected, so it is in no room
      if (observation.code !== "offline") mayOccupy(device);
      devices.push({
        device,
        status: "unreachable",
        commands: [],
        error: { code: observation.code, message: observation.message },
      });
      continue;
    }
    const runningHash = runningConfigHash(observation.text);
    try {
      const running = parseConfig(observation.text);
      const intended = parseConfig(input.intended.get(device) ?? "");
      const remediation = remediate(running, intended, scope);
      runningTrees.set(device, running);
      intendedTrees.set(device, intended);
      for (const room of roomsInRunningConfig(observation.text, fabric.xmpp.mucService)) {
        if (!fabric.groups[room]) continue;
        if (!roomOccupants.has(room)) roomOccupants.set(room, new Set());
        roomOccupants.get(room)!.add(device);
      }
      const refusal =
        remediation.commands.length === 0
          ? undefined
          : managementPathRefusal(fabric, device, running, intended, remediation, input.now);
      if (refusal) {
        devices.push({ device, status: "error", runningHash, commands: [], error: refusal });
      } else if (remediation.commands.length === 0) {
        devices.push({ device, status: "in-sync", runningHash, commands: [] });
      } else {
        // What git does not list and the switch keeps is no part of the diff (scope.keepUnlisted).
        const shown = withoutKeptUnlisted(running, intended, scope);
        const diff = managedDiff(device, diffableText(shown, scope), diffableText(intended, scope), [
          "running",
          "intended",
        ]);
        remediations.set(device, remediation.commands);
        predictions.set(device, remediation.predicted);
        const sections = sectionDiffs(device, shown, intended, scope, ["running", "intended"]);
        devices.push({
          device,
          status: "changes",
          runningHash,
          commands: remediation.commands,
          diff,
          sections,
          ...(remediation.disruptions.length > 0 ? { disruptions: [...remediation.disruptions] } : {}),
        });
      }
    } catch (error) {
      mayOccupy(device, observation.text);
      devices.push({ device, status: "error", runningHash, commands: [], error: describeError(error) });
    }
  }

  const groupMembers = Object.fromEntries(Object.values(fabric.groups).map((g) => [g.name, g.members]));
  const waves = planWaves([...remediations.keys()], groupMembers, fabric.rollout);
  const waveOf = new Map(waves.flatMap((wave, index) => wave.map((device) => [device, index] as const)));
  // Only rooms whose every occupant takes part can carry a shared batch; others fall back per switch.
  const { batches, executionOrder } = factorByGroup({
    remediations,
    roomOccupants: input.factorGroups === false ? new Map() : roomOccupants,
    waveOf,
    framingOf: input.framing ? new Map([...input.framing].map(([d, f]) => [d, f.mode])) : undefined,
  });
  if (input.framing) {
    for (const plan of devices) {
      const framing = input.framing.get(plan.device);
      if (framing) plan.framing = framing;
    }
  }

  for (const plan of devices) {
    const order = executionOrder.get(plan.device);
    if (!order) continue;
    // remediate() already proved its own order; only a reordered script (group blocks first) needs the proof again.
    const unchanged =
      order.length === plan.commands.length && order.every((line, i) => line === plan.commands[i]);
    const predicted = unchanged
      ? predictions.get(plan.device)!
      : applyCommands(runningTrees.get(plan.device)!, order);
    if (!unchanged) {
      const check = compareInScope(predicted, intendedTrees.get(plan.device)!, scope);
      if (!check.equal) {
        throw new Error(
          `plan invariant broken for ${plan.device}: the factored commands do not produce the intended config (${check.firstDifference})`,
        );
      }
    }
    plan.commands = order;
    plan.predicted = scopedText(predicted, scope);
  }

  return {
    kind: "plan",
    version: 1,
    fabric: fabric.name,
    revision: input.revision,
    createdAt: (input.now ?? new Date()).toISOString(),
    waves,
    managed: [...scope.sections],
    membership: Object.fromEntries(Object.values(fabric.devices).map((d) => [d.name, [...d.groups]])),
    devices,
    batches,
    summary: summarize(devices, batches),
  };
}

/**
 * The planned change must not cut the switch off from the XMPP server (safety/management-path/):
 * a change that touches the path makes the switch unplannable, unless a reviewed migration names it.
 */
function managementPathRefusal(
  fabric: Fabric,
  device: string,
  running: ConfigTree,
  intended: ConfigTree,
  remediation: Remediation,
  now: Date = new Date(),
): { code: string; message: string } | undefined {
  const settings = fabric.managementPath;
  const path = learnManagementPath(
    running,
    { server: fabric.xmpp.switchServer, port: fabric.xmpp.port },
    settings,
  );
  const migration = migrationFor(settings.migration, device, now);
  const refused = guardManagementPath({ device, intended, running, remediation, path, migration }).filter(
    (finding) => !finding.allowedBy,
  );
  if (refused.length === 0) return undefined;
  const elements = [...new Set(refused.map((f) => f.element))].join(", ");
  return {
    code: "management-path",
    message: `${refused.map((f) => f.message).join("; ")}. Nothing is sent to ${device}: the change would cut the reconciler off. If it is a reviewed migration, name it in fabric.yaml managementPath.migration (elements: [${elements}], a reason, until, devices).`,
  };
}

function summarize(devices: DevicePlan[], batches: Plan["batches"]): PlanSummary {
  const count = (status: DevicePlan["status"]) => devices.filter((d) => d.status === status).length;
  return {
    devices: devices.length,
    changed: count("changes"),
    inSync: count("in-sync"),
    unreachable: count("unreachable"),
    errors: count("error"),
    batches: batches.length,
    groupBatches: batches.filter((b) => b.target.kind === "group").length,
    commands: devices.reduce((sum, d) => sum + d.commands.length, 0),
    messages: batches.length,
  };
}

function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === "string" ? code : error.name, message: error.message };
  }
  return { code: "error", message: String(error) };
}

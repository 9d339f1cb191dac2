import { scopeDiffs } from "../drift/scope-diffs.ts";
import type { ConfigTree, NormalMemo, Remediation } from "../eos/index.ts";
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
  /** Switches already planned from these observations (planDevice, with the same fabric and intended). */
  parts?: Map<string, DevicePart>;
}

/**
 * One switch's part of a plan, from its own observation alone: computed as each running config arrives
 * (the observe phase mostly waits on the network; planning 2,000 switches after the last reply cost
 * seconds, issue 14), or by buildPlan for what was not.
 */
export interface DevicePart {
  plan: DevicePlan;
  /** Rooms the switch may sit in (only the fabric's groups count). */
  occupies: string[];
  change?: { running: ConfigTree; intended: ConfigTree; remediation: Remediation };
}

/** Remediates one switch and checks its change against the management path (pure). */
export function planDevice(
  fabric: Fabric,
  device: string,
  intendedText: string,
  observation: Observation,
  now?: Date,
): DevicePart {
  const scope = fabric.scope;
  // A switch that is not planned may still sit in its rooms (it timed out, or answered garbage) and would
  // run a room's batch meant for the others: it counts as an occupant, so those batches go 1:1 instead.
  const mayOccupy = (running?: string) => [
    ...(fabric.devices[device]?.groups ?? []),
    ...(running === undefined ? [] : roomsInRunningConfig(running, fabric.xmpp.mucService)),
  ];
  if (!observation.ok) {
    return {
      plan: {
        device,
        status: "unreachable",
        commands: [],
        error: { code: observation.code, message: observation.message },
      },
      // offline: presence says it is not connected, so it is in no room
      occupies: observation.code === "offline" ? [] : mayOccupy(),
    };
  }
  const runningHash = runningConfigHash(observation.text);
  try {
    const running = parseConfig(observation.text);
    const intended = parseConfig(intendedText);
    // Both trees are normalised once, for the remediation, its check and the diff.
    const memo: NormalMemo = new Map();
    const remediation = remediate(running, intended, scope, memo);
    const occupies = roomsInRunningConfig(observation.text, fabric.xmpp.mucService);
    const refusal =
      remediation.commands.length === 0
        ? undefined
        : managementPathRefusal(fabric, device, running, intended, remediation, now);
    if (refusal)
      return { plan: { device, status: "error", runningHash, commands: [], error: refusal }, occupies };
    if (remediation.commands.length === 0) {
      return { plan: { device, status: "in-sync", runningHash, commands: [] }, occupies };
    }
    // What git does not list and the switch keeps is no part of the diff (scope.keepUnlisted).
    const shown = withoutKeptUnlisted(running, intended, scope);
    const { diff, sections } = scopeDiffs(device, shown, intended, scope, ["running", "intended"], memo);
    return {
      plan: {
        device,
        status: "changes",
        runningHash,
        commands: remediation.commands,
        diff,
        sections,
        ...(remediation.disruptions.length > 0 ? { disruptions: [...remediation.disruptions] } : {}),
      },
      occupies,
      change: { running, intended, remediation },
    };
  } catch (error) {
    return {
      plan: { device, status: "error", runningHash, commands: [], error: describeError(error) },
      occupies: mayOccupy(observation.text),
    };
  }
}

/**
 * The pure planning step: remediate every switch (or take its part already planned, `parts`), factor
 * identical blocks per group room, order the waves, and prove each switch's prediction equals its
 * intended config in scope.
 */
export function buildPlan(input: PlanInput): Plan {
  const { fabric } = input;
  const scope = fabric.scope;
  const devices: DevicePlan[] = [];
  const remediations = new Map<string, string[]>();
  const changes = new Map<string, NonNullable<DevicePart["change"]>>();
  const roomOccupants = new Map<string, Set<string>>();

  for (const device of Object.keys(fabric.devices).sort()) {
    const observation = input.observed.get(device) ?? { ok: false, code: "offline", message: "not observed" };
    const part =
      input.parts?.get(device) ??
      planDevice(fabric, device, input.intended.get(device) ?? "", observation, input.now);
    // A copy: the plan's commands are rewritten below in execution order; a part may be reused.
    devices.push({ ...part.plan });
    for (const room of part.occupies) {
      if (!fabric.groups[room]) continue;
      if (!roomOccupants.has(room)) roomOccupants.set(room, new Set());
      roomOccupants.get(room)!.add(device);
    }
    if (part.change) {
      remediations.set(device, part.change.remediation.commands);
      changes.set(device, part.change);
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
    const change = changes.get(plan.device)!;
    const predicted = unchanged ? change.remediation.predicted : applyCommands(change.running, order);
    if (!unchanged) {
      const check = compareInScope(predicted, change.intended, scope);
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

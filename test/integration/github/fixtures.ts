/** Run results for GitHub tests: what a FabricRunner returns, built small and explicit. */
import type { DriftReport } from "../../../reconciler/src/drift/types.ts";
import type { Plan, Revision } from "../../../reconciler/src/plan/types.ts";
import type { RolloutResult } from "../../../reconciler/src/rollout/types.ts";

export const redact = (text: string) => text.replace(/\b(secret|password 7|key 7) \S+/g, "$1 <redacted>");

export function revisionOf(sha: string, ref = "main"): Revision {
  return { sha, ref, source: "https://github.com/octo/fabric.git" };
}

/** A plan where `changed` leaves change (each with `lines` own commands) and one spine is in sync. */
export function planFor(sha: string, changed: number, lines = 2): Plan {
  const leaves = Array.from({ length: changed }, (_, i) => `leaf${i + 1}`);
  const own = (d: string) =>
    Array.from({ length: lines }, (_, j) => [
      `interface Ethernet${j + 1}`,
      `   description ${d} uplink ${j + 1}`,
    ]).flat();
  return {
    kind: "plan",
    version: 1,
    fabric: "lab",
    revision: revisionOf(sha),
    createdAt: "2026-11-23T12:00:00.000Z",
    waves: [leaves.slice(0, 1), leaves.slice(1)],
    devices: [
      ...leaves.map((d) => ({
        device: d,
        status: "changes" as const,
        commands: ["username ops secret hunter2", ...own(d)],
        diff: `+username ops secret hunter2\n+interface Ethernet1\n+   description ${d} uplink 1`,
      })),
      { device: "spine1", status: "in-sync" as const, commands: [] },
    ],
    batches: [
      ...(changed > 0
        ? [
            {
              id: "g-leaves",
              target: { kind: "group" as const, group: "leaves", members: leaves },
              wave: 1,
              commands: ["username ops secret hunter2"],
            },
          ]
        : []),
      ...leaves.map((d, i) => ({
        id: `d-${d}`,
        target: { kind: "device" as const, device: d },
        wave: i ? 1 : 0,
        commands: own(d),
      })),
    ],
    summary: {
      devices: changed + 1,
      changed,
      inSync: 1,
      unreachable: 0,
      errors: 0,
      batches: changed + (changed > 0 ? 1 : 0),
      groupBatches: changed > 0 ? 1 : 0,
      commands: changed * (1 + 2 * lines),
      messages: changed + (changed > 0 ? 1 : 0),
    },
  };
}

export function rolloutFor(plan: Plan, runId = "run-apply-1"): RolloutResult {
  return {
    kind: "apply",
    runId,
    fabric: plan.fabric,
    revision: plan.revision,
    outcome: plan.summary.changed > 0 ? "succeeded" : "nothing-to-do",
    startedAt: "2026-11-23T12:01:00.000Z",
    finishedAt: "2026-11-23T12:01:03.000Z",
    devices: plan.devices.map((d) => ({
      device: d.device,
      outcome: d.status === "changes" ? ("changed" as const) : ("in-sync" as const),
      wave: 0,
    })),
    messages: plan.summary.messages,
  };
}

export function driftFor(sha: string, drifted: string[], runId = "run-drift-1"): DriftReport {
  return {
    kind: "drift",
    runId,
    fabric: "lab",
    revision: revisionOf(sha),
    checkedAt: "2026-11-23T13:00:00.000Z",
    devices: ["leaf1", "leaf2", "spine1"].map((device) =>
      drifted.includes(device)
        ? {
            device,
            status: "drifted" as const,
            since: "2026-11-23T12:55:00.000Z",
            diff: "-   description uplink\n+   description changed by hand",
            remediation: ["interface Ethernet1", "   description uplink"],
          }
        : { device, status: "in-sync" as const },
    ),
  };
}

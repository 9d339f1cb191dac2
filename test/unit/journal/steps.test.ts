import { describe, expect, it } from "vitest";
import { interruptedApplies, type JournalRecord } from "../../../reconciler/src/journal/index.ts";

const base = { kind: "apply" as const, fabric: "f", trigger: "cli" as const, at: "2026-12-02T10:00:00Z" };
const started = (runId: string, pid: number): JournalRecord => ({ ...base, runId, pid, event: "started" });
const step = (runId: string, outcome: string, ...devices: string[]): JournalRecord => ({
  ...base,
  runId,
  pid: 1,
  event: "step",
  session: `reconciler-${runId}`,
  devices: devices.map((device) => ({ device, outcome })),
});
const finished = (runId: string): JournalRecord => ({ ...base, runId, pid: 1, event: "finished" });

describe("interruptedApplies", () => {
  it("gives each switch's last step of an apply whose process died without finishing", () => {
    const records = [
      started("a", 100),
      step("a", "staged", "spine1", "spine2"),
      step("a", "timer-running", "spine1", "spine2"),
      step("a", "confirmed", "spine1"),
      step("a", "rolled-back", "spine2"),
    ];
    expect(interruptedApplies(records, () => false)).toEqual([
      {
        runId: "a",
        fabric: "f",
        trigger: "cli",
        session: "reconciler-a",
        devices: [
          { device: "spine1", step: "confirmed" },
          { device: "spine2", step: "rolled-back" },
        ],
      },
    ]);
  });

  it("leaves out finished runs, runs whose process lives, and runs that never reached a switch", () => {
    const records = [
      started("done", 1),
      step("done", "saved", "leaf1"),
      finished("done"),
      started("alive", 2),
      step("alive", "staged", "leaf1"),
      started("early", 3),
    ];
    expect(interruptedApplies(records, (pid) => pid === 2)).toEqual([]);
  });
});

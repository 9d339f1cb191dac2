import { describe, expect, it } from "vitest";
import type { DriftReport } from "../../../reconciler/src/drift/types.ts";
import type { Plan } from "../../../reconciler/src/plan/types.ts";
import {
  GITHUB_COMMENT_LIMIT,
  renderDriftMarkdown,
  renderPlanMarkdown,
  renderRolloutMarkdown,
} from "../../../reconciler/src/report/markdown.ts";
import type { RolloutResult } from "../../../reconciler/src/rollout/types.ts";

const redact = (text: string) => text.replace(/(secret|password 7) \S+/g, "$1 <redacted>");
const revision = { sha: "0123456789abcdef0123456789abcdef01234567", ref: "main", source: "/srv/fabric" };

function planOf(deviceCount: number, linesPerDevice = 3): Plan {
  const devices = Array.from({ length: deviceCount }, (_, i) => `leaf${i + 1}`);
  const commands = (d: string) =>
    Array.from({ length: linesPerDevice }, (_, j) => [
      `interface Ethernet${j + 1}`,
      `   description ${d} port ${j + 1}`,
    ]).flat();
  return {
    kind: "plan",
    version: 1,
    fabric: "lab",
    revision,
    createdAt: "2026-11-23T12:00:00.000Z",
    waves: [devices.slice(0, 1), devices.slice(1)],
    devices: [
      ...devices.map((d) => ({
        device: d,
        status: "changes" as const,
        commands: ["vlan 10", "   name users", ...commands(d)],
        diff: `--- running\n+++ intended\n+vlan 10\n+   name users\n+username admin secret hunter2`,
      })),
      { device: "spine1", status: "in-sync" as const, commands: [] },
      {
        device: "spine2",
        status: "unreachable" as const,
        commands: [],
        error: { code: "timeout", message: "no reply in 5 s" },
      },
    ],
    batches: [
      {
        id: "b0",
        target: { kind: "group", group: "leaves", members: devices },
        wave: 1,
        commands: ["vlan 10", "   name users", "username admin secret hunter2"],
      },
      ...devices.map((d, i) => ({
        id: `b${i + 1}`,
        target: { kind: "device" as const, device: d },
        wave: i === 0 ? 0 : 1,
        commands: commands(d),
      })),
    ],
    summary: {
      devices: deviceCount + 2,
      changed: deviceCount,
      inSync: 1,
      unreachable: 1,
      errors: 0,
      batches: deviceCount + 1,
      groupBatches: 1,
      commands: deviceCount * (2 + linesPerDevice),
      messages: deviceCount + 1,
    },
  };
}

describe("renderPlanMarkdown", () => {
  it("renders a summary table, a <details> per group batch and per changing switch", () => {
    const md = renderPlanMarkdown(planOf(2), { redact });
    expect(md).toContain("### Plan for fabric `lab` at `0123456` (`main`)");
    expect(md).toContain("**2 switches to change** in 3 batches (1 to group rooms)");
    expect(md).toContain("| changes | 2 | leaf1, leaf2 |");
    expect(md).toContain("| unreachable | 1 | spine2 |");
    expect(md).toContain(
      "<details open><summary>group <b>leaves</b> → 2 switches, 3 commands (wave 1)</summary>",
    );
    expect(md).toContain("<summary><b>leaf1</b>: 8 commands (6 own, rest via leaves)</summary>");
    expect(md).toContain("- **spine2** — unreachable: no reply in 5 s (`timeout`)");
    expect(md).toContain("Rollout order — canary: leaf1 · wave 1: leaf2");
  });

  it("never shows a secret, in commands or in diffs", () => {
    const md = renderPlanMarkdown(planOf(3), { redact });
    expect(md).not.toContain("hunter2");
    expect(md).toContain("secret <redacted>");
  });

  it("says so plainly when there is nothing to change", () => {
    const plan = planOf(0);
    const md = renderPlanMarkdown(plan, { redact });
    expect(md).toContain("**No changes.** 1 switch in sync.");
    expect(md).not.toContain("Rollout order");
  });

  it("folds a huge plan under the comment limit with a note naming what was left out", () => {
    const md = renderPlanMarkdown(planOf(1000, 20), { redact, reportUrl: "https://ci.example/run/7" });
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(md).toMatch(
      /\*\*Folded:\*\* \d+ more switches and group batches not shown to stay under GitHub's 65,536-character comment limit: leaf\d+, /,
    );
    expect(md).toContain("The full report is at https://ci.example/run/7.");
    expect(md).toContain("| changes | 1000 |");
    // Every <details> that was started is closed, and fences are balanced.
    expect(md.split("<details").length).toBe(md.split("</details>").length);
    expect((md.match(/^```/gm) ?? []).length % 2).toBe(0);
  });

  it("keeps within a small custom budget and clips one enormous diff instead of dropping the rest", () => {
    const plan = planOf(2);
    plan.devices[0]!.diff = Array.from({ length: 5000 }, (_, i) => `+   description line ${i}`).join("\n");
    const md = renderPlanMarkdown(plan, { redact, budget: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toMatch(/… \d+ more lines not shown/);
    expect(md).toContain("<b>leaf2</b>");
  });

  it("uses a longer fence when a command contains backticks", () => {
    const plan = planOf(1);
    plan.batches[1]!.commands = ["banner motd ```hello```"];
    const md = renderPlanMarkdown(plan, { redact });
    expect(md).toContain("````\nbanner motd ```hello```\n````");
  });
});

describe("renderDriftMarkdown", () => {
  const report: DriftReport = {
    kind: "drift",
    runId: "run-9",
    fabric: "lab",
    revision,
    checkedAt: "2026-11-23T13:00:00.000Z",
    devices: [
      {
        device: "leaf1",
        status: "drifted",
        since: "2026-11-23T12:30:00.000Z",
        diff: "-   description uplink\n+   description hacked",
        remediation: ["interface Ethernet1", "   description uplink", "username ops secret s3cr3t"],
      },
      { device: "leaf2", status: "in-sync" },
      { device: "leaf3", status: "unreachable", error: "connection refused" },
    ],
  };

  it("says per switch what differs, since when, and the remediation, secrets redacted", () => {
    const md = renderDriftMarkdown(report, { redact });
    expect(md).toContain("**1 switch drifted** from the desired state.");
    expect(md).toContain("<summary><b>leaf1</b> drifted since 2026-11-23T12:30:00.000Z</summary>");
    expect(md).toContain("+   description hacked");
    expect(md).toContain("username ops secret <redacted>");
    expect(md).not.toContain("s3cr3t");
    expect(md).toContain("- **leaf3** — unreachable: connection refused");
  });

  it("reports a self-heal outcome in one line", () => {
    const healed: RolloutResult = {
      kind: "apply",
      runId: "run-9",
      fabric: "lab",
      revision,
      outcome: "succeeded",
      startedAt: "2026-11-23T13:00:00.000Z",
      finishedAt: "2026-11-23T13:00:02.000Z",
      devices: [{ device: "leaf1", outcome: "changed", wave: 0 }],
      messages: 1,
    };
    expect(renderDriftMarkdown({ ...report, healed }, { redact })).toContain(
      "**Self-heal:** succeeded: 1 changed",
    );
  });
});

describe("renderRolloutMarkdown", () => {
  it("gives the outcome of every switch that was not already in sync", () => {
    const result: RolloutResult = {
      kind: "apply",
      runId: "run-3",
      fabric: "lab",
      revision,
      outcome: "failed",
      startedAt: "2026-11-23T13:00:00.000Z",
      finishedAt: "2026-11-23T13:00:04.500Z",
      devices: [
        { device: "leaf1", outcome: "changed", wave: 0, durationMs: 1200 },
        { device: "leaf2", outcome: "rolled-back", wave: 1, reason: "verify mismatch | vlan 10" },
        { device: "leaf3", outcome: "in-sync", wave: 1 },
      ],
      messages: 4,
      message: "verification failed on leaf2",
    };
    const md = renderRolloutMarkdown(result, { redact });
    expect(md).toContain("### Apply `0123456` (`main`) to fabric `lab`: **failed**");
    expect(md).toContain("Run `run-3` · 4.5 s · 4 XMPP messages");
    expect(md).toContain("| leaf1 | changed | 0 | 1.2 s |  |");
    expect(md).toContain("| leaf2 | rolled-back | 1 |  | verify mismatch \\| vlan 10 |");
    expect(md).not.toContain("| leaf3 | in-sync");
    expect(md).toContain("| in-sync | 1 | leaf3 |");
  });

  it("folds the per-switch table for a thousand switches", () => {
    const result: RolloutResult = {
      kind: "apply",
      runId: "run-4",
      fabric: "lab",
      revision,
      outcome: "failed",
      startedAt: "2026-11-23T13:00:00.000Z",
      finishedAt: "2026-11-23T13:10:00.000Z",
      devices: Array.from({ length: 1000 }, (_, i) => ({
        device: `leaf${i}`,
        outcome: "rolled-back" as const,
        wave: 1,
        reason: "x".repeat(100),
      })),
      messages: 1000,
    };
    const md = renderRolloutMarkdown(result, { redact, budget: 30_000 });
    expect(md.length).toBeLessThanOrEqual(30_000);
    expect(md).toContain("more switches not shown");
  });
});

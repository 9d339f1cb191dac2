import { describe, expect, it } from "vitest";
import type { Hold } from "../../../reconciler/src/pr-workflow/index.ts";
import { heldNote, holdGate } from "../../../reconciler/src/reconcile/hold-gate.ts";

const hold: Hold = {
  pullNumber: 7,
  sha: "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  by: "carol",
  runId: "r7",
  since: "2026-12-02T08:00:00.000Z",
  deferred: {
    shas: ["2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"],
    pulls: [8],
    since: "2026-12-02T09:00:00.000Z",
  },
};

describe("holdGate", () => {
  it("lets a change run when no PR holds the fabric, with nothing to journal", () => {
    expect(holdGate(undefined, { trigger: "cli" }, "apply")).toEqual({ ok: true });
  });

  it("refuses a change while a PR holds the fabric, with exit 4 and the hold (not its deferrals)", () => {
    const gate = holdGate(hold, { trigger: "cli" }, "drift healing");
    expect(gate.ok).toBe(false);
    if (gate.ok) return;
    expect(gate.refusal).toMatchObject({
      ok: false,
      code: "held",
      exitCode: 4,
      hold: { pullNumber: 7, sha: hold.sha, by: "carol", since: hold.since },
    });
    expect(gate.refusal.hold).not.toHaveProperty("deferred");
    expect(gate.refusal.message).toMatch(
      /^drift healing refused: the fabric is held by #7 \(head 1111111, applied by @carol since 2026-12-02T08:00:00.000Z\)/,
    );
  });

  it("lets an overridden change run and returns who, why and which hold for the journal", () => {
    const gate = holdGate(
      hold,
      { trigger: "cli", overrideHold: { by: "bob (cli)", reason: "INC-1" } },
      "apply",
    );
    expect(gate).toEqual({
      ok: true,
      override: { by: "bob (cli)", reason: "INC-1", pullNumber: 7, sha: hold.sha },
    });
  });

  it("an override while nothing holds the fabric is not journaled", () => {
    const gate = holdGate(undefined, { trigger: "cli", overrideHold: { by: "bob", reason: "x" } }, "apply");
    expect(gate).toEqual({ ok: true });
  });

  it("the plan note says what is refused and how the hold ends", () => {
    expect(heldNote(hold)).toBe(
      'the fabric is held by #7 (head 1111111, applied by @carol since 2026-12-02T08:00:00.000Z): `apply` and `drift --heal` are refused until #7 is merged, closed or unlocked (`/reconciler unlock`), or `--override-hold "reason"` is given',
    );
  });
});

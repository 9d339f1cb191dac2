import { describe, expect, it } from "vitest";
import {
  deferApply,
  type Hold,
  heldStatusLine,
  isDeferred,
} from "../../../reconciler/src/pr-workflow/index.ts";

const hold: Hold = {
  pullNumber: 10,
  sha: "1".repeat(40),
  by: "alice",
  runId: "run-a",
  since: "2026-12-02T10:00:00.000Z",
};
const B = "b".repeat(40);
const C = "c".repeat(40);
const at = "2026-12-02T11:00:00.000Z";
const later = "2026-12-02T12:00:00.000Z";

describe("deferring applies of the tracked branch to a fabric hold", () => {
  const cases: { name: string; steps: Parameters<typeof deferApply>[1][]; deferred: Hold["deferred"] }[] = [
    {
      name: "a push records its revision",
      steps: [{ sha: B, at }],
      deferred: { shas: [B], pulls: [], since: at },
    },
    {
      name: "a merge event records its PR and merge commit",
      steps: [{ pullNumber: 11, sha: B, at }],
      deferred: { shas: [B], pulls: [11], since: at },
    },
    {
      name: "the push and the merge event of one PR, in either order, record it once",
      steps: [
        { sha: B, at },
        { pullNumber: 11, sha: B, at: later },
      ],
      deferred: { shas: [B], pulls: [11], since: at },
    },
    {
      name: "a later push adds its revision after the first, and keeps when the wait began",
      steps: [
        { pullNumber: 11, sha: B, at },
        { sha: C, at: later },
        { sha: C, at: later },
      ],
      deferred: { shas: [B, C], pulls: [11], since: at },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = c.steps.reduce(deferApply, hold);
      expect(result).toEqual({ ...hold, deferred: c.deferred });
    });
  }

  it("keeps the newest 20 revisions", () => {
    const shas = Array.from({ length: 25 }, (_, i) => i.toString(16).padStart(40, "0"));
    const result = shas.reduce((h, sha) => deferApply(h, { sha, at }), hold);
    expect(result.deferred?.shas).toEqual(shas.slice(5));
  });

  it("tells whether a revision waits already", () => {
    const result = deferApply(hold, { sha: B, at });
    expect([isDeferred(result, B), isDeferred(result, C), isDeferred(hold, B)]).toEqual([true, false, false]);
  });

  it("says in a commit status who holds the fabric and what releases it, within GitHub's 140 characters", () => {
    const line = heldStatusLine(hold);
    expect(line).toBe(
      "not applied yet: the fabric is held by #10 (1111111, applied by @alice); applies when #10 is merged, closed or unlocked",
    );
    expect(line.length).toBeLessThanOrEqual(140);
  });
});

/**
 * The journal in segments (journal/file-journal.ts): a run reads a bounded newest segment, and what the
 * runs need of the older ones — unfinished applies, since when switches drift — survives each new one.
 */
import { appendFile, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  driftingSince,
  fileJournal,
  interruptedApplies,
  type JournalRecord,
  runHistory,
} from "../../../reconciler/src/journal/index.ts";

const base = { fabric: "lab", trigger: "schedule" as const };
const record = (
  runId: string,
  kind: JournalRecord["kind"],
  event: JournalRecord["event"],
  at: string,
  extra: Partial<JournalRecord> = {},
): JournalRecord => ({ ...base, runId, kind, event, at, pid: 1, ...extra });

/** A drift check at minute `m` that saw `drifted` drifted and every other switch of `all` in sync. */
async function driftCheck(
  journal: ReturnType<typeof fileJournal>,
  m: number,
  all: string[],
  drifted: string[],
) {
  const at = new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString();
  await journal.append(record(`d${m}`, "drift", "started", at));
  const devices = all.map((device) => ({
    device,
    outcome: drifted.includes(device) ? "drifted" : "in-sync",
  }));
  await journal.append(record(`d${m}`, "drift", "finished", at, { outcome: "drifted", devices }));
}

const DEAD_PID = 2 ** 22 + 12345; // above Linux's pid_max default: no such process
const switches = Array.from({ length: 50 }, (_, i) => `leaf${i}`);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "journal-segments-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("the journal in segments", () => {
  it("reads only the newest segment, which stays near its size however many runs were written", async () => {
    const journal = fileJournal(join(dir, "journal.jsonl"), { segmentBytes: 20_000 });
    for (let m = 0; m < 200; m++) await driftCheck(journal, m, switches, []);
    const files = (await readdir(dir)).filter((f) => f.endsWith(".jsonl")).sort();
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect((await stat(join(dir, f))).size).toBeLessThan(25_000);
    const runs = runHistory(await journal.read(), () => false);
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.length).toBeLessThan(200);
    // the newest runs, newest first; every older one is still on disk in its own segment
    expect(runs[0]!.runId).toBe("d199");
    const all = (await Promise.all(files.map((f) => readFile(join(dir, f), "utf8")))).join("");
    for (let m = 0; m < 200; m++) expect(all).toContain(`"runId":"d${m}","kind":"drift","event":"finished"`);
    // listing runs goes back through older segments as far as asked, each run once
    const listed = runHistory(await journal.readRecent(150), () => false).map((r) => r.runId);
    expect(listed.slice(0, 150)).toEqual(Array.from({ length: 150 }, (_, i) => `d${199 - i}`));
    expect(runHistory(await journal.readRecent(1000), () => false)).toHaveLength(200);
  });

  it("keeps since when each switch drifts across segments", async () => {
    const journal = fileJournal(join(dir, "journal.jsonl"), { segmentBytes: 5_000 });
    for (let m = 0; m < 5; m++) await driftCheck(journal, m, switches, []);
    // leaf1 drifts from minute 5 on, leaf2 from 20, leaf3 only at 30, leaf4 until 40
    for (let m = 5; m < 60; m++) {
      const drifted = [
        "leaf1",
        ...(m >= 20 ? ["leaf2"] : []),
        ...(m === 30 ? ["leaf3"] : []),
        ...(m < 40 ? ["leaf4"] : []),
      ];
      await driftCheck(journal, m, switches, drifted);
    }
    expect((await readdir(dir)).filter((f) => f.endsWith(".jsonl")).length).toBeGreaterThan(5);
    const since = driftingSince(await journal.read());
    expect(Object.fromEntries(since)).toEqual({
      leaf1: "2026-01-01T00:05:00.000Z",
      leaf2: "2026-01-01T00:20:00.000Z",
    });
  });

  it("carries an apply cut short into every later segment until a run finishes it", async () => {
    const journal = fileJournal(join(dir, "journal.jsonl"), { segmentBytes: 5_000 });
    const at = "2026-01-01T00:00:00.000Z";
    await journal.append(record("a1", "apply", "started", at, { pid: DEAD_PID }));
    await journal.append(
      record("a1", "apply", "step", at, {
        session: "s1",
        devices: [{ device: "leaf1", outcome: "timer-running" }],
      }),
    );
    for (let m = 1; m < 40; m++) await driftCheck(journal, m, switches, []);
    expect(interruptedApplies(await journal.read(), () => false)).toEqual([
      {
        runId: "a1",
        fabric: "lab",
        trigger: "schedule",
        session: "s1",
        devices: [{ device: "leaf1", step: "timer-running" }],
      },
    ]);
    await journal.append(record("a1", "apply", "finished", at, { outcome: "interrupted" }));
    for (let m = 40; m < 80; m++) await driftCheck(journal, m, switches, []);
    const records = await journal.read();
    expect(interruptedApplies(records, () => false)).toEqual([]);
    expect(records.some((r) => r.runId === "a1")).toBe(false);
  });

  it("reads a record written to the segment before after the next one began", async () => {
    const journal = fileJournal(join(dir, "journal.jsonl"), { segmentBytes: 2_000 });
    for (let m = 0; m < 6; m++) await driftCheck(journal, m, switches.slice(0, 5), []);
    const files = (await readdir(dir)).filter((f) => f.endsWith(".jsonl"));
    expect(files).toContain("journal.1.jsonl");
    // a process that picked the older segment just before the newer one appeared writes there
    const numbered = files
      .map((f) => ({ f, n: Number(/^journal(?:\.(\d+))?\.jsonl$/.exec(f)?.[1] ?? 0) }))
      .sort((a, b) => a.n - b.n);
    const older = numbered.at(-2)!.f;
    await appendFile(
      join(dir, older),
      `${JSON.stringify(record("late", "plan", "started", "2026-01-01T01:00:00Z"))}\n`,
    );
    const records = await journal.read();
    expect(records.filter((r) => r.runId === "late")).toHaveLength(1);
  });

  it("loses no record when two processes' journals start the next segment at the same time", async () => {
    const path = join(dir, "journal.jsonl");
    // Both have written their next segment's draft before either links it in: one link fails, and
    // that journal goes on in the segment the other made.
    let racing = false;
    let drafts = 0;
    let bothDrafted: () => void = () => undefined;
    const rendezvous = new Promise<void>((resolve) => {
      bothDrafted = resolve;
    });
    const beforeLink = async () => {
      if (!racing) return;
      if (++drafts === 2) bothDrafted();
      await rendezvous;
    };
    const first = fileJournal(path, { segmentBytes: 3_000, beforeLink });
    const second = fileJournal(path, { segmentBytes: 3_000, beforeLink });
    // a segment over its size, as another process left it
    const finished = record("d0", "drift", "finished", "2026-01-01T00:00:00Z", {
      devices: switches.map((device) => ({ device, outcome: "in-sync" })),
    });
    await appendFile(path, `${JSON.stringify(finished)}\n`.repeat(3));
    racing = true;
    await Promise.all([
      first.append(record("p1", "plan", "started", "2026-01-01T02:00:00Z")),
      second.append(record("p2", "plan", "started", "2026-01-01T02:00:00Z")),
    ]);
    expect(drafts).toBe(2);
    await Promise.all([
      first.append(record("p1", "plan", "finished", "2026-01-01T02:01:00Z", { outcome: "in-sync" })),
      second.append(record("p2", "plan", "finished", "2026-01-01T02:01:00Z", { outcome: "in-sync" })),
    ]);
    const runs = runHistory(await first.read(), () => false).map((r) => `${r.runId}:${r.outcome}`);
    expect(runs.sort()).toEqual(["p1:in-sync", "p2:in-sync"]);
    expect((await readdir(dir)).sort()).toEqual(["journal.1.jsonl", "journal.jsonl"]);
  });

  it("goes on from a journal of one file written before segments", async () => {
    const path = join(dir, "journal.jsonl");
    await appendFile(path, `${JSON.stringify(record("old", "apply", "started", "2025-12-31T00:00:00Z"))}\n`);
    await appendFile(
      path,
      `${JSON.stringify(record("old", "apply", "finished", "2025-12-31T00:01:00Z", { outcome: "succeeded" }))}\n`,
    );
    const journal = fileJournal(path, { segmentBytes: 10 });
    expect(runHistory(await journal.read(), () => false).map((r) => r.runId)).toEqual(["old"]);
    await journal.append(record("new", "plan", "started", "2026-01-01T00:00:00Z"));
    expect((await readdir(dir)).sort()).toEqual(["journal.1.jsonl", "journal.jsonl"]);
    expect(runHistory(await journal.read(), () => false).map((r) => `${r.runId}:${r.outcome}`)).toEqual([
      "new:interrupted",
    ]);
  });
});

import { appendFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  driftingSince,
  fileJournal,
  type JournalRecord,
  runHistory,
} from "../../../reconciler/src/journal/index.ts";
import { fileLocks, LockHeldError } from "../../../reconciler/src/lock/index.ts";

const base = { fabric: "lab", trigger: "cli" as const };
const started = (runId: string, pid: number, at: string): JournalRecord => ({
  ...base,
  runId,
  kind: "apply",
  event: "started",
  at,
  pid,
});
const finished = (
  runId: string,
  outcome: string,
  at: string,
  devices?: JournalRecord["devices"],
  kind: JournalRecord["kind"] = "apply",
): JournalRecord => ({
  ...base,
  runId,
  kind,
  event: "finished",
  at,
  pid: 1,
  outcome,
  devices,
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "journal-test-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("journal", () => {
  it("appends records and reads them back in order, skipping a torn last line", async () => {
    const journal = fileJournal(join(dir, "state", "journal.jsonl"));
    await journal.append(started("r1", 10, "2026-01-01T00:00:00Z"));
    await journal.append(finished("r1", "succeeded", "2026-01-01T00:01:00Z"));
    await appendFile(join(dir, "state", "journal.jsonl"), '{"runId":"r2","kind":"ap');
    expect((await journal.read()).map((r) => `${r.runId}:${r.event}`)).toEqual(["r1:started", "r1:finished"]);
  });

  it("writes records appended at once together, in the order they were appended", async () => {
    const path = join(dir, "state", "journal.jsonl");
    const journal = fileJournal(path);
    const runs = Array.from({ length: 300 }, (_, i) => `r${i}`);
    await Promise.all(runs.map((r, i) => journal.append(started(r, i, "2026-01-01T00:00:00Z"))));
    await journal.append(finished("last", "succeeded", "2026-01-01T00:01:00Z"));
    expect((await journal.read()).map((r) => r.runId)).toEqual([...runs, "last"]);
  });

  it("fails every record of a write that could not reach the disk, with the journal's path", async () => {
    await writeFile(join(dir, "state"), "a file where the state folder should be");
    const journal = fileJournal(join(dir, "state", "journal.jsonl"));
    const writes = [1, 2, 3].map((i) => journal.append(started(`r${i}`, i, "2026-01-01T00:00:00Z")));
    for (const write of writes) await expect(write).rejects.toMatchObject({ code: "journal-unwritable" });
    await rm(join(dir, "state"));
    await journal.append(started("after", 1, "2026-01-01T00:00:00Z"));
    expect((await journal.read()).map((r) => r.runId)).toEqual(["after"]);
  });

  it("marks a run whose process died before finishing as interrupted, and a live one as running", () => {
    const records = [
      started("r1", 111, "t1"),
      finished("r1", "succeeded", "t2"),
      started("r2", 222, "t3"),
      started("r3", 333, "t4"),
    ];
    const runs = runHistory(records, (pid) => pid === 333);
    expect(runs.map((r) => [r.runId, r.outcome])).toEqual([
      ["r3", "running"],
      ["r2", "interrupted"],
      ["r1", "succeeded"],
    ]);
  });

  it("says since when a switch has drifted without a break", () => {
    const records = [
      finished("d1", "drift", "t1", [{ device: "leaf1", outcome: "in-sync" }], "drift"),
      finished(
        "d2",
        "drift",
        "t2",
        [
          { device: "leaf1", outcome: "drifted" },
          { device: "leaf2", outcome: "drifted" },
        ],
        "drift",
      ),
      finished(
        "d3",
        "drift",
        "t3",
        [
          { device: "leaf1", outcome: "drifted" },
          { device: "leaf2", outcome: "in-sync" },
        ],
        "drift",
      ),
    ];
    expect(driftingSince(records)).toEqual(new Map([["leaf1", "t2"]]));
  });
});

describe("fabric lock", () => {
  it("refuses a second holder and names the first", async () => {
    const lock = fileLocks(join(dir, "locks"));
    const first = await lock.acquire("fab", "run-a");
    await expect(lock.acquire("fab", "run-b")).rejects.toThrow(/lock of fabric fab: run run-a, pid \d+/);
    await expect(lock.acquire("fab", "run-b")).rejects.toBeInstanceOf(LockHeldError);
    expect(await lock.holder("fab")).toMatchObject({ fabric: "fab", runId: "run-a", pid: process.pid });
    // another fabric is another lock
    const other = await lock.acquire("other", "run-x");
    await other.release();
    await first.release();
    expect(await lock.holder("fab")).toBeUndefined();
    const second = await lock.acquire("fab", "run-b");
    await second.release();
  });

  it("takes over a lock whose process is gone", async () => {
    const path = join(dir, "locks", "fab.lock");
    await mkdir(join(dir, "locks"), { recursive: true });
    const { hostname } = await import("node:os");
    await writeFile(
      path,
      JSON.stringify({
        pid: 2 ** 22 + 12345,
        host: hostname(),
        runId: "dead",
        acquiredAt: new Date().toISOString(),
      }),
    );
    const handle = await fileLocks(join(dir, "locks")).acquire("fab", "run-c");
    expect(handle.holder.runId).toBe("run-c");
    await handle.release();
  });

  it("takes over a lock older than the stale limit", async () => {
    const path = join(dir, "locks", "fab.lock");
    await mkdir(join(dir, "locks"), { recursive: true });
    await writeFile(
      path,
      JSON.stringify({
        pid: process.pid,
        host: "other-host",
        runId: "old",
        acquiredAt: "2020-01-01T00:00:00Z",
      }),
    );
    const handle = await fileLocks(join(dir, "locks"), 60_000).acquire("fab", "run-d");
    expect(handle.holder.runId).toBe("run-d");
    await handle.release();
  });
});

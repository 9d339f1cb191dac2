import { randomBytes } from "node:crypto";
import { link, mkdir, open, readdir, readFile, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { checkpointOf } from "./checkpoint.ts";
import { JournalWriteError } from "./errors.ts";
import type { Journal, JournalRecord } from "./types.ts";

interface Waiting {
  record: JournalRecord;
  line: string;
  done: (error?: JournalWriteError) => void;
}

/**
 * A segment grows to about this size before the next run starts a new one: a run reads only the
 * newest segment, so what it reads stays bounded (a 15-minute drift check of 2,000 switches writes
 * 80 kB; a single file of a month of them took 4.3 s and 800 MiB to read, issue 14).
 */
export const SEGMENT_BYTES = 8 * 2 ** 20;

/**
 * JSON lines, appended with O_APPEND and flushed to disk (fsync) before append() resolves: a record the
 * rollout wrote before its next step survives a crash or a power cut; a kill loses at most the line
 * being written. A failed write is a JournalWriteError.
 *
 * Group commit: records appended while a write is on its way to the disk go out together in the next
 * write and share its fsync. A rollout of 2,000 switches records each switch's steps as they happen;
 * one fsync per record queued them behind each other and held every switch's next step (issue 14).
 *
 * Segments: `journal.jsonl`, then `journal.1.jsonl`, `journal.2.jsonl` …, each appended to until a run
 * starts when it is over `segmentBytes`. The next segment opens with a checkpoint (checkpoint.ts) and
 * the records of the runs not finished yet; `read()` returns the newest segment only. Segments are never
 * renamed or rewritten, so processes appending at the same time need no lock: a record written to a
 * segment after the next one began is read from there (the checkpoint says where that segment ended).
 * Older segments stay on disk as the full history.
 */
export function fileJournal(
  path: string,
  options: {
    segmentBytes?: number;
    /** Runs after a new segment's draft is on disk, before it is linked in (tests race two journals here). */
    beforeLink?: () => Promise<void>;
  } = {},
): Journal {
  const segmentBytes = options.segmentBytes ?? SEGMENT_BYTES;
  const dir = dirname(path);
  const base = basename(path, ".jsonl");
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:\\.(\\d+))?\\.jsonl$`);
  const segmentName = (n: number) => (n === 0 ? `${base}.jsonl` : `${base}.${n}.jsonl`);
  let queued: Waiting[] = [];
  let draining = false;
  let folderMade = false;

  /** The segments' numbers, oldest first. */
  async function segments(): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return names
      .map((name) => pattern.exec(name))
      .filter((m) => m !== null)
      .map((m) => Number(m[1] ?? 0))
      .sort((a, b) => a - b);
  }

  async function writeAll(batch: Waiting[]): Promise<void> {
    if (!folderMade) {
      await mkdir(dir, { recursive: true, mode: 0o700 }); // the state dir holds run records: owner only
      folderMade = true;
    }
    let n = (await segments()).at(-1) ?? 0;
    // A run starts in a segment of bounded size; steps of runs under way never wait for a new one.
    if (
      batch.some((w) => w.record.event === "started") &&
      (await sizeOf(join(dir, segmentName(n)))) > segmentBytes
    )
      n = await startSegment(n);
    const file = await open(join(dir, segmentName(n)), "a");
    try {
      await file.appendFile(batch.map((w) => w.line).join(""), "utf8");
      await file.sync();
    } finally {
      await file.close();
    }
  }

  /** Begins segment n + 1 (unless another process just did); returns the newest segment's number. */
  async function startSegment(n: number): Promise<number> {
    const { records, bytes } = await readSegment(n);
    const next = join(dir, segmentName(n + 1));
    const lines = checkpointOf(records, new Date().toISOString(), { segment: segmentName(n), bytes });
    const draft = `${next}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
    const file = await open(draft, "wx", 0o600);
    try {
      await file.appendFile(lines.map((r) => `${JSON.stringify(r)}\n`).join(""), "utf8");
      await file.sync();
    } finally {
      await file.close();
    }
    await options.beforeLink?.();
    try {
      // link, not rename: it fails where the segment exists, so a segment is never replaced
      await link(draft, next);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      await unlink(draft).catch(() => undefined);
    }
    return (await segments()).at(-1) ?? n + 1;
  }

  /**
   * The records of segment n as runs see them: its checkpoint and the records carried with it, then
   * what reached the segment before it after the checkpoint was taken, then its own records. `bytes`:
   * where its last whole line ends.
   */
  async function readSegment(n: number): Promise<{ records: JournalRecord[]; bytes: number }> {
    const text = await readText(join(dir, segmentName(n)));
    const records = parseLines(text);
    const bytes = Buffer.byteLength(text.slice(0, text.lastIndexOf("\n") + 1));
    const head = records[0];
    if (head?.event !== "checkpoint" || !head.carriedFrom) return { records, bytes };
    const before = await readText(join(dir, head.carriedFrom.segment), head.carriedFrom.bytes);
    const carried = 1 + (head.carried ?? 0);
    return {
      records: [...records.slice(0, carried), ...parseLines(before), ...records.slice(carried)],
      bytes,
    };
  }

  async function drain(): Promise<void> {
    while (queued.length > 0) {
      const batch = queued;
      queued = [];
      try {
        await writeAll(batch);
        for (const w of batch) w.done();
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        for (const w of batch) w.done(new JournalWriteError(path, code, error));
      }
    }
    draining = false;
  }

  return {
    append(record) {
      const line = `${JSON.stringify(record)}\n`;
      return new Promise<void>((resolve, reject) => {
        queued.push({ record, line, done: (error) => (error ? reject(error) : resolve()) });
        if (!draining) {
          draining = true;
          void drain();
        }
      });
    },
    async read() {
      const newest = (await segments()).at(-1);
      return newest === undefined ? [] : (await readSegment(newest)).records;
    },
    async readRecent(runs) {
      const numbers = await segments();
      const newest = numbers.pop();
      if (newest === undefined) return [];
      let records = (await readSegment(newest)).records;
      const started = () => records.filter((r) => r.event === "started").length;
      while (numbers.length > 0 && started() < runs) {
        records = [...parseLines(await readText(join(dir, segmentName(numbers.pop()!)))), ...records];
      }
      // a carried or late record is in two segments: keep its first
      const seen = new Set<string>();
      return records.filter((r) => {
        const key = JSON.stringify(r);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    },
  };
}

/**
 * A file's text from byte `from` on; "" when it does not exist. Only that part is read: the tail of the
 * segment before the newest (what reached it after the checkpoint) is nearly always empty.
 */
async function readText(path: string, from = 0): Promise<string> {
  if (from === 0) {
    try {
      return await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
      throw error;
    }
  }
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
  try {
    const length = Math.max(0, (await file.stat()).size - from);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, from);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await file.close();
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
}

function parseLines(text: string): JournalRecord[] {
  const records: JournalRecord[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch {
      // A torn last line from a killed process: the run it belonged to shows as interrupted.
    }
  }
  return records;
}

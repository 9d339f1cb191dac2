import { mkdir, open, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { JournalWriteError } from "./errors.ts";
import type { Journal, JournalRecord } from "./types.ts";

interface Waiting {
  line: string;
  done: (error?: JournalWriteError) => void;
}

/**
 * JSON lines, appended with O_APPEND and flushed to disk (fsync) before append() resolves: a record the
 * rollout wrote before its next step survives a crash or a power cut; a kill loses at most the line
 * being written. A failed write is a JournalWriteError.
 *
 * Group commit: records appended while a write is on its way to the disk go out together in the next
 * write and share its fsync. A rollout of 2,000 switches records each switch's steps as they happen;
 * one fsync per record queued them behind each other and held every switch's next step (issue 14).
 */
export function fileJournal(path: string): Journal {
  let queued: Waiting[] = [];
  let draining = false;
  let folderMade = false;

  async function writeAll(batch: Waiting[]): Promise<void> {
    if (!folderMade) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 }); // the state dir holds run records: owner only
      folderMade = true;
    }
    const file = await open(path, "a");
    try {
      await file.appendFile(batch.map((w) => w.line).join(""), "utf8");
      await file.sync();
    } finally {
      await file.close();
    }
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
        queued.push({ line, done: (error) => (error ? reject(error) : resolve()) });
        if (!draining) {
          draining = true;
          void drain();
        }
      });
    },
    async read() {
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
      }
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
    },
  };
}

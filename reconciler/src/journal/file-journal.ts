import { mkdir, open, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { JournalWriteError } from "./errors.ts";
import type { Journal, JournalRecord } from "./types.ts";

/**
 * JSON lines, appended with O_APPEND and flushed to disk (fsync) before append() resolves: a record the
 * rollout wrote before its next step survives a crash or a power cut; a kill loses at most the line
 * being written. A failed write is a JournalWriteError.
 */
export function fileJournal(path: string): Journal {
  return {
    async append(record) {
      try {
        await mkdir(dirname(path), { recursive: true, mode: 0o700 }); // the state dir holds run records: owner only
        const file = await open(path, "a");
        try {
          await file.appendFile(`${JSON.stringify(record)}\n`, "utf8");
          await file.sync();
        } finally {
          await file.close();
        }
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        throw new JournalWriteError(path, code, error);
      }
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

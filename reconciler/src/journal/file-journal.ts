import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Journal, JournalRecord } from "./types.ts";

/** JSON lines, appended with O_APPEND: a crash loses at most the line being written. */
export function fileJournal(path: string): Journal {
  return {
    async append(record) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 }); // the state dir holds run records: owner only
      await appendFile(path, `${JSON.stringify(record)}\n`, { encoding: "utf8", flag: "a" });
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

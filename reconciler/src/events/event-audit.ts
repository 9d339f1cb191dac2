import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";

/** What became of one event (DESIGN §12: every decision is journaled). */
export type EventOutcome =
  | "ignored"
  | "duplicate"
  | "rate-limited"
  | "refused"
  | "proposed"
  | "applied"
  | "failed";

export interface EventRecord {
  at: string;
  outcome: EventOutcome;
  /** Why, for every outcome but proposed and applied: "unknown-source", "outside-prefixes", … */
  reason?: string;
  detail?: string;
  transport: string;
  source: string;
  device?: string;
  rule?: string;
  key?: string;
  /** The log line of a change: "adding neighbor 192.0.2.2 to group INTERNAL on leaf3". */
  summary?: string;
  branch?: string;
  sha?: string;
  pullRequest?: { number: number; url: string };
  runId?: string;
  /** How many identical decisions this record stands for (a flood is one record per minute). */
  repeats?: number;
}

export interface EventAudit {
  append(record: EventRecord): Promise<void>;
  read(): Promise<EventRecord[]>;
}

/** One JSON line per decision in the fabric's state dir (`events.jsonl`), next to the run journal. */
export function fileEventAudit(path: string): EventAudit {
  return {
    async append(record) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await appendFile(path, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    },
    async read() {
      const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return "";
        throw error;
      });
      return text
        .split("\n")
        .filter((line) => line.trim() !== "")
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as EventRecord];
          } catch {
            return [];
          }
        });
    },
  };
}

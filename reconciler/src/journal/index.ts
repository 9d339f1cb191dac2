export { fileJournal } from "./file-journal.ts";
export { driftingSince, isProcessAlive, type RunHistoryEntry, runHistory } from "./history.ts";
export type { Journal, JournalRecord, RunKind } from "./types.ts";

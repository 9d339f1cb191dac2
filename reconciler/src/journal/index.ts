export { JournalWriteError } from "./errors.ts";
export { fileJournal } from "./file-journal.ts";
export { driftingSince, isProcessAlive, type RunHistoryEntry, runHistory } from "./history.ts";
export { type InterruptedApply, interruptedApplies, isPendingStep } from "./steps.ts";
export type { Journal, JournalRecord, RunKind, SwitchStep } from "./types.ts";

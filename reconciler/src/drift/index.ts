export { buildDriftReport, type DriftInput } from "./drift-report.ts";
export { managedDiff } from "./managed-diff.ts";
export { type ScopeDiffs, type SectionDiff, scopeDiffs } from "./scope-diffs.ts";
export * from "./types.ts";

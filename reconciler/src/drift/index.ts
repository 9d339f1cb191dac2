export { buildDriftReport, type DriftInput } from "./drift-report.ts";
export { diffableText, managedDiff } from "./managed-diff.ts";
export { type SectionDiff, sectionDiffs } from "./section-diffs.ts";
export * from "./types.ts";

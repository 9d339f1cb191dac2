export { buildDriftReport, type DriftInput } from "./drift-report.ts";
export { diffableText, managedDiff } from "./managed-diff.ts";
export * from "./types.ts";

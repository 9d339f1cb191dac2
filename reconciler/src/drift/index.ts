export { buildDriftReport, type DriftInput } from "./drift-report.ts";
export { managedDiff } from "./managed-diff.ts";
export * from "./types.ts";

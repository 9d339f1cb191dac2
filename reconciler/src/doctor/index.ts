/** `reconciler doctor`: a live deployment's posture, checked from outside (server, rooms, switches, this host). */
export { CHECKS, type DoctorCheck, evaluateChecks } from "./checks.ts";
export { renderDoctorText } from "./render.ts";
export { type DoctorOptions, runDoctor } from "./run.ts";
export type { CheckResult, CheckStatus, DoctorReport, Observations, SettingsSource } from "./types.ts";

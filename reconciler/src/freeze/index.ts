export { fixedClock, systemClock } from "./clock.ts";
export { decideFreeze, describeFreeze, frozenMessage, frozenStatusLine } from "./decision.ts";
export type { ActiveFreeze, Clock, FreezeDecision, FreezeOverride, FreezeWindow } from "./types.ts";
export { activeFreezes, formatInZone, freezeWindowProblem, localInstant } from "./windows.ts";

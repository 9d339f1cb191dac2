export { splitBlocks } from "./blocks.ts";
export { buildPlan, type DevicePart, type Observation, type PlanInput, planDevice } from "./build-plan.ts";
export { factorByGroup } from "./factor-groups.ts";
export { runningConfigHash } from "./hash.ts";
export { roomsInRunningConfig } from "./rooms.ts";
export * from "./types.ts";
export { planWaves } from "./waves.ts";

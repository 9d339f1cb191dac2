/** Terminal renderings of the run results. Reporters never recompute: they render the result types. */

export { plural } from "./markdown-blocks.ts";
export { type Style, shortSha, styleFor } from "./style.ts";
export { renderDriftText } from "./text-drift.ts";
export { renderHistoryText } from "./text-history.ts";
export { renderPlanText } from "./text-plan.ts";
export { renderRolloutText } from "./text-rollout.ts";
export { renderStatusText } from "./text-status.ts";

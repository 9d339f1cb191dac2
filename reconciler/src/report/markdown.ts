/** Markdown renderings of the run results, for PR comments, `--markdown` and the Actions job summary. */
export {
  DEFAULT_COMMENT_BUDGET,
  GITHUB_COMMENT_LIMIT,
  type MarkdownOptions,
} from "./markdown-blocks.ts";
export { renderDriftMarkdown } from "./markdown-drift.ts";
export { renderPlanMarkdown } from "./markdown-plan.ts";
export { renderErrorsMarkdown, renderRefusalMarkdown } from "./markdown-refusal.ts";
export { renderRolloutMarkdown, rolloutOneLine } from "./markdown-rollout.ts";

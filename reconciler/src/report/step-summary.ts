import type { FabricError } from "../fabric/types.ts";
import type { Plan } from "../plan/types.ts";
import { assembleWithinBudget, escapeHtml, type MarkdownOptions, tableCell } from "./markdown-blocks.ts";
import { renderPlanMarkdown } from "./markdown-plan.ts";

/**
 * GitHub caps a step summary at 1 MiB of UTF-8. One UTF-16 unit is at most 3 UTF-8 bytes (a
 * surrogate pair is 2 units for 4 bytes), so this many JS characters always fit.
 */
export const STEP_SUMMARY_BUDGET = Math.floor((1024 * 1024) / 3) - 1_000;

export interface StepSummaryInput {
  /** Validation errors: all of them, since the annotations on the diff stop at 10 per step. */
  errors?: FabricError[];
  plan?: Plan;
  /** Why the gate failed, when it did (invalid input, policy, unreachable, changes not allowed). */
  failure?: string;
}

/** The job summary of the CI gate: verdict, every validation error, then the plan. */
export function renderStepSummary(input: StepSummaryInput, options: MarkdownOptions): string {
  const budget = options.budget ?? STEP_SUMMARY_BUDGET;
  const errors = input.errors ?? [];
  const verdict = input.failure
    ? `## Reconciler gate: failed\n\n> [!CAUTION]\n> ${tableCell(input.failure)}`
    : "## Reconciler gate: passed";
  const parts = [verdict];
  if (errors.length > 0) {
    const rows = errors.map((e) => ({
      name: `${e.position.file}:${e.position.line}`,
      text:
        `| \`${tableCell(e.position.file)}:${e.position.line}:${e.position.col}\` | \`${e.code}\` | ` +
        `${tableCell(escapeHtml(e.message))} | ${tableCell(escapeHtml(e.hint))} |`,
    }));
    const head = `### ${errors.length} validation error${errors.length === 1 ? "" : "s"}\n\n| Where | Code | Problem | Fix |\n| --- | --- | --- | --- |`;
    parts.push(
      assembleWithinBudget(head, rows, "", {
        budget: Math.floor(budget / 4),
        noun: ["error", "errors"],
        separator: "\n",
        limitName: "the 1 MiB job summary limit",
        reportUrl: options.reportUrl,
      }),
    );
  }
  const used = parts.join("\n\n").length + 2;
  if (input.plan) {
    parts.push(renderPlanMarkdown(input.plan, { ...options, budget: budget - used }));
  }
  return `${parts.join("\n\n")}\n`;
}

import type { FabricError } from "../fabric/types.ts";
import type { Plan } from "../plan/types.ts";
import { type MarkdownOptions, tableCell } from "./markdown-blocks.ts";
import { renderPlanMarkdown } from "./markdown-plan.ts";
import { renderErrorsMarkdown } from "./markdown-refusal.ts";

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
    parts.push(
      renderErrorsMarkdown(errors, {
        ...options,
        budget: Math.floor(budget / 4),
        limitName: "the 1 MiB job summary limit",
      }),
    );
  }
  const used = parts.join("\n\n").length + 2;
  if (input.plan) {
    parts.push(renderPlanMarkdown(input.plan, { ...options, budget: budget - used }));
  }
  return `${parts.join("\n\n")}\n`;
}

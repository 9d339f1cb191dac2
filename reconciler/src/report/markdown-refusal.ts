import type { FabricError } from "../fabric/types.ts";
import { formatInZone } from "../freeze/index.ts";
import type { RunRefusal } from "../reconcile/types.ts";
import { createRedactor } from "../redaction/index.ts";
import {
  assembleWithinBudget,
  DEFAULT_COMMENT_BUDGET,
  escapeHtml,
  type MarkdownOptions,
  revisionLabel,
  tableCell,
} from "./markdown-blocks.ts";

/** A redactor that holds no values: what prose gets when the caller names no process redactor. */
const formatsOnly = createRedactor().redactValues;

/** Every input error as a table row (file:line:col, code, problem, fix), folded within the budget. */
export function renderErrorsMarkdown(
  errors: FabricError[],
  options: MarkdownOptions & { limitName?: string },
): string {
  const head =
    `#### ${errors.length} input error${errors.length === 1 ? "" : "s"}\n\n` +
    "| Where | Code | Problem | Fix |\n| --- | --- | --- | --- |";
  const prose = options.redactValues ?? formatsOnly;
  const rows = errors.map((e) => ({
    name: `${e.position.file}:${e.position.line}`,
    text:
      `| \`${tableCell(e.position.file)}:${e.position.line}:${e.position.col}\` | \`${e.code}\` | ` +
      `${tableCell(escapeHtml(prose(e.message)))} | ${tableCell(escapeHtml(prose(e.hint)))} |`,
  }));
  return assembleWithinBudget(head, rows, "", {
    budget: options.budget ?? DEFAULT_COMMENT_BUDGET,
    noun: ["error", "errors"],
    separator: "\n",
    reportUrl: options.reportUrl,
    limitName: options.limitName,
  });
}

/** A run that could not start (invalid input, lock held, server unreachable …), for a PR comment. */
export function renderRefusalMarkdown(
  refusal: RunRefusal,
  what: "Plan" | "Apply" | "Drift check",
  options: MarkdownOptions,
): string {
  const at = refusal.revision ? ` at ${revisionLabel(refusal.revision)}` : "";
  const head = `### ${what}${at} could not run: \`${refusal.code}\`\n\n> ${tableCell((options.redactValues ?? formatsOnly)(refusal.message))}`;
  const errors = refusal.errors ?? [];
  if (refusal.freeze?.length) return `${head}\n\n${freezeTable(refusal.freeze)}`;
  if (errors.length === 0) return head;
  const budget = (options.budget ?? DEFAULT_COMMENT_BUDGET) - head.length - 2;
  return `${head}\n\n${renderErrorsMarkdown(errors, { ...options, budget })}`;
}

/** The windows in force: which, until when (in the window's own zone and as UTC), and why. */
function freezeTable(windows: NonNullable<RunRefusal["freeze"]>): string {
  const rows = windows.map(
    (w) =>
      `| ${tableCell(escapeHtml(w.name))} | ${formatInZone(new Date(w.until), w.timeZone)} (\`${w.until}\`) | ${tableCell(escapeHtml(w.reason))} |`,
  );
  return [
    "| Change freeze | Until | Why |",
    "| --- | --- | --- |",
    ...rows,
    "",
    `An emergency change needs the \`freeze-override\` label and an admin's \`/reconciler apply <reason>\` comment (or \`reconciler apply --override-freeze "reason"\`); the journal records who and why.`,
  ].join("\n");
}

import { escapeHtml } from "../report/markdown-blocks.ts";
import type { RecentRun } from "./recent-runs.ts";

/** The service's status page: recent runs and their full reports. Plain HTML, no scripts, no assets. */
export interface StatusPageInput {
  repo: string;
  branch: string;
  current?: string;
  runs: RecentRun[];
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;max-width:72rem;color:#1b1f23}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #ddd}
.ok{color:#1a7f37}.bad{color:#cf222e}pre{background:#f6f8fa;padding:1rem;overflow:auto}code{font-size:13px}`;

const GOOD = new Set(["succeeded", "nothing-to-do", "no-changes", "changes", "in-sync", "duplicate"]);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export function renderStatusPage(input: StatusPageInput): string {
  const rows = input.runs
    .map((run) => {
      const outcome = run.outcome ?? "running";
      const cls = run.outcome === undefined ? "" : GOOD.has(outcome) ? "ok" : "bad";
      return `<tr><td><a href="runs/${encodeURIComponent(run.id)}">${escapeHtml(run.id)}</a></td><td>${escapeHtml(run.kind)}</td><td>${escapeHtml(run.trigger)}${run.pullNumber ? ` #${run.pullNumber}` : ""}</td><td><code>${escapeHtml((run.sha ?? "").slice(0, 10))}</code></td><td>${escapeHtml(run.startedAt)}</td><td class="${cls}">${escapeHtml(outcome)}</td><td>${escapeHtml(run.summary ?? "")}</td></tr>`;
    })
    .join("");
  const table = input.runs.length
    ? `<table><thead><tr><th>Run</th><th>Kind</th><th>Trigger</th><th>Revision</th><th>Started</th><th>Outcome</th><th>Summary</th></tr></thead><tbody>${rows}</tbody></table>`
    : "<p>No runs yet.</p>";
  return page(
    `reconciler: ${input.repo}`,
    `<h1>fabric reconciler</h1><p>Tracking <code>${escapeHtml(input.repo)}</code> branch <code>${escapeHtml(input.branch)}</code>. ${input.current ? `Running now: <b>${escapeHtml(input.current)}</b>.` : "Idle."}</p><h2>Recent runs</h2>${table}`,
  );
}

export function renderRunPage(run: RecentRun): string {
  return page(
    `reconciler run ${run.id}`,
    `<p><a href="../">← all runs</a></p><h1>${escapeHtml(run.kind)} run ${escapeHtml(run.id)}</h1><p>Trigger ${escapeHtml(run.trigger)}${run.sha ? `, revision <code>${escapeHtml(run.sha)}</code>` : ""}, started ${escapeHtml(run.startedAt)}${run.finishedAt ? `, finished ${escapeHtml(run.finishedAt)}` : ""}: <b>${escapeHtml(run.outcome ?? "running")}</b>.</p>${run.summary ? `<p>${escapeHtml(run.summary)}</p>` : ""}<pre><code>${escapeHtml(run.report ?? "The report appears when the run ends.")}</code></pre>`,
  );
}

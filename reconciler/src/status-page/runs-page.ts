import type { RecentRun } from "../server/recent-runs.ts";
import { esc, page, seg, shortRev, time } from "./html.ts";

const GOOD = new Set(["succeeded", "nothing-to-do", "no-changes", "changes", "in-sync", "duplicate"]);

/** The runs table; `root` is the path from the page it sits on to the site root. */
export function runsTable(runs: RecentRun[], root: string): string {
  if (runs.length === 0) return "<p>No runs yet.</p>";
  const rows = runs
    .map((run) => {
      const outcome = run.outcome ?? "running";
      const cls = run.outcome === undefined ? "" : GOOD.has(outcome) ? "cell-ok" : "del";
      return `<tr><td><a href="${root}runs/${seg(run.id)}">${esc(run.id)}</a></td><td>${esc(run.kind)}</td><td>${esc(run.trigger)}${run.pullNumber ? ` #${esc(run.pullNumber)}` : ""}</td><td><code>${esc(shortRev(run.sha))}</code></td><td>${time(run.startedAt)}</td><td class="${cls}">${esc(outcome)}</td><td>${esc(run.summary ?? "")}</td></tr>`;
    })
    .join("");
  return `<table id="runs"><caption class="sr">Recent runs</caption><thead><tr><th scope="col">Run</th><th scope="col">Kind</th><th scope="col">Trigger</th><th scope="col">Revision</th><th scope="col">Started</th><th scope="col">Outcome</th><th scope="col">Summary</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderRunsPage(repo: string, runs: RecentRun[]): string {
  return page(
    { title: `reconciler runs: ${repo}`, root: "" },
    `<h1>Recent runs</h1><p>The service keeps the last ${esc(runs.length)} here; the journal on disk has them all (<code>reconciler history</code>).</p>${runsTable(runs, "")}`,
  );
}

/** One run: its full report (already redacted) and links to the switches it touched. */
export function renderRunPage(run: RecentRun): string {
  const touched = run.devices?.length
    ? `<h2>Switches</h2><ul>${run.devices.map((d) => `<li><a href="../switches/${seg(d)}">${esc(d)}</a></li>`).join("")}</ul>`
    : "";
  return page(
    { title: `reconciler run ${run.id}`, root: "../", live: run.outcome === undefined },
    `<p><a href="../runs">← all runs</a></p><h1>${esc(run.kind)} run ${esc(run.id)}</h1><p>Trigger ${esc(run.trigger)}${run.pullNumber ? ` (PR #${esc(run.pullNumber)})` : ""}${run.sha ? `, revision <code>${esc(run.sha)}</code>` : ""}, started ${time(run.startedAt)}${run.finishedAt ? `, finished ${time(run.finishedAt)}` : ""}: <b>${esc(run.outcome ?? "running")}</b>.</p>${run.summary ? `<p>${esc(run.summary)}</p>` : ""}${touched}<h2>Report</h2><pre><code>${esc(run.report ?? "The report appears when the run ends.")}</code></pre>`,
  );
}

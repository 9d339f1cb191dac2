import type { FabricView } from "../status/index.ts";
import { esc, seg, shortRev, time } from "./html.ts";

/**
 * The fabric hold, near the top of `/`: which PR holds the fabric with which revision, who applied it
 * and since when, and the applies of the tracked branch that wait for it. Absent when nothing holds.
 */
export function holdPanel(view: FabricView): string {
  const hold = view.hold;
  if (!hold) return "";
  const deferred = hold.deferred;
  const waiting = deferred
    ? `<p id="hold-deferred">Applies of <code>${esc(view.branch)}</code> waiting since ${time(deferred.since)}: ${
        deferred.shas.map((sha) => `<code>${esc(shortRev(sha))}</code>`).join(", ") ||
        '<span class="muted">no revision yet</span>'
      }${deferred.pulls.length > 0 ? `; merged meanwhile: ${deferred.pulls.map((n) => `PR #${esc(n)}`).join(", ")}` : ""}. They are applied when the hold ends.</p>`
    : `<p id="hold-deferred" class="muted">No apply of <code>${esc(view.branch)}</code> is waiting.</p>`;
  return `<section id="hold" aria-labelledby="hold-heading"><h2 id="hold-heading">Fabric held by PR #${esc(hold.pullNumber)}</h2><dl><dt>Applied revision</dt><dd><code>${esc(shortRev(hold.sha))}</code></dd><dt>Applied by</dt><dd>@${esc(hold.by)}</dd><dt>Since</dt><dd>${time(hold.since)}</dd><dt>Run</dt><dd><a href="runs/${seg(hold.runId)}"><code>${esc(hold.runId)}</code></a></dd></dl><p>Its change is on the switches but not merged. Other PRs are not applied, and applies of <code>${esc(view.branch)}</code> wait, until PR #${esc(hold.pullNumber)} is merged, closed or unlocked (<code>/reconciler unlock</code>).</p>${waiting}</section>`;
}

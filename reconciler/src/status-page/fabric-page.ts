import type { RecentRun } from "../server/recent-runs.ts";
import type { FabricView, SwitchStatus } from "../status/index.ts";
import { eventsSection } from "./events-table.ts";
import { holdPanel } from "./hold-panel.ts";
import { esc, page, seg, shortRev, stateBadge, stateLabel, time } from "./html.ts";
import { runsTable } from "./runs-page.ts";

/** Which switches the operator asked to see (query string, so the filter works without JavaScript). */
export interface FabricFilter {
  state?: string;
  group?: string;
  /** A part of the switch name. */
  q?: string;
}

const STATES = ["in-sync", "drifted", "changes", "unreachable", "unplannable", "unknown"] as const;

export function matchesFilter(s: SwitchStatus, filter: FabricFilter): boolean {
  if (filter.state && s.state !== filter.state) return false;
  if (filter.group && !s.groups.includes(filter.group)) return false;
  if (filter.q && !s.device.toLowerCase().includes(filter.q.toLowerCase())) return false;
  return true;
}

/** `/`: every switch by group with its state, a compliance matrix, and the recent runs. */
export function renderFabricPage(view: FabricView, filter: FabricFilter, runs: RecentRun[]): string {
  const shown = view.switches.filter((s) => matchesFilter(s, filter));
  const byName = new Map(shown.map((s) => [s.device, s]));
  const title = `reconciler: ${view.repo}`;
  const body = [
    `<h1>Fabric ${esc(view.fabric ?? view.repo)}</h1>`,
    `<p>Tracking <code>${esc(view.repo)}</code> branch <code>${esc(view.branch)}</code>${view.revision ? ` at <code>${esc(shortRev(view.revision))}</code>` : ""}; updated ${time(view.updatedAt)}.</p>`,
    countsList(view),
    holdPanel(view),
    livePanel(view),
    filterForm(view, filter),
    view.switches.length === 0
      ? "<p>No switch has been checked yet: the first plan, drift check or apply fills this page.</p>"
      : view.groups
          .map((g) => switchTable(g.name, g.members.map((m) => byName.get(m)).filter(isSwitch)))
          .join(""),
    complianceMatrix(view, shown),
    `<h2 id="runs-heading">Recent runs</h2>${runsTable(runs.slice(0, 10), "")}<p><a href="runs">All recent runs</a></p>`,
    eventsSection(view.events, ""),
  ].join("");
  return page({ title, root: "", live: true }, body);
}

function isSwitch(s: SwitchStatus | undefined): s is SwitchStatus {
  return s !== undefined;
}

function countsList(view: FabricView): string {
  const items = [
    ["switches", view.counts.switches],
    ...STATES.map((state) => [state, view.counts[state]] as const),
    ["pending", view.counts.pending],
  ] as const;
  const label = (key: string) =>
    key === "switches" ? "switches" : key === "pending" ? "with an open PR" : stateLabel(key);
  return `<ul class="counts" aria-label="Counts">${items
    .map(([key, n]) => `<li data-count="${esc(key)}"><b>${esc(n)}</b>${esc(label(key))}</li>`)
    .join("")}</ul>`;
}

/** Server-rendered once, then kept current by assets/live.js while a run is going. */
function livePanel(view: FabricView): string {
  const live = view.live;
  const steps = live
    ? Object.entries(live.steps)
        .map(
          ([device, step]) => `<li><a href="switches/${seg(device)}">${esc(device)}</a>: ${esc(step)}</li>`,
        )
        .join("")
    : "";
  return `<section id="live" aria-live="polite" aria-label="Run in progress"${live ? "" : " hidden"}><h2>Run in progress</h2><p id="live-phase">${live ? `run <code>${esc(live.runId)}</code>: ${esc(live.phase)}${live.detail ? ` ${esc(live.detail)}` : ""}${live.wave !== undefined ? `, wave ${esc(live.wave)}` : ""}` : ""}</p><ul id="live-steps">${steps}</ul></section>`;
}

function filterForm(view: FabricView, filter: FabricFilter): string {
  const option = (value: string, label: string, current?: string) =>
    `<option value="${esc(value)}"${value === (current ?? "") ? " selected" : ""}>${esc(label)}</option>`;
  const groups = [...new Set(view.switches.flatMap((s) => s.groups))].sort();
  return `<form class="filter" method="get" action="" role="search" aria-label="Filter switches"><label>State<select name="state">${option("", "any")}${STATES.map((s) => option(s, stateLabel(s), filter.state)).join("")}</select></label><label>Group<select name="group">${option("", "any")}${groups.map((g) => option(g, g, filter.group)).join("")}</select></label><label>Name contains<input name="q" value="${esc(filter.q)}" type="search"></label><button type="submit">Filter</button></form>`;
}

function switchTable(group: string, members: SwitchStatus[]): string {
  if (members.length === 0) return "";
  const rows = members
    .map(
      (s) =>
        `<tr data-device="${esc(s.device)}"><th scope="row"><a href="switches/${seg(s.device)}">${esc(s.device)}</a></th><td class="state">${stateBadge(s.state)}${detailOf(s)}</td><td>${s.lastVerified ? `<code>${esc(shortRev(s.lastVerified.sha))}</code>` : '<span class="muted">none</span>'}</td><td>${esc(s.presence)}${s.framing ? ` · ${esc(s.framing)}` : ""}</td><td>${time(s.lastCheckedAt)}</td><td>${s.pending.map((p) => `PR #${esc(p.pullNumber)}${p.title ? ` <span class="muted">${esc(p.title)}</span>` : ""}`).join("<br>") || '<span class="muted">none</span>'}</td></tr>`,
    )
    .join("");
  const caption = group === "" ? "Switches in no group" : `Group ${group}`;
  return `<table class="switches" data-group="${esc(group)}"><caption>${esc(caption)}</caption><thead><tr><th scope="col">Switch</th><th scope="col">State</th><th scope="col">Last verified revision</th><th scope="col">Presence · framing</th><th scope="col">Last check</th><th scope="col">Open PRs</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function detailOf(s: SwitchStatus): string {
  if (s.state === "drifted")
    return ` <span class="detail">since ${time(s.driftSince)}, ${esc(s.lines)} ${s.lines === 1 ? "line" : "lines"} in ${esc(s.sections.map((c) => c.section).join(", "))}</span>`;
  if (s.state === "changes")
    return ` <span class="detail">${esc(s.lines)} ${s.lines === 1 ? "line" : "lines"}</span>`;
  if (s.reason) return ` <span class="detail">${esc(s.reason)}</span>`;
  return "";
}

/** Switch × managed section; a cell that differs links to that section's diff. */
function complianceMatrix(view: FabricView, shown: SwitchStatus[]): string {
  if (view.sections.length === 0 || shown.length === 0) return "";
  const head = view.sections.map((s) => `<th scope="col">${esc(s)}</th>`).join("");
  const rows = shown
    .map((s) => {
      const cells = view.sections
        .map((section) => {
          if (s.state === "unreachable" || s.state === "unplannable" || s.state === "unknown")
            return `<td class="cell-none" data-section="${esc(section)}">–<span class="sr">${esc(stateLabel(s.state))}</span></td>`;
          const cell = s.sections.find((c) => c.section === section);
          if (!cell)
            return `<td class="cell-ok" data-section="${esc(section)}">✓<span class="sr">in sync</span></td>`;
          return `<td class="cell-bad" data-section="${esc(section)}"><a href="switches/${seg(s.device)}/sections/${seg(section)}" aria-label="${esc(`${s.device} ${section}: ${cell.lines} lines differ`)}">${esc(cell.lines)} ±</a></td>`;
        })
        .join("");
      return `<tr data-device="${esc(s.device)}"><th scope="row"><a href="switches/${seg(s.device)}">${esc(s.device)}</a></th>${cells}</tr>`;
    })
    .join("");
  return `<h2 id="matrix-heading">Compliance</h2><table class="matrix" aria-labelledby="matrix-heading"><thead><tr><th scope="col">Switch</th>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

import type { SwitchStatus } from "../status/index.ts";
import { diffBlock, esc, page, seg, shortRev, stateBadge, time } from "./html.ts";

/** `/switches/NAME`: intended vs live, the fix, history, and the PRs that changed or will change it. */
export function renderSwitchPage(s: SwitchStatus, sections: string[]): string {
  const cells = sections
    .map((section) => {
      const cell = s.sections.find((c) => c.section === section);
      return `<li>${esc(section)}: ${cell ? `<a href="${seg(s.device)}/sections/${seg(section)}">${esc(cell.lines)} ${cell.lines === 1 ? "line differs" : "lines differ"}</a>` : "in sync"}</li>`;
    })
    .join("");
  const history = s.history.length
    ? `<table><caption>History</caption><thead><tr><th scope="col">When</th><th scope="col">Run</th><th scope="col">Kind</th><th scope="col">Outcome</th><th scope="col">Detail</th></tr></thead><tbody>${s.history
        .map(
          (h) =>
            `<tr><td>${time(h.at)}</td><td><a href="../runs/${seg(h.runId)}">${esc(h.runId)}</a></td><td>${esc(h.kind)}</td><td>${esc(h.outcome)}</td><td>${esc(h.detail ?? "")}</td></tr>`,
        )
        .join("")}</tbody></table>`
    : "<p>No runs have looked at this switch yet.</p>";
  const changedBy = s.changedBy.length
    ? `<ul>${s.changedBy
        .map(
          (c) =>
            `<li>${time(c.at)}: <code>${esc(shortRev(c.sha))}</code> by run <a href="../runs/${seg(c.runId)}">${esc(c.runId)}</a>${c.pullNumber ? ` from PR #${esc(c.pullNumber)}` : ""}${c.url ? ` (<a href="${esc(safeUrl(c.url))}">comment</a>)` : ""}</li>`,
        )
        .join("")}</ul>`
    : "<p>No apply has changed it since the service started.</p>";
  const pending = s.pending.length
    ? `<ul>${s.pending.map((p) => `<li>PR #${esc(p.pullNumber)}${p.title ? ` “${esc(p.title)}”` : ""}: ${esc(p.lines)} lines at <code>${esc(shortRev(p.sha))}</code></li>`).join("")}</ul>`
    : "<p>None.</p>";
  const body = [
    `<p><a href="../">← fabric</a></p>`,
    `<h1>${esc(s.device)} ${stateBadge(s.state)}</h1>`,
    `<dl><dt>Groups</dt><dd>${esc(s.groups.join(", ") || "none")}</dd><dt>Last verified revision</dt><dd>${s.lastVerified ? `<code>${esc(shortRev(s.lastVerified.sha))}</code> at ${time(s.lastVerified.at)}` : "none"}</dd><dt>Last check</dt><dd>${time(s.lastCheckedAt)}</dd><dt>XMPP presence</dt><dd>${esc(s.presence)}</dd>${s.framing ? `<dt>CLI framing</dt><dd>${esc(s.framing)}</dd>` : ""}${s.driftSince ? `<dt>Drifting since</dt><dd>${time(s.driftSince)}</dd>` : ""}${s.reason ? `<dt>Why</dt><dd>${esc(s.reason)}</dd>` : ""}</dl>`,
    `<h2>Managed sections</h2><ul>${cells}</ul>`,
    `<h2>Intended vs live</h2>${s.diff ? diffBlock(s.diff, `${s.device}: managed-scope diff`) : "<p>No difference in the managed scope.</p>"}`,
    `<h2>Remediation</h2>${s.remediation?.length ? `<pre aria-label="commands that would fix it"><code>${esc(s.remediation.join("\n"))}</code></pre>` : "<p>Nothing to send.</p>"}`,
    `<h2>Open pull requests that change it</h2>${pending}`,
    `<h2>Changed by</h2>${changedBy}`,
    `<h2>History</h2>${history}`,
  ].join("");
  return page({ title: `reconciler: ${s.device}`, root: "../", live: true }, body);
}

/** `/switches/NAME/sections/SECTION`: one cell of the compliance matrix. */
export function renderSectionPage(s: SwitchStatus, section: string): string {
  const cell = s.sections.find((c) => c.section === section);
  return page(
    { title: `reconciler: ${s.device} ${section}`, root: "../../../" },
    `<p><a href="../../${seg(s.device)}">← ${esc(s.device)}</a></p><h1>${esc(s.device)}: ${esc(section)}</h1>${cell ? diffBlock(cell.diff, `${s.device} ${section} diff`) : "<p>This section is in sync.</p>"}`,
  );
}

/** Only web links: a comment URL from the API must never become a javascript: link. */
function safeUrl(url: string): string {
  return /^https?:\/\//.test(url) ? url : "#";
}

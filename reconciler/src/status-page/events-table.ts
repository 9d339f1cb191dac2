import type { SwitchEventEntry } from "../status/index.ts";
import { esc, seg, time } from "./html.ts";

const CHANGES = new Set(["proposed", "applied"]);

/** Recent switch-event decisions (events/): shown only once there is one, so a fabric without rules has no empty panel. */
export function eventsSection(events: SwitchEventEntry[], root: string): string {
  if (events.length === 0) return "";
  const rows = events
    .map((e) => {
      const cls = CHANGES.has(e.outcome)
        ? "cell-ok"
        : e.outcome === "failed" || e.outcome === "refused"
          ? "del"
          : "";
      const device = e.device
        ? `<a href="${root}switches/${seg(e.device)}">${esc(e.device)}</a>`
        : esc(e.source);
      const pr = e.pullRequest
        ? /^https?:\/\//.test(e.pullRequest.url)
          ? ` <a href="${esc(e.pullRequest.url)}">PR #${esc(e.pullRequest.number)}</a>`
          : ` PR #${esc(e.pullRequest.number)}`
        : "";
      const what = esc(e.summary ?? e.detail ?? "");
      const times = e.repeats && e.repeats > 1 ? ` (×${esc(e.repeats)})` : "";
      return `<tr data-outcome="${esc(e.outcome)}"><td>${time(e.at)}</td><td>${device}</td><td>${esc(e.rule ?? "")}</td><td class="${cls}">${esc(e.outcome)}${e.reason ? `: ${esc(e.reason)}` : ""}${times}</td><td>${what}${pr}</td></tr>`;
    })
    .join("");
  return `<h2 id="events-heading">Recent switch events</h2><table id="events"><caption class="sr">Recent switch events</caption><thead><tr><th scope="col">Received</th><th scope="col">Switch</th><th scope="col">Rule</th><th scope="col">Outcome</th><th scope="col">What</th></tr></thead><tbody>${rows}</tbody></table>`;
}

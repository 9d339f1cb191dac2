import type { IncomingMessage, ServerResponse } from "node:http";
import type { FabricStatus, FabricView } from "../status/index.ts";
import {
  type FabricFilter,
  LIVE_SCRIPT,
  matchesFilter,
  renderFabricPage,
  renderRunPage,
  renderRunsPage,
  renderSectionPage,
  renderSwitchPage,
  STATUS_CSS,
} from "../status-page/index.ts";
import type { RecentRuns } from "./recent-runs.ts";

export interface StatusRoutesOptions {
  status: FabricStatus;
  recent: RecentRuns;
  /** Every body goes through it: the process's own secrets never reach a page. */
  redact?: (text: string) => string;
  /** How many live-update streams may be open at once. */
  maxLiveClients?: number;
}

export type StatusRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;

// The pages load only the service's own script and stylesheet; nothing inline, nothing remote.
const HEADERS = {
  "content-security-policy":
    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
};
const LIVE_THROTTLE_MS = 250;

/**
 * The status pages and their JSON API (GET only): `/` fabric view, `/switches/NAME[/sections/S]`,
 * `/runs[/ID]`, `/api/fabric`, `/api/switches/NAME`, `/api/runs[/ID]`, `/api/live` (server-sent
 * events). Answers `false` for a path it does not own.
 */
export function createStatusRoutes(options: StatusRoutesOptions): StatusRoute {
  const redact = options.redact ?? ((text: string) => text);
  const maxLive = options.maxLiveClients ?? 64;
  let liveClients = 0;
  const send = (res: ServerResponse, status: number, type: string, body: string) => {
    res.writeHead(status, { "content-type": type, ...HEADERS });
    const clean = redact(body);
    // The pages escape their text, so a raw "<redacted>" came from the redactor: show it, as text.
    res.end(type.startsWith("text/html") ? clean.split("<redacted>").join("&lt;redacted&gt;") : clean);
  };
  const html = (res: ServerResponse, body: string | undefined, missing: string) =>
    body === undefined
      ? send(res, 404, "text/html; charset=utf-8", `<!doctype html><title>not found</title><p>${missing}</p>`)
      : send(res, 200, "text/html; charset=utf-8", body);
  const json = (res: ServerResponse, value: unknown) =>
    value === undefined
      ? send(res, 404, "application/json", JSON.stringify({ error: "not found" }))
      : send(res, 200, "application/json", JSON.stringify(value));
  const filterOf = (url: URL): FabricFilter => ({
    state: url.searchParams.get("state") || undefined,
    group: url.searchParams.get("group") || undefined,
    q: url.searchParams.get("q") || undefined,
  });
  const filtered = (view: FabricView, filter: FabricFilter): FabricView => ({
    ...view,
    switches: view.switches.filter((s) => matchesFilter(s, filter)),
  });

  const live = (req: IncomingMessage, res: ServerResponse) => {
    if (liveClients >= maxLive) return send(res, 503, "text/plain", "too many live clients; reload later");
    liveClients++;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", ...HEADERS });
    let timer: NodeJS.Timeout | undefined;
    const push = () => {
      timer = undefined;
      const view = options.status.view();
      const data = {
        live: view.live ?? null,
        counts: view.counts,
        switches: view.switches.map((s) => ({ device: s.device, state: s.state, lines: s.lines })),
      };
      res.write(`event: fabric\ndata: ${redact(JSON.stringify(data))}\n\n`);
    };
    const unsubscribe = options.status.onChange(() => {
      timer ??= setTimeout(push, LIVE_THROTTLE_MS);
    });
    push();
    req.on("close", () => {
      liveClients--;
      unsubscribe();
      if (timer) clearTimeout(timer);
    });
  };

  return (req, res, url) => {
    const path = url.pathname;
    const parts = path.split("/").slice(1).map(decodeSegment);
    const { status, recent } = options;
    if (path === "/") {
      html(res, renderFabricPage(status.view(), filterOf(url), recent.list()), "");
    } else if (path === "/runs") {
      html(res, renderRunsPage(status.view().repo, recent.list()), "");
    } else if (parts[0] === "runs" && parts.length === 2) {
      const run = recent.get(parts[1]!);
      html(res, run && renderRunPage(run), "No such run (the page keeps the last 50).");
    } else if (parts[0] === "switches" && parts.length === 2) {
      const s = status.switchStatus(parts[1]!);
      html(res, s && renderSwitchPage(s, status.view().sections), "No such switch.");
    } else if (parts[0] === "switches" && parts.length === 4 && parts[2] === "sections") {
      const s = status.switchStatus(parts[1]!);
      html(res, s && renderSectionPage(s, parts[3]!), "No such switch.");
    } else if (path === "/assets/live.js") {
      send(res, 200, "text/javascript; charset=utf-8", LIVE_SCRIPT);
    } else if (path === "/assets/status.css") {
      send(res, 200, "text/css; charset=utf-8", STATUS_CSS);
    } else if (path === "/api/fabric") {
      json(res, filtered(status.view(), filterOf(url)));
    } else if (parts[0] === "api" && parts[1] === "switches" && parts.length === 3) {
      json(res, status.switchStatus(parts[2]!));
    } else if (path === "/api/runs") {
      json(
        res,
        recent.list().map(({ report: _report, ...run }) => run),
      );
    } else if (parts[0] === "api" && parts[1] === "runs" && parts.length === 3) {
      json(res, recent.get(parts[2]!));
    } else if (path === "/api/live") {
      live(req, res);
    } else {
      return false;
    }
    return true;
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return "\u0000"; // matches no switch, run or section: a 404
  }
}

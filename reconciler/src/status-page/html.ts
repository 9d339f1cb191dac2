/**
 * HTML building blocks for the status pages. Every value placed in a page goes through `esc`
 * (text and attributes alike: quotes included), so commit messages, descriptions and PR titles
 * written by anyone cannot add markup.
 */
const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function esc(value: string | number | undefined): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A path segment of a link (switch names, section names, run ids). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

// Colours chosen for WCAG AA contrast (≥ 4.5:1) as text on white and as white text on the badge.
export const STATUS_CSS = `:root{color-scheme:light}
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1f23;background:#fff}
main{margin:0 auto;padding:1rem 2rem 3rem;max-width:90rem}
a{color:#0550ae}a:focus-visible,button:focus-visible,select:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid #bf5700;outline-offset:2px}
.sr{position:absolute;left:-9999px}.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
nav{background:#24292f;padding:.6rem 2rem}nav a{color:#fff;margin-right:1.2rem;text-decoration:none}nav a:hover{text-decoration:underline}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #d0d7de;vertical-align:top}
th{background:#f6f8fa}
.badge{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-size:13px;font-weight:600;color:#fff;white-space:nowrap}
.s-in-sync{background:#116329}.s-drifted{background:#a40e26}.s-changes{background:#0550ae}
.s-unreachable{background:#6e3800}.s-unplannable{background:#6639ba}.s-unknown{background:#57606a}
.counts{display:flex;flex-wrap:wrap;gap:.6rem;list-style:none;padding:0}.counts li{border:1px solid #d0d7de;border-radius:.4rem;padding:.4rem .8rem}
.counts b{font-size:1.3rem;display:block}
.cell-ok{color:#116329}.cell-bad a{color:#a40e26;font-weight:600}.cell-none{color:#57606a}
pre{background:#f6f8fa;padding:1rem;overflow:auto;font-size:13px}
.add{color:#116329}.del{color:#a40e26}
form.filter{display:flex;gap:1rem;align-items:end;flex-wrap:wrap;margin:1rem 0}label{display:flex;flex-direction:column;font-size:13px}
#hold{border:2px solid #bf5700;border-radius:.4rem;padding:.5rem 1rem;margin:1rem 0}#hold dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.3rem 0}#hold dd{margin:0}
#live{border:2px solid #0550ae;border-radius:.4rem;padding:.5rem 1rem;margin:1rem 0}#live[hidden]{display:none}
.muted{color:#57606a}`;

export interface PageOptions {
  title: string;
  /** Adds the live-update script (the page works without it). */
  live?: boolean;
  /** Relative path from this page to the site root ("" at /, "../" one level down). */
  root: string;
}

export function page(options: PageOptions, body: string): string {
  const script = options.live ? `<script src="${options.root}assets/live.js" defer></script>` : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(options.title)}</title><link rel="stylesheet" href="${options.root}assets/status.css">${script}</head><body><a class="skip" href="#main">Skip to content</a><nav aria-label="Site"><a href="${options.root}">Fabric</a><a href="${options.root}runs">Runs</a><a href="${options.root}api/fabric">JSON</a></nav><main id="main">${body}</main></body></html>`;
}

const STATE_LABEL: Record<string, string> = {
  "in-sync": "in sync",
  drifted: "drifted",
  changes: "changes pending",
  unreachable: "unreachable",
  unplannable: "unplannable",
  unknown: "not checked",
};

export function stateBadge(state: string): string {
  return `<span class="badge s-${esc(state)}" data-state="${esc(state)}">${esc(STATE_LABEL[state] ?? state)}</span>`;
}

export function stateLabel(state: string): string {
  return STATE_LABEL[state] ?? state;
}

/** A unified diff with added and removed lines marked for sighted and screen-reader users alike. */
export function diffBlock(diff: string, label: string): string {
  const lines = diff
    .split("\n")
    .map((line) => {
      if (line.startsWith("+") && !line.startsWith("+++")) return `<span class="add">${esc(line)}</span>`;
      if (line.startsWith("-") && !line.startsWith("---")) return `<span class="del">${esc(line)}</span>`;
      return esc(line);
    })
    .join("\n");
  return `<pre aria-label="${esc(label)}"><code>${lines}</code></pre>`;
}

export function shortRev(sha: string | undefined): string {
  if (!sha) return "";
  return /^[0-9a-f]{40}$/.test(sha) ? sha.slice(0, 10) : sha;
}

export function time(iso: string | undefined): string {
  if (!iso) return `<span class="muted">never</span>`;
  return `<time datetime="${esc(iso)}">${esc(iso.replace("T", " ").replace(/\.\d+Z$/, "Z"))}</time>`;
}

import type { FabricView, SwitchStatus } from "../status/index.ts";
import { type Style, shortSha } from "./style.ts";

const LABEL: Record<SwitchStatus["state"], string> = {
  "in-sync": "in sync",
  drifted: "drifted",
  changes: "changes pending",
  unreachable: "unreachable",
  unplannable: "unplannable",
  unknown: "not checked",
};

function painted(state: SwitchStatus["state"], style: Style): string {
  const text = LABEL[state].padEnd(15);
  if (state === "in-sync") return style.green(text);
  if (state === "drifted" || state === "unplannable") return style.red(text);
  if (state === "unreachable") return style.yellow(text);
  return text;
}

function detail(s: SwitchStatus): string {
  const lines = `${s.lines} ${s.lines === 1 ? "line" : "lines"}`;
  if (s.state === "drifted")
    return `since ${s.driftSince ?? "?"}, ${lines} in ${s.sections.map((c) => c.section).join(", ")}`;
  if (s.state === "changes") return lines;
  return s.reason ?? "";
}

/** `reconciler status`: the status page's fabric view in the terminal. */
export function renderStatusText(view: FabricView, style: Style): string {
  const c = view.counts;
  const out = [
    style.bold(
      `Fabric ${view.fabric ?? view.repo} (${view.repo} ${view.branch}${view.revision ? ` at ${shortSha(view.revision)}` : ""})`,
    ),
    `  ${c.switches} ${c.switches === 1 ? "switch" : "switches"}: ${c["in-sync"]} in sync · ${c.drifted} drifted · ${c.changes} changes pending · ${c.unreachable} unreachable · ${c.unplannable} unplannable · ${c.unknown} not checked · ${c.pending} with an open PR`,
  ];
  if (view.live) {
    const steps = Object.entries(view.live.steps)
      .map(([device, step]) => `${device} ${step}`)
      .join(", ");
    out.push(
      `  ${style.cyan("running")}: run ${view.live.runId} ${view.live.phase}${view.live.wave !== undefined ? `, wave ${view.live.wave}` : ""}${steps ? ` — ${steps}` : ""}`,
    );
  }
  const byName = new Map(view.switches.map((s) => [s.device, s]));
  const width = Math.max(6, ...view.switches.map((s) => s.device.length)) + 2;
  for (const group of view.groups) {
    const members = group.members.map((m) => byName.get(m)).filter((s) => s !== undefined);
    if (members.length === 0) continue;
    out.push("", style.bold(group.name === "" ? "no group" : `group ${group.name}`));
    for (const s of members) {
      const verified = s.lastVerified ? `verified ${shortSha(s.lastVerified.sha)}` : "never verified";
      const pulls = s.pending.map((p) => `PR #${p.pullNumber}`).join(" ");
      out.push(
        `  ${s.device.padEnd(width)}${painted(s.state, style)} ${[detail(s), verified, s.presence, pulls].filter(Boolean).join(" · ")}`,
      );
    }
  }
  if (view.sections.length > 0 && view.switches.length > 0) {
    out.push(
      "",
      style.bold("Compliance") + style.dim("  (✓ in sync, a number: lines that differ, - not checked)"),
    );
    const cols = view.sections.map((s) => Math.max(s.length, 3) + 2);
    out.push(`  ${"".padEnd(width)}${view.sections.map((s, i) => s.padEnd(cols[i]!)).join("")}`);
    for (const s of view.switches) {
      const cells = view.sections.map((section, i) => {
        const checked = s.state !== "unreachable" && s.state !== "unplannable" && s.state !== "unknown";
        const cell = s.sections.find((d) => d.section === section);
        const text = !checked ? "-" : cell ? String(cell.lines) : "✓";
        const padded = text.padEnd(cols[i]!);
        return !checked ? style.dim(padded) : cell ? style.red(padded) : style.green(padded);
      });
      out.push(`  ${s.device.padEnd(width)}${cells.join("")}`);
    }
  }
  return `${out.join("\n")}\n`;
}

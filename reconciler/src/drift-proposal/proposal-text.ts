import { createHash } from "node:crypto";
import type { DriftReport } from "../drift/types.ts";
import type { Adoption } from "./types.ts";

export function adoptionFingerprint(adoption: Adoption): string {
  const hash = createHash("sha256");
  for (const [path, text] of Object.entries(adoption.edits).sort(([a], [b]) => a.localeCompare(b)))
    hash.update(`${path}\n${text}\n`);
  return hash.digest("hex");
}

export function proposalTitle(adoption: Adoption): string {
  const devices = adoption.adopted.map((a) => a.device);
  const named = devices.length <= 3 ? devices.join(", ") : `${devices.length} switches`;
  return `Adopt live config drift on ${named}`;
}

/** The PR's description: what drifted, where it is written, what is left out, and the two choices. */
export function proposalBody(
  adoption: Adoption,
  report: DriftReport,
  redact: (text: string) => string,
): string {
  const rows = adoption.adopted.map((a) => `| ${a.device} | \`${a.file}\` |`);
  const diffs = report.devices
    .filter((d) => d.status === "drifted" && adoption.adopted.some((a) => a.device === d.device) && d.diff)
    .map(
      (d) =>
        `<details><summary>${d.device}: git → live</summary>\n\n\`\`\`diff\n${redact(d.diff!)}\n\`\`\`\n</details>`,
    );
  const left = adoption.notAdopted.map((n) => `- **${n.device}**: ${n.why}`);
  return [
    `Drift found by run \`${report.runId}\` against ${report.revision.sha.slice(0, 7)}: this PR writes the switches' live config into git. Its plan changes nothing on the switches.`,
    "",
    "| Switch | Written into |",
    "| --- | --- |",
    ...rows,
    "",
    ...diffs,
    ...(left.length > 0 ? ["", "**Not adopted** (left to heal or to a person):", ...left] : []),
    "",
    "**Merge** to adopt the live config. **Close** without merging, or comment `/reconciler heal`, to put the switches back to git through the normal rollout (where `drift.selfHeal` is on, or by an admin).",
  ].join("\n");
}

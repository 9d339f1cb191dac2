import type { ConfigTree } from "../eos/index.ts";
import type { ManagedScope } from "../fabric/types.ts";
import { diffableText, managedDiff } from "./managed-diff.ts";

/** One managed section's difference on one switch: the cells of a compliance matrix. */
export interface SectionDiff {
  /** The managed section as fabric.yaml names it ("interface", "router bgp"). */
  section: string;
  /** Lines added plus lines removed. */
  lines: number;
  /** Unified diff of this section alone, secrets redacted. */
  diff: string;
}

/**
 * The managed scope split per section, for the compliance matrix (switch × section, Nautobot style):
 * only the sections that differ, each with its own small diff, in the order fabric.yaml lists them.
 */
export function sectionDiffs(
  device: string,
  from: ConfigTree,
  to: ConfigTree,
  scope: ManagedScope,
  labels: [string, string],
): SectionDiff[] {
  const result: SectionDiff[] = [];
  for (const one of sectionScopes(scope)) {
    const section = one.sections[0]!;
    const diff = managedDiff(device, diffableText(from, one), diffableText(to, one), labels);
    if (diff === "") continue;
    result.push({ section, lines: changedLines(diff), diff });
  }
  return result;
}

const perSection = new WeakMap<ManagedScope, ManagedScope[]>();

/**
 * The scope of each section alone, made once per scope: a compiled scope is remembered per scope object
 * (eos/scope.ts), and a new object per section and switch compiled the ignore patterns thousands of times.
 */
function sectionScopes(scope: ManagedScope): ManagedScope[] {
  let scopes = perSection.get(scope);
  if (!scopes) {
    scopes = scope.sections.map((section) => ({ sections: [section], ignore: scope.ignore }));
    perSection.set(scope, scopes);
  }
  return scopes;
}

/** Config lines added or removed; `!` separators between sections are not config lines. */
function changedLines(diff: string): number {
  let count = 0;
  for (const line of diff.split("\n")) {
    const sign = line[0];
    if ((sign !== "+" && sign !== "-") || line.startsWith("+++") || line.startsWith("---")) continue;
    if (line.slice(1).trim() !== "!") count++;
  }
  return count;
}

/**
 * running + intended → the shortest linear script that makes running equal intended in scope.
 *
 * At every level: first the settings to create or change, in rule rank order (what is referenced
 * before what references it), then the removals in reverse rank order (references before what they
 * reference). So new list members are added before old ones go, and nothing referenced is removed
 * while a reference remains. A value that replaces another of the same key is one command.
 */
import type { ManagedScope } from "../fabric/types.ts";
import { applyCommands } from "./apply.ts";
import { expandTemplate, groupNegationOf, negationOf, UNKNOWN_MODE } from "./classify.ts";
import { compareNormalised, sameBody } from "./compare.ts";
import { PredictionMismatchError } from "./errors.ts";
import { findNormal, type NormalMemo, type NormNode, normaliseTree, sameRawChildren } from "./normalise.ts";
import { quoteLine } from "./redact.ts";
import { INDENT } from "./render.ts";
import type { ConfigTree, Remediation } from "./types.ts";
import { formatVlanList, parseVlanList } from "./value-forms.ts";

/**
 * Computes the remediation and checks it: the predicted tree must equal intended in scope, else it
 * throws `PredictionMismatchError` naming the first differing line (never a silent plan). Throws
 * `ApplyError` if the script contains a command the predictor knows EOS would refuse. Both are engine
 * gaps (a rule missing from rules.ts), not user errors: plan that switch as failed.
 */
export function remediate(running: ConfigTree, intended: ConfigTree, scope: ManagedScope): Remediation {
  const want = normaliseTree(intended, scope);
  const memo: NormalMemo = new Map();
  const disruptions: string[] = [];
  const commands = remediationCommands(normaliseTree(running, scope, memo), want, disruptions);
  const predicted = commands.length === 0 ? running : applyCommands(running, commands);
  if (commands.length > 0) {
    const check = compareNormalised(normaliseTree(predicted, scope, memo), want);
    if (!check.equal) throw new PredictionMismatchError(check.firstDifference!, commands);
  }
  return { commands, predicted, hasChanges: commands.length > 0, disruptions };
}

/** The script alone, from normalised trees (no prediction check). */
export function remediationCommands(
  running: NormNode[],
  intended: NormNode[],
  disruptions: string[] = [],
): string[] {
  const out: string[] = [];
  diffLevel(running, intended, 0, out, disruptions);
  return out;
}

function diffLevel(
  running: NormNode[],
  intended: NormNode[],
  depth: number,
  out: string[],
  disruptions: string[],
): void {
  const indent = indentOf(depth);

  for (const want of byRank(intended)) {
    const have = findNormal(running, want.cls.key);
    if (!have) {
      emitCreate(want, depth, out);
    } else if (have.text === want.text && sameBody(have, want)) {
      if (have.source && want.source && sameRawChildren(have.source, want.source)) continue;
      if (have.children.length === 0 && want.children.length === 0) continue;
      // Enter the block only if something inside it changes.
      const mark = out.length;
      emitLine(want, depth, out);
      diffLevel(have.children, want.children, depth + 1, out, disruptions);
      if (out.length === mark + 1) out.length = mark;
      else out.push(`${indent}${INDENT}exit`);
    } else if (want.cls.rule?.vlanListDelta && have.cls.match && want.cls.match) {
      emitVlanListDelta(want.cls.rule.vlanListDelta, have.cls.match[1]!, want.cls.match[1]!, indent, out);
    } else if (want.cls.rule?.replace === "remove-first") {
      const stops = want.cls.rule.tearsDown;
      if (stops && want.cls.match) {
        disruptions.push(
          `${quoteLine(have.text)} → ${quoteLine(want.text)}: EOS runs one such instance, so the old one is removed before the new one is entered; ${expandTemplate(stops, want.cls.match)} is down on this switch in between`,
        );
      }
      out.push(indent + negationOf(have.cls));
      emitCreate(want, depth, out);
    } else if (isBlock(want) || isBlock(have)) {
      emitLine(want, depth, out);
      diffLevel(have.children, want.children, depth + 1, out, disruptions);
      out.push(`${indent}${INDENT}exit`);
    } else {
      emitLine(want, depth, out);
    }
  }

  let removedGroups: Set<string> | undefined;
  let intendedGroups: Set<string> | undefined;
  for (const have of byRank(running, -1)) {
    if (findNormal(intended, have.cls.key)) continue;
    const group = have.cls.group;
    intendedGroups ??=
      group === undefined ? undefined : new Set(intended.map((node) => node.cls.group ?? ""));
    if (group !== undefined && !intendedGroups!.has(group)) {
      // The whole object goes: one command (`no neighbor X`, `no route-map X`), not one per line.
      removedGroups ??= new Set();
      if (removedGroups.has(group)) continue;
      removedGroups.add(group);
      out.push(indent + groupNegationOf(have.cls));
    } else {
      out.push(indent + negationOf(have.cls));
    }
  }
}

/** The VLANs to add, then the VLANs to take out, of a list-valued setting. */
function emitVlanListDelta(
  delta: { add: string; remove: string },
  have: string,
  want: string,
  indent: string,
  out: string[],
): void {
  const before = new Set(parseVlanList(have) ?? []);
  const after = new Set(parseVlanList(want) ?? []);
  const added = [...after].filter((id) => !before.has(id));
  const removed = [...before].filter((id) => !after.has(id));
  if (added.length > 0) out.push(indent + delta.add.replace("$items", formatVlanList(added)));
  if (removed.length > 0) out.push(indent + delta.remove.replace("$items", formatVlanList(removed)));
}

function emitCreate(node: NormNode, depth: number, out: string[]): void {
  emitLine(node, depth, out);
  if (!isBlock(node)) return;
  for (const child of byRank(node.children)) emitCreate(child, depth + 1, out);
  out.push(`${indentOf(depth + 1)}exit`);
}

function emitLine(node: NormNode, depth: number, out: string[]): void {
  out.push(indentOf(depth) + node.text);
  if (node.body) {
    for (const line of node.body) out.push(line);
    out.push(node.cls.rule?.multiline?.terminator ?? "EOF");
  }
}

const INDENTS: string[] = [];
function indentOf(depth: number): string {
  let indent = INDENTS[depth];
  if (indent === undefined) {
    indent = INDENT.repeat(depth);
    INDENTS[depth] = indent;
  }
  return indent;
}

/** A line that opens a mode: it needs an `exit` after it for the script to stay linear. */
function isBlock(node: NormNode): boolean {
  return node.children.length > 0 || node.mode !== UNKNOWN_MODE;
}

/** Stable sort by rank, ascending (1) or descending (-1); ties keep document order. */
function byRank(nodes: NormNode[], direction: 1 | -1 = 1): NormNode[] {
  let sorted = true;
  for (let i = 1; i < nodes.length && sorted; i++) {
    if (direction * (nodes[i]!.cls.rank - nodes[i - 1]!.cls.rank) < 0) sorted = false;
  }
  return sorted ? nodes : [...nodes].sort((a, b) => direction * (a.cls.rank - b.cls.rank));
}

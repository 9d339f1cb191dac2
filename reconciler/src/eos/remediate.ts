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
import { compileScope } from "./scope.ts";
import type { ConfigTree, Remediation } from "./types.ts";
import { formatVlanList, parseVlanList } from "./value-forms.ts";

/**
 * Computes the remediation and checks it: the predicted tree must equal intended in scope, else it
 * throws `PredictionMismatchError` naming the first differing line (never a silent plan). Throws
 * `ApplyError` if the script contains a command the predictor knows EOS would refuse. Both are engine
 * gaps (a rule missing from rules.ts), not user errors: plan that switch as failed. `memo`: pass one
 * to the diff of the same trees in the same scope (scopeDiffs) to normalise their blocks once.
 */
export function remediate(
  running: ConfigTree,
  intended: ConfigTree,
  scope: ManagedScope,
  memo: NormalMemo = new Map(),
): Remediation {
  const want = normaliseTree(intended, scope, memo);
  const disruptions: string[] = [];
  const kept = compileScope(scope).keepsUnlisted;
  const commands = remediationCommands(normaliseTree(running, scope, memo), want, disruptions, kept);
  const predicted = commands.length === 0 ? running : applyCommands(running, commands);
  if (commands.length > 0) {
    const check = compareNormalised(normaliseTree(predicted, scope, memo), want, kept);
    if (!check.equal) throw new PredictionMismatchError(check.firstDifference!, commands);
  }
  return { commands, predicted, hasChanges: commands.length > 0, disruptions };
}

/**
 * The script alone, from normalised trees (no prediction check). A top-level line that `kept` names
 * and intended lacks stays as it is (scope.keepUnlisted: an interface git does not list).
 */
export function remediationCommands(
  running: NormNode[],
  intended: NormNode[],
  disruptions: string[] = [],
  kept: (topLevelText: string) => boolean = () => false,
): string[] {
  const out: string[] = [];
  diffLevel(running, intended, 0, out, disruptions, kept);
  return out;
}

function diffLevel(
  running: NormNode[],
  intended: NormNode[],
  depth: number,
  out: string[],
  disruptions: string[],
  kept?: (topLevelText: string) => boolean,
): void {
  const indent = indentOf(depth);
  // Top-level lines the scope keeps when git does not list them are never removed (scope.keepUnlisted).
  const removals = removalCommands(running, intended, indent, depth === 0 ? kept : undefined);
  // A removal `no X` whose X starts a line this level enters (`no range A B` before `range A B 1024
  // 65535`, `no hardware counter feature ip out` before `… ip out layer3 units packets`) goes first:
  // EOS may match the `no` by prefix, and after the new line it would remove that too.
  const early = removals.length > 0 ? prefixRemovals(removals, running, intended) : undefined;
  if (early) for (const removal of removals) if (early.has(removal)) out.push(removal.command);

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

  for (const removal of removals) if (!early?.has(removal)) out.push(removal.command);
}

interface Removal {
  command: string;
  /** What the command names: the command without its `no` / `default`. */
  target: string;
}

function removalCommands(
  running: NormNode[],
  intended: NormNode[],
  indent: string,
  kept?: (topLevelText: string) => boolean,
): Removal[] {
  const removals: Removal[] = [];
  let removedGroups: Set<string> | undefined;
  let intendedGroups: Set<string> | undefined;
  for (const have of removalOrder(running, intended)) {
    if (kept?.(have.text)) continue;
    const group = have.cls.group;
    intendedGroups ??=
      group === undefined ? undefined : new Set(intended.map((node) => node.cls.group ?? ""));
    let command: string;
    if (group !== undefined && !intendedGroups!.has(group)) {
      // The whole object goes: one command (`no neighbor X`, `no route-map X`), not one per line.
      removedGroups ??= new Set();
      if (removedGroups.has(group)) continue;
      removedGroups.add(group);
      command = groupNegationOf(have.cls);
    } else {
      command = negationOf(have.cls);
    }
    removals.push({ command: indent + command, target: command.slice(command.indexOf(" ") + 1) });
  }
  return removals;
}

/** The removals whose target is a whole-word prefix of a line this level enters or changes. */
function prefixRemovals(
  removals: Removal[],
  running: NormNode[],
  intended: NormNode[],
): Set<Removal> | undefined {
  const byTarget = new Map<string, Removal[]>();
  for (const removal of removals) {
    const list = byTarget.get(removal.target);
    if (list) list.push(removal);
    else byTarget.set(removal.target, [removal]);
  }
  let early: Set<Removal> | undefined;
  for (const want of intended) {
    const text = want.text;
    if (text.indexOf(" ") < 0) continue;
    const have = findNormal(running, want.cls.key);
    if (have && have.text === text) continue;
    for (let at = text.indexOf(" "); at > 0; at = text.indexOf(" ", at + 1)) {
      const named = byTarget.get(text.slice(0, at));
      if (!named) continue;
      early ??= new Set();
      for (const removal of named) early.add(removal);
    }
  }
  return early;
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

/**
 * The lines of `running` that intended does not have, in reverse rank order. Within a rank a longer
 * setting goes before one whose name is a prefix of it (`queue-monitor length log 5` before
 * `queue-monitor length`, `ip routing ipv6 interfaces` before `ip routing`): EOS may take the longer
 * one with the shorter one, and removing it after that would enter its negation instead.
 */
function removalOrder(running: NormNode[], intended: NormNode[]): NormNode[] {
  const gone = running.filter((node) => !findNormal(intended, node.cls.key));
  if (gone.length < 2) return gone;
  const words = (node: NormNode) => {
    const key = node.cls.key;
    let count = 1;
    for (let at = key.indexOf(" "); at >= 0; at = key.indexOf(" ", at + 1)) count++;
    return count;
  };
  return gone
    .map((node, index) => ({ node, index, words: words(node) }))
    .sort((a, b) => b.node.cls.rank - a.node.cls.rank || b.words - a.words || a.index - b.index)
    .map((entry) => entry.node);
}

/** Stable sort by rank, ascending (1) or descending (-1); ties keep document order. */
function byRank(nodes: NormNode[], direction: 1 | -1 = 1): NormNode[] {
  let sorted = true;
  for (let i = 1; i < nodes.length && sorted; i++) {
    if (direction * (nodes[i]!.cls.rank - nodes[i - 1]!.cls.rank) < 0) sorted = false;
  }
  return sorted ? nodes : [...nodes].sort((a, b) => direction * (a.cls.rank - b.cls.rank));
}

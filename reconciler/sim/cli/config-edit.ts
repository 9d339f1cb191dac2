/**
 * Config-mode semantics of the simulated CLI: a line entered in a mode goes under that mode's section;
 * `no X` / `default X` remove what X names; single-valued commands replace their value in place;
 * multi-valued ones accumulate. A mode header that the current mode does not know is tried in the
 * enclosing modes (EOS leaves the sub-mode, e.g. `vlan 30` typed inside `interface Ethernet1`).
 *
 * A command no table names (the simulator does not know all of EOS) is stored as typed: re-entering it
 * is a no-op, `no X` removes the lines X names or, when there are none, is itself the shown negation
 * (`no lldp transmit`), `X` takes back a shown `no X`, and `default X` removes both forms.
 */
import type { ConfigNode } from "./config-tree.ts";
import {
  isGeneric,
  isPhysicalPort,
  isTopLevelWord,
  matchRule,
  type Rule,
  singleInstanceConflict,
} from "./rules.ts";
import { editVlanSet } from "./vlan-set.ts";

/** Where the CLI is: the sections entered from the top, by their line text, and their kinds. */
export interface ModePath {
  texts: string[];
  kinds: string[];
}

export type EditResult = { ok: true; path: ModePath } | { ok: false; error: string };

export const invalidInput = (tokenIndex: number, token: string) =>
  `% Invalid input (at token ${tokenIndex}: '${token}')`;
export const INCOMPLETE = "% Incomplete command";

function childrenAt(tree: ConfigNode[], texts: string[]): ConfigNode[] | undefined {
  let level = tree;
  for (const text of texts) {
    const node = level.find((n) => n.text === text);
    if (!node) return undefined;
    level = node.children;
  }
  return level;
}

/** The identity of a line under a rule: the words that name the setting (without `no`). */
function identity(rule: Rule, tokens: string[]): string {
  if (rule.identify) return rule.identify(tokens);
  const words = tokens.slice(0, rule.key ?? rule.words.length).join(" ");
  return rule.keyLast ? `${words} … ${tokens.at(-1)}` : words;
}

function stripNo(tokens: string[]): string[] {
  return tokens[0] === "no" || tokens[0] === "default" ? tokens.slice(1) : tokens;
}

/** True when `text` is `words` or continues it with more words. */
const startsWithWords = (text: string, words: string) => text === words || text.startsWith(`${words} `);

function applyAt(
  level: ConfigNode[],
  rule: Rule,
  tokens: string[],
  negation: "no" | "default" | undefined,
  kind: string,
) {
  const body = tokens.join(" ");
  if (rule.mode === "negated-list") {
    applyNegatedList(level, rule, tokens, negation);
    return;
  }
  if (negation && rule.mode === "multi") {
    applyUnknown(level, tokens, negation);
    return;
  }
  if (negation) {
    const stored = rule.mode === "toggle" && negation === "no";
    const before = level.length;
    const id = identity(rule, tokens);
    const byIdentity = rule.mode === "set" || rule.mode === "toggle";
    let at = level.length;
    for (let i = level.length - 1; i >= 0; i--) {
      const child = level[i]!;
      const childTokens = stripNo(child.text.split(" "));
      const hit = byIdentity
        ? matchRule(kind, childTokens) === rule &&
          (identity(rule, childTokens) === id || startsWithWords(childTokens.join(" "), id))
        : startsWithWords(child.text, body);
      if (hit || startsWithWords(child.text, body)) {
        level.splice(i, 1);
        at = i;
      }
    }
    if (stored || (rule.storesNegation && negation === "no" && level.length === before))
      level.splice(at, 0, { text: `no ${body}`, children: [] });
    return;
  }
  if (rule.mode === "multi") {
    applyUnknown(level, tokens, undefined);
    return;
  }
  if (rule.secondaryIsMulti && tokens.at(-1) === "secondary") {
    if (!level.some((n) => n.text === body)) level.push({ text: body, children: [] });
    return;
  }
  // set / toggle: replace the line with the same identity in place
  const id = identity(rule, tokens);
  const index = level.findIndex((n) => {
    const t = stripNo(n.text.split(" "));
    return (
      matchRule(kind, t) === rule &&
      identity(rule, t) === id &&
      !(rule.secondaryIsMulti && t.at(-1) === "secondary")
    );
  });
  const node = { text: body, children: [] };
  if (index >= 0) level[index] = node;
  else level.push(node);
}

/**
 * `no spanning-tree vlan-id LIST`: one shown line holds every VLAN the setting is off for; `no … L`
 * adds L to it, `… L` takes L out, `default …` without a list clears it.
 */
function applyNegatedList(
  level: ConfigNode[],
  rule: Rule,
  tokens: string[],
  negation: "no" | "default" | undefined,
) {
  const words = rule.words.join(" ");
  const at = level.findIndex((n) => startsWithWords(n.text, `no ${words}`));
  const current = at >= 0 ? level[at]!.text.slice(`no ${words} `.length) : "";
  const items = tokens.slice(rule.words.length).join("");
  const next =
    negation === "no" ? editVlanSet(current, "add", items) : editVlanSet(current, "remove", items || current);
  const node = { text: `no ${words} ${next}`, children: [] };
  if (next === "") {
    if (at >= 0) level.splice(at, 1);
  } else if (at >= 0) level[at] = node;
  else level.push(node);
}

/** A command no table names: stored as typed (see the file comment). */
function applyUnknown(level: ConfigNode[], tokens: string[], negation: "no" | "default" | undefined) {
  const body = tokens.join(" ");
  if (!negation) {
    const shownNegation = level.findIndex((n) => n.text === `no ${body}`);
    if (shownNegation >= 0) level.splice(shownNegation, 1);
    else if (!level.some((n) => n.text === body)) level.push({ text: body, children: [] });
    return;
  }
  let removed = false;
  for (let i = level.length - 1; i >= 0; i--) {
    const text = level[i]!.text;
    if (startsWithWords(text, body) || startsWithWords(text, `no ${body}`)) {
      level.splice(i, 1);
      removed = true;
    }
  }
  if (!removed && negation === "no") level.push({ text: `no ${body}`, children: [] });
}

/** Assigns a sequence number to an ACL entry typed without one (EOS numbers them 10, 20, …). */
function withSequence(level: ConfigNode[], tokens: string[]): string[] {
  if (!["permit", "deny", "remark"].includes(tokens[0]!)) return tokens;
  // EOS shows `permit response traffic nat` as it is: not a numbered entry.
  if (tokens.join(" ") === "permit response traffic nat") return tokens;
  const max = Math.max(0, ...level.map((n) => Number(n.text.split(" ")[0]) || 0));
  return [String(Math.floor(max / 10) * 10 + 10), ...tokens];
}

/**
 * Applies one config-mode line to `tree` (mutated) at `path`. `opensBlock`: the next line of the
 * script is indented deeper, so an unknown command is taken for a sub-mode header (EOS knows its own
 * grammar; the simulator learns the sub-modes it has no table for from the indentation EOS prints).
 */
export function applyConfigLine(
  tree: ConfigNode[],
  path: ModePath,
  line: string,
  opensBlock = false,
): EditResult {
  const all = line.trim().split(/\s+/);
  const negation = all[0] === "no" || all[0] === "default" ? (all[0] as "no" | "default") : undefined;
  const tokens = negation ? all.slice(1) : all;
  const offset = negation ? 1 : 0;
  if (tokens.length === 0) return { ok: false, error: INCOMPLETE };

  const depth = path.texts.length;
  const kind = depth === 0 ? "top" : path.kinds[depth - 1]!;
  let rule = matchRule(kind, tokens);
  let at = depth;
  if (!rule && depth > 0 && !isGeneric(kind)) {
    // A mode header of an enclosing mode leaves the sub-mode. Sub-modes the simulator has no table
    // for never do: their own commands (`vlan 10-20` in a VLAN-aware bundle) look like headers.
    for (let outer = depth - 1; outer >= 0 && !rule; outer--) {
      const outerRule = matchRule(outer === 0 ? "top" : path.kinds[outer - 1]!, tokens);
      if (outerRule?.mode === "section") {
        rule = outerRule;
        at = outer;
      }
    }
  }
  const texts = path.texts.slice(0, at);
  const kinds = path.kinds.slice(0, at);
  const level = childrenAt(tree, texts);
  if (!level) return { ok: false, error: "% Internal error: mode path lost" };
  const text = tokens.join(" ");
  const existing = level.find((n) => n.text === text && n.children.length > 0);

  if (rule?.mode === "multi" && !negation && (opensBlock || existing)) {
    // `platform tfa` / `   personality arfa`: a keyword of many settings whose instance is a sub-mode.
    rule = { words: [tokens[0]!], mode: "section", kind: "generic" };
  }
  if (!rule) {
    if (depth === 0 && !isTopLevelWord(tokens[0]!))
      return { ok: false, error: invalidInput(offset, tokens[0]!) };
    if (!negation && (opensBlock || existing))
      rule = { words: [tokens[0]!], mode: "section", kind: "generic" };
    else {
      applyUnknown(level, tokens, negation);
      return { ok: true, path: { texts, kinds } };
    }
  }
  // `no description` needs no value; `no interface` still needs the name
  const needed = rule.words.length + (negation && rule.mode !== "section" ? 0 : (rule.min ?? 0));
  if (tokens.length < needed) return { ok: false, error: INCOMPLETE };
  if (rule.mode === "section") {
    if (negation && isPhysicalPort(text)) {
      if (negation === "no") return { ok: false, error: "% Removal of physical interfaces is not permitted" };
      const port = level.find((n) => n.text === text);
      if (port) port.children = [];
      return { ok: true, path: { texts, kinds } };
    }
    if (!negation) {
      const conflict = singleInstanceConflict(
        text,
        level.map((n) => n.text),
      );
      if (conflict) return { ok: false, error: conflict };
      if (!level.some((n) => n.text === text)) level.push({ text, children: [] });
      return { ok: true, path: { texts: [...texts, text], kinds: [...kinds, rule.kind ?? "generic"] } };
    }
  }
  const entry = kind === "acl" && !negation && at === depth ? withSequence(level, tokens) : tokens;
  applyAt(level, rule, entry, negation, at === depth ? kind : at === 0 ? "top" : path.kinds[at - 1]!);
  return { ok: true, path: { texts, kinds } };
}

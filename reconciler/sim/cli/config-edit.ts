/**
 * Config-mode semantics of the simulated CLI: a line entered in a mode goes under that mode's section;
 * `no X` / `default X` remove what X names; single-valued commands replace their value in place;
 * multi-valued ones accumulate. A command that the current mode does not know is tried in the enclosing
 * modes (EOS leaves the sub-mode, e.g. `vlan 30` typed inside `interface Ethernet1`).
 */
import type { ConfigNode } from "./config-tree.ts";
import { isGeneric, matchRule, type Rule } from "./rules.ts";

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
  return tokens.slice(0, rule.key ?? rule.words.length).join(" ");
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
  if (negation) {
    const stored = rule.mode === "toggle" && negation === "no";
    const id = identity(rule, tokens);
    const byIdentity = rule.mode === "set" || rule.mode === "toggle";
    let at = level.length;
    for (let i = level.length - 1; i >= 0; i--) {
      const child = level[i]!;
      const childTokens = stripNo(child.text.split(" "));
      const hit = byIdentity
        ? matchRule(kind, childTokens) === rule && startsWithWords(childTokens.join(" "), id)
        : startsWithWords(child.text, body);
      if (hit || startsWithWords(child.text, body)) {
        level.splice(i, 1);
        at = i;
      }
    }
    if (stored) level.splice(at, 0, { text: `no ${body}`, children: [] });
    return;
  }
  if (rule.mode === "multi" || (rule.secondaryIsMulti && tokens.at(-1) === "secondary")) {
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

/** Assigns a sequence number to an ACL entry typed without one (EOS numbers them 10, 20, …). */
function withSequence(level: ConfigNode[], tokens: string[]): string[] {
  if (!["permit", "deny", "remark"].includes(tokens[0]!)) return tokens;
  const max = Math.max(0, ...level.map((n) => Number(n.text.split(" ")[0]) || 0));
  return [String(Math.floor(max / 10) * 10 + 10), ...tokens];
}

/** Applies one config-mode line to `tree` (mutated) at `path`. */
export function applyConfigLine(tree: ConfigNode[], path: ModePath, line: string): EditResult {
  const all = line.trim().split(/\s+/);
  const negation = all[0] === "no" || all[0] === "default" ? (all[0] as "no" | "default") : undefined;
  const tokens = negation ? all.slice(1) : all;
  const offset = negation ? 1 : 0;
  if (tokens.length === 0) return { ok: false, error: INCOMPLETE };

  for (let depth = path.texts.length; depth >= 0; depth--) {
    const kind = depth === 0 ? "top" : path.kinds[depth - 1]!;
    const texts = path.texts.slice(0, depth);
    const kinds = path.kinds.slice(0, depth);
    let rule = matchRule(kind, tokens);
    if (!rule && isGeneric(kind) && !matchRule("top", tokens)) rule = { words: [tokens[0]!], mode: "multi" };
    if (!rule) continue;
    // `no description` needs no value; `no interface` still needs the name
    const needed = rule.words.length + (negation && rule.mode !== "section" ? 0 : (rule.min ?? 0));
    if (tokens.length < needed) return { ok: false, error: INCOMPLETE };
    const level = childrenAt(tree, texts);
    if (!level) return { ok: false, error: "% Internal error: mode path lost" };
    if (rule.mode === "section" && !negation) {
      const text = tokens.join(" ");
      if (!level.some((n) => n.text === text)) level.push({ text, children: [] });
      return { ok: true, path: { texts: [...texts, text], kinds: [...kinds, rule.kind ?? "generic"] } };
    }
    const entry = kind === "acl" && !negation ? withSequence(level, tokens) : tokens;
    applyAt(level, rule, entry, negation, kind);
    return { ok: true, path: { texts, kinds } };
  }
  return { ok: false, error: invalidInput(offset, tokens[0]!) };
}

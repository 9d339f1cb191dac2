/**
 * Reads the rule tables for one line: which mode a block opens, which setting a line is (its key),
 * how it is removed, and where it goes in the order. The only place that runs rule patterns.
 */
import { LINE_RULES, type LineRule, MODE_RULES, type ModeRule } from "./rules.ts";

/** The mode of a block EOS does not know to this engine: only "*" rules apply inside it. */
export const UNKNOWN_MODE = "?";
export const ROOT_MODE = "root";
const DEFAULT_RANK = 50;

export interface LineClass {
  /** Canonical text (the rule's canonical form when it has one). */
  readonly text: string;
  readonly key: string;
  readonly rule: LineRule | undefined;
  readonly match: RegExpExecArray | undefined;
  readonly group: string | undefined;
  readonly rank: number;
  /** EOS does not show this line: a default a rule names (`no shutdown` on a port). */
  readonly hidden: boolean;
  /** The mode the line opens when it is a block header (UNKNOWN_MODE when no rule names one). */
  readonly childMode: string;
}

/** The first word a rule's pattern can start with, so a line is tested only against its candidates. */
function leadingWords(pattern: RegExp): string[] {
  let source = pattern.source;
  if (!source.startsWith("^")) throw new Error(`EOS rule pattern must be anchored: /${source}/`);
  source = source.slice(1);
  const words: string[] = [];
  if (source.startsWith("(?:no )?")) {
    words.push("no");
    source = source.slice("(?:no )?".length);
  }
  if (source.startsWith("(")) {
    let depth = 0;
    let end = 0;
    for (; end < source.length; end++) {
      const ch = source[end];
      if (ch === "\\") end++;
      else if (ch === "(") depth++;
      else if (ch === ")" && --depth === 0) break;
    }
    const inner = source.slice(1, end).replace(/^\?:/, "");
    const alternatives = splitTopLevel(inner);
    for (const alternative of alternatives) words.push(firstWord(alternative.replace(/^\(\?:/, ""), pattern));
  } else {
    words.push(firstWord(source, pattern));
  }
  return words;
}

function splitTopLevel(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === "\\") i++;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "|" && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

function firstWord(source: string, pattern: RegExp): string {
  if (source.startsWith("\\d")) return "#";
  const m = /^[A-Za-z0-9][A-Za-z0-9-]*/.exec(source);
  if (!m) throw new Error(`cannot index EOS rule /${pattern.source}/ by its first word`);
  return m[0];
}

function lineWord(text: string): string {
  const code = text.charCodeAt(0);
  if (code >= 48 && code <= 57) return "#";
  const space = text.indexOf(" ");
  return space < 0 ? text : text.slice(0, space);
}

/** mode → first word → rules, mode-specific rules before "*" rules, each in table order. */
const ruleIndex = new Map<string, Map<string, LineRule[]>>();
/** Rules of two-state settings whose `no` form EOS shows (`no shutdown` under management xmpp). */
const twoStateRules = new Set(
  LINE_RULES.filter((rule) => leadingWords(rule.match)[0] === "no" && !rule.hidden),
);
const modeNames = new Set<string>([ROOT_MODE, UNKNOWN_MODE, ...MODE_RULES.map((mode) => mode.name)]);
for (const mode of modeNames) {
  const specific = LINE_RULES.filter((rule) => rule.in !== "*" && rule.in.includes(mode));
  const general = LINE_RULES.filter((rule) => rule.in === "*");
  const byWord = new Map<string, LineRule[]>();
  for (const rule of [...specific, ...general]) {
    for (const word of leadingWords(rule.match)) {
      const list = byWord.get(word) ?? [];
      list.push(rule);
      byWord.set(word, list);
    }
  }
  ruleIndex.set(mode, byWord);
}
const multilineWords = new Set(
  LINE_RULES.filter((rule) => rule.multiline).flatMap((rule) => leadingWords(rule.match)),
);
const modesByParent = new Map<string, ModeRule[]>();
for (const mode of MODE_RULES) {
  for (const parent of mode.in) modesByParent.set(parent, [...(modesByParent.get(parent) ?? []), mode]);
}
const sequencedModes = new Map(MODE_RULES.filter((m) => m.sequenced).map((m) => [m.name, m.sequenced!]));

type Expander = (m: RegExpExecArray) => string;
const expanders = new Map<string, Expander>();

/** `$0`…`$9` in a rule template replaced by the match and its groups (compiled once per template). */
export function expandTemplate(template: string, m: RegExpExecArray): string {
  let expander = expanders.get(template);
  if (!expander) {
    expander = compileTemplate(template);
    expanders.set(template, expander);
  }
  return expander(m);
}

function compileTemplate(template: string): Expander {
  if (template === "$0") return (m) => m[0].trim();
  const parts = template.split(/(\$\d)/).filter((part) => part !== "");
  return (m) => {
    let out = "";
    for (const part of parts) out += part.length === 2 && part[0] === "$" ? (m[Number(part[1])] ?? "") : part;
    return out.trim();
  };
}

function findRule(mode: string, text: string): [LineRule, RegExpExecArray] | undefined {
  const candidates = (ruleIndex.get(mode) ?? ruleIndex.get(UNKNOWN_MODE)!).get(lineWord(text));
  if (!candidates) return undefined;
  for (const rule of candidates) {
    const m = rule.match.exec(text);
    if (m) return [rule, m];
  }
  return undefined;
}

/**
 * Lines repeat a lot across a switch's config and between its running and intended config
 * (`switchport mode trunk`, `mtu 9214`): a class is computed once per mode and text. Bounded so a
 * long-running reconciler does not grow without limit.
 */
const classCache = new Map<string, Map<string, LineClass>>();
const CLASS_CACHE_LIMIT = 200_000;
let classCacheSize = 0;

export function classifyLine(mode: string, text: string): LineClass {
  let byText = classCache.get(mode);
  if (!byText) {
    byText = new Map();
    classCache.set(mode, byText);
  }
  const cached = byText.get(text);
  if (cached) return cached;
  if (classCacheSize >= CLASS_CACHE_LIMIT) {
    for (const map of classCache.values()) map.clear();
    classCacheSize = 0;
  }
  const cls = computeClass(mode, text);
  byText.set(text, cls);
  classCacheSize++;
  return cls;
}

function computeClass(mode: string, text: string): LineClass {
  let found = findRule(mode, text);
  if (found?.[0].canonical) {
    const canonical = found[0].canonical(found[1]);
    if (canonical !== text) {
      text = canonical;
      found = findRule(mode, text);
    }
  }
  const childMode = modeOf(mode, text);
  if (!found) {
    // A `no X` line no rule names is shown by EOS (`no autostate`, `no lldp transmit`): the negative
    // state of setting X, one setting with the line `X`.
    return {
      childMode,
      text,
      key: text.startsWith("no ") ? text.slice(3) : text,
      rule: undefined,
      match: undefined,
      group: undefined,
      rank: DEFAULT_RANK,
      hidden: false,
    };
  }
  const [rule, m] = found;
  return {
    childMode,
    text,
    key: expandTemplate(rule.key ?? "$0", m),
    rule,
    match: m,
    group: rule.group ? expandTemplate(rule.group, m) : undefined,
    rank: rule.rank ?? DEFAULT_RANK,
    hidden: rule.hidden === true,
  };
}

/** The command that removes this line (`no <key>`, a rule's keyed form, or `default …`). */
export function negationOf(line: LineClass): string {
  if (line.rule?.negate && line.match) return expandTemplate(line.rule.negate, line.match);
  if (line.text.startsWith("no ")) return `default ${line.rule ? line.key : line.text.slice(3)}`;
  // `no X` would set the visible negative state, not remove the line: go back to the default instead.
  if (line.rule && twoStateRules.has(line.rule)) return `default ${line.key}`;
  return `no ${line.key}`;
}

export function groupNegationOf(line: LineClass): string {
  if (line.rule?.groupNegate && line.match) return expandTemplate(line.rule.groupNegate, line.match);
  return `no ${line.group}`;
}

/** Per mode, the first words a hidden line can start with. */
const hiddenWords = new Map<string, Set<string>>();
for (const mode of modeNames) {
  const words = new Set<string>();
  for (const rule of LINE_RULES) {
    if (rule.hidden && (rule.in === "*" || rule.in.includes(mode)))
      for (const w of leadingWords(rule.match)) words.add(w);
  }
  hiddenWords.set(mode, words);
}

/** False when `text` certainly is not a hidden default in `mode` (cheaper than classifying it). */
export function mayBeHidden(mode: string, text: string): boolean {
  return (hiddenWords.get(mode) ?? hiddenWords.get(UNKNOWN_MODE)!).has(lineWord(text));
}

/** The mode a block header opens, or UNKNOWN_MODE. */
export function modeOf(parentMode: string, header: string): string {
  for (const mode of modesByParent.get(parentMode) ?? []) if (mode.match.test(header)) return mode.name;
  return UNKNOWN_MODE;
}

export function sequencingOf(mode: string): ModeRule["sequenced"] {
  return sequencedModes.get(mode);
}

/** The line that ends a multi-line value started by `text`, if `text` starts one. */
export function multilineTerminator(mode: string, text: string): string | undefined {
  for (const word of multilineWords) {
    if (text.startsWith(word) && (text.length === word.length || text.charCodeAt(word.length) === 32)) {
      return findRule(mode, text)?.[0].multiline?.terminator;
    }
  }
  return undefined;
}

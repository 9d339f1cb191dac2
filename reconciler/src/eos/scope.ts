/** The managed scope compiled once: which top-level sections are owned, which lines are never touched. */
import type { ManagedScope } from "../fabric/types.ts";

export interface CompiledScope {
  /** True when a top-level line belongs to a managed section (`no X` belongs where `X` does). */
  isManaged(topLevelText: string): boolean;
  /** The managed sections a top-level line belongs to, in the order the scope lists them (none: not managed). */
  sectionsOf(topLevelText: string): readonly string[];
  /** True when a line (at any depth) matches an ignore pattern. */
  isIgnored(text: string): boolean;
  /** True when a top-level line stays as it is on the switch unless git lists it (scope.keepUnlisted). */
  keepsUnlisted(topLevelText: string): boolean;
}

const compiled = new WeakMap<ManagedScope, CompiledScope>();

export function compileScope(scope: ManagedScope): CompiledScope {
  const cached = compiled.get(scope);
  if (cached) return cached;
  // Sections by their first word, the words by their first letter: a line is tested only against the
  // sections it can belong to, found without cutting its first word out (every top-level line of
  // every tree planned is tested, some several times, and most are in no section).
  const byLetter = new Map<number, { word: string; sections: string[] }[]>();
  for (const section of new Set(scope.sections)) {
    const space = section.indexOf(" ");
    const word = space < 0 ? section : section.slice(0, space);
    const words = byLetter.get(word.charCodeAt(0)) ?? [];
    const entry = words.find((w) => w.word === word);
    if (entry) entry.sections.push(section);
    else words.push({ word, sections: [section] });
    byLetter.set(word.charCodeAt(0), words);
  }
  const ignore =
    scope.ignore.length > 0 ? new RegExp(scope.ignore.map((s) => `(?:${s})`).join("|")) : undefined;
  const keep =
    scope.keepUnlisted && scope.keepUnlisted.length > 0
      ? new RegExp(scope.keepUnlisted.map((s) => `(?:${s})`).join("|"))
      : undefined;
  /** The sections a line (without its `no `) can be in: those of its first word. */
  const candidates = (line: string): readonly string[] => {
    for (const { word, sections } of byLetter.get(line.charCodeAt(0)) ?? NONE_WORDS) {
      if (line.startsWith(word) && (line.length === word.length || line.charCodeAt(word.length) === 32))
        return sections;
    }
    return NONE;
  };
  const result: CompiledScope = {
    isManaged(text) {
      const line = text.startsWith("no ") ? text.slice(3) : text;
      for (const section of candidates(line)) if (isIn(line, section)) return true;
      return false;
    },
    sectionsOf(text) {
      const line = text.startsWith("no ") ? text.slice(3) : text;
      const sections = candidates(line);
      // Mostly one candidate: an array is made only for a line in two sections ("ip" and "ip route").
      if (sections.length === 1) return isIn(line, sections[0]!) ? sections : NONE;
      return sections.filter((section) => isIn(line, section));
    },
    isIgnored: ignore ? (text) => ignore.test(text) : () => false,
    keepsUnlisted: keep ? (text) => keep.test(text) : () => false,
  };
  compiled.set(scope, result);
  return result;
}

const NONE: readonly string[] = [];
const NONE_WORDS: readonly { word: string; sections: string[] }[] = [];

/** A line is in a section when it is the section's words, or starts with them and a space. */
function isIn(line: string, section: string): boolean {
  return line === section || (line.startsWith(section) && line.charCodeAt(section.length) === 32);
}

/** Every top-level command word of the given trees: the scope of a plain two-file diff. */
export function scopeOfAll(...trees: { children: readonly { text: string }[] }[]): ManagedScope {
  const sections = new Set<string>();
  for (const tree of trees) {
    for (const node of tree.children) {
      const text = node.text.startsWith("no ") ? node.text.slice(3) : node.text;
      const space = text.indexOf(" ");
      sections.add(space < 0 ? text : text.slice(0, space));
    }
  }
  return { sections: [...sections].sort(), ignore: [] };
}

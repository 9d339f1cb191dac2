import { textMemo } from "../memo/text-memo.ts";
import { commandStart, type KeywordTable, leadingWords } from "./keywords.ts";

/** One way EOS may read a command line: its words expanded and case-folded. */
export interface Reading {
  /** The command after any `do`, `no` and `default` (e.g. ["write", "erase"] for "do wr er"). */
  words: string[];
  /** It was run through `do` (an EXEC command typed in config mode). */
  viaDo: boolean;
  /** It was negated (`no …` / `default …`). */
  negated: boolean;
  /** Every word as EOS reads it, `do`/`no`/`default` included (for messages). */
  full: string[];
}

/** EOS splits a command line at whitespace; keywords are case-insensitive. */
export function tokenise(line: string): string[] {
  return line.trim().split(/\s+/).filter(Boolean);
}

/** Enough for any real line; a line that abbreviates so much that it has more readings is denied. */
export const maxReadings = 64;

/**
 * Every reading of a line under the keyword table: a token that is a keyword is that keyword; a
 * token that is a prefix of one or more keywords may be each of them (EOS takes a unique prefix;
 * the policy considers every candidate, so an ambiguous abbreviation of a denied command is denied
 * too); any other token is an argument. `undefined` when there are more than `maxReadings`.
 */
export function readingsOf(line: string, start: KeywordTable = commandStart): Reading[] | undefined {
  return start === commandStart ? commandReadings(line) : expandReadings(line, start);
}

/** The readings of a command line from config mode's start (shared: callers never change them). */
const commandReadings = textMemo((line) => expandReadings(line, commandStart));

function expandReadings(line: string, start: KeywordTable): Reading[] | undefined {
  const written = tokenise(line);
  const tokens = written.map((token) => token.toLowerCase());
  const expanded: string[][] = [];
  const walk = (at: number, current: KeywordTable | undefined, words: string[]): boolean => {
    if (expanded.length > maxReadings) return false;
    if (at === tokens.length) {
      expanded.push(words);
      return true;
    }
    const token = tokens[at]!;
    const candidates = current ? keywordsFor(token, current) : [];
    // Keywords are case-insensitive; an argument (a file name, a VRF name) keeps its case.
    if (candidates.length === 0) return walk(at + 1, current?.afterArgument, [...words, written[at]!]);
    return candidates.every((word) => walk(at + 1, current!.words[word], [...words, word]));
  };
  if (!walk(0, start, [])) return undefined;
  return expanded.map(stripLeadingWords);
}

/** The keywords a token may be at this position: itself when it is one, else those it abbreviates. */
export function keywordsFor(token: string, table: KeywordTable): string[] {
  if (Object.hasOwn(table.words, token)) return [token];
  return Object.keys(table.words).filter((word) => word.startsWith(token));
}

function stripLeadingWords(words: string[]): Reading {
  let viaDo = false;
  let negated = false;
  let at = 0;
  for (; at < words.length - 1; at++) {
    const word = words[at]!;
    if (word === leadingWords.exec) viaDo = true;
    else if ((leadingWords.negations as readonly string[]).includes(word)) negated = true;
    else break;
  }
  return { words: words.slice(at), viaDo, negated, full: words };
}

/**
 * The shortest prefix of each keyword of a command that is unique at its position (for tests and
 * messages): ["reload"] → [3] ("rel"), since "re" also abbreviates "redundancy", "rename", ….
 */
export function shortestUniquePrefixes(words: string[], start: KeywordTable = commandStart): number[] {
  const lengths: number[] = [];
  let current: KeywordTable | undefined = start;
  for (const word of words) {
    const table: KeywordTable | undefined = current;
    if (!table || !Object.hasOwn(table.words, word)) {
      lengths.push(word.length);
      current = table?.afterArgument;
      continue;
    }
    let length = 1;
    while (length < word.length && keywordsFor(word.slice(0, length), table).length > 1) length++;
    lengths.push(length);
    current = table.words[word];
  }
  return lengths;
}

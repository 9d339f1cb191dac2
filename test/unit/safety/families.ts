import { builtinDenyRules, shortestUniquePrefixes } from "../../../reconciler/src/safety/index.ts";

/** A concrete command for each built-in deny rule (`…` filled in). */
export const deniedExamples: { command: string; words: string[]; tail: string }[] = builtinDenyRules.map(
  (rule) => {
    const words = rule.words.flatMap((word) => (word === "…" ? ["running-config"] : [word]));
    if (rule.command === "username … shell")
      return { command: rule.command, words: ["username"], tail: "ops shell /bin/bash" };
    return { command: rule.command, words, tail: "" };
  },
);

/** "ReLoAd": every other letter upper-case. */
export function mixedCase(word: string, offset = 0): string {
  return [...word].map((c, i) => ((i + offset) % 2 === 0 ? c.toUpperCase() : c.toLowerCase())).join("");
}

/**
 * The abbreviation family of a command: for each keyword, every unique prefix (from the shortest
 * one EOS accepts to the full word) with the other keywords written out; each in lower, upper and
 * mixed case; each with and without `do`.
 */
export function abbreviationFamily(words: string[], tail = ""): string[] {
  const shortest = shortestUniquePrefixes(words);
  const lines = new Set<string>();
  words.forEach((word, index) => {
    for (let length = shortest[index]!; length <= word.length; length++) {
      const spelled = words.map((w, i) => (i === index ? w.slice(0, length) : w));
      for (const cased of [
        spelled,
        spelled.map((w) => w.toUpperCase()),
        spelled.map((w, i) => mixedCase(w, i)),
      ]) {
        const line = [...cased, tail].filter(Boolean).join(" ");
        lines.add(line);
        lines.add(`do ${line}`);
        lines.add(`DO ${line}`);
      }
    }
  });
  return [...lines];
}

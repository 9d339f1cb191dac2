/**
 * Markdown building blocks that keep a report inside a character budget: GitHub rejects a comment
 * body over 65,536 characters with 422 (reference/github.md §2.2), and a job summary over 1 MiB.
 * Budgets count JS string length (UTF-16 units), which is never less than GitHub's character count.
 */

/** GitHub's comment body limit; reports default to a budget below it. */
export const GITHUB_COMMENT_LIMIT = 65_536;
export const DEFAULT_COMMENT_BUDGET = 60_000;

/** A part of a report that can be left out as a whole; `name` is what the fold note lists. */
export interface FoldableSection {
  name: string;
  text: string;
}

/** Room kept for the fold note, so that adding it never breaks the budget. */
const NOTE_RESERVE = 1_200;

/** The longest run of leading items whose costs add up to at most `max`. */
function leadingWithin<T>(items: T[], max: number, cost: (item: T) => number): T[] {
  let used = 0;
  let count = 0;
  for (const item of items) {
    used += cost(item);
    if (used > max) break;
    count++;
  }
  return items.slice(0, count);
}

/** A fenced code block whose fence is longer than any backtick run inside the text. */
export function fence(text: string, info = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const bar = "`".repeat(longest + 1);
  return `${bar}${info}\n${text}${text.endsWith("\n") || text === "" ? "" : "\n"}${bar}`;
}

/** Cuts text at a line boundary to at most `max` characters and says how many lines were cut. */
export function clipLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const lines = text.split("\n");
  const kept = leadingWithin(lines, max - 80, (line) => line.length + 1);
  const cut = lines.length - kept.length;
  return `${kept.join("\n")}\n… ${cut} more line${cut === 1 ? "" : "s"} not shown`;
}

/** Escapes text placed inside HTML (e.g. a `<summary>`), where markdown is not parsed. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escapes a value placed in a markdown table cell. */
export function tableCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** `<details>` with an HTML summary line and a markdown body. */
export function details(summaryHtml: string, body: string, open = false): string {
  return `<details${open ? " open" : ""}><summary>${summaryHtml}</summary>\n\n${body}\n\n</details>`;
}

/** "leaf1, leaf2, … and 3 more", within `max` characters. */
export function nameList(names: string[], max: number): string {
  const shown = leadingWithin(names, max - 20, (name) => name.length + 2);
  const rest = names.length - shown.length;
  return rest === 0 ? shown.join(", ") : `${shown.join(", ")}${shown.length ? ", " : ""}… and ${rest} more`;
}

export interface AssembleOptions {
  budget: number;
  /** What a section is, for the note: "switch" → "3 more switches". */
  noun: [singular: string, plural: string];
  /** Where the full report is; named in the note. */
  reportUrl?: string;
  /** What the budget protects, for the note. */
  limitName?: string;
  /** Between the head and each section: a blank line (default) or "\n" for table rows. */
  separator?: string;
}

/**
 * head + sections + tail, in order, leaving out every section from the first one that would
 * overflow the budget, and replacing them with one note that names them. The head and tail are
 * always kept (callers keep them short); sections are never cut half-way, so no fence or
 * `<details>` is left open.
 */
export function assembleWithinBudget(
  head: string,
  sections: FoldableSection[],
  tail: string,
  options: AssembleOptions,
): string {
  const separator = options.separator ?? "\n\n";
  const join = (body: string[], after: string[]) =>
    [body.filter((p) => p !== "").join(separator), ...after].filter((p) => p !== "").join("\n\n");
  const whole = join([head, ...sections.map((s) => s.text)], [tail]);
  if (whole.length <= options.budget) return whole;

  const room = options.budget - NOTE_RESERVE - head.length - tail.length - 4;
  const kept = leadingWithin(sections, room, (s) => s.text.length + separator.length).map((s) => s.text);
  const omitted = sections.slice(kept.length).map((s) => s.name);
  const [one, many] = options.noun;
  const where = options.reportUrl ? ` The full report is at ${options.reportUrl}.` : "";
  const limit = options.limitName ?? "GitHub's 65,536-character comment limit";
  const note =
    `> [!NOTE]\n> **Folded:** ${omitted.length} more ${omitted.length === 1 ? one : many} not shown ` +
    `to stay under ${limit}: ${nameList(omitted, NOTE_RESERVE - 300)}.${where}`;
  return join([head, ...kept], [note, tail]);
}

/** What every markdown renderer takes. */
export interface MarkdownOptions {
  /** Masks secrets in config text (EOS `redactSecrets`); applied to every command and diff shown. */
  redact: (text: string) => string;
  /**
   * Masks secret values in prose (error and refusal messages): the process redactor's `redactValues`
   * (its secrets, token formats, PEM keys), never the EOS line patterns, which would turn "holds a
   * secret value" into "<redacted> a secret <redacted>". Config a message quotes was redacted where it
   * was quoted (redaction/excerpt.ts). Default: token formats and PEM keys only.
   */
  redactValues?: (text: string) => string;
  /** Maximum length of the rendered markdown; default DEFAULT_COMMENT_BUDGET. */
  budget?: number;
  /** Link to the full report (CI run, service status page), named when the report is folded. */
  reportUrl?: string;
}

/** `abc1234` (`main`), or `worktree`. */
export function revisionLabel(revision: { sha: string; ref?: string }): string {
  // "<sha>-dirty" marks a working tree with uncommitted changes: keep the marker, shorten the sha.
  const sha = revision.sha.replace(/^([0-9a-f]{7})[0-9a-f]{33}/, "$1");
  return revision.ref ? `\`${sha}\` (\`${revision.ref}\`)` : `\`${sha}\``;
}

/** A code block shown in a section, clipped so that one huge diff cannot crowd out the rest. */
export function codeBlock(text: string, options: MarkdownOptions, info = ""): string {
  const cap = Math.max(1_000, Math.floor((options.budget ?? DEFAULT_COMMENT_BUDGET) / 4));
  return fence(clipLines(options.redact(text), cap), info);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

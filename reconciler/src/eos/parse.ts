/**
 * EOS config text → tree. EOS indents 3 spaces per level (reference §4.1); any consistent indentation
 * is accepted, as in hand-written intended configs. `!` lines close blocks and are not nodes, `end` is
 * not a node, `! …` comments are kept aside, and a multi-line value (`banner … EOF`) is one node.
 */
import { modeOf, multilineTerminator, ROOT_MODE } from "./classify.ts";
import { ConfigParseError } from "./errors.ts";
import { quoteLine } from "./redact.ts";
import type { ConfigComment, ConfigNode, ConfigTree } from "./types.ts";

interface Building {
  text: string;
  line: number;
  body?: string[];
  children: Building[];
}

interface Frame {
  children: Building[];
  /** Indentation of the lines in this block; fixed by its first line. */
  indent: number;
  mode: string;
}

// Anything but tab, newline and carriage return below space, DEL, or the replacement character that
// a binary file decoded as UTF-8 produces.
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;
const INNER_SPACE = /\s{2,}|\t/;
const NO_CHILDREN: Building[] = [];

/** Parses EOS config text. Throws `ConfigParseError` (with `.line`) when the text is not a config. */
export function parseConfig(text: string): ConfigTree {
  const bad = NOT_TEXT.exec(text);
  if (bad) {
    throw new ConfigParseError("binary", lineAt(text, bad.index), "not config text (control or binary data)");
  }
  // Lines end in LF or CRLF; a lone CR (old Mac) is a line end too.
  const source = text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
  const root: Frame = { children: [], indent: 0, mode: ROOT_MODE };
  const stack: Frame[] = [root];
  const comments: ConfigComment[] = [];
  let last: Building | undefined;
  /** Indentation of `last`. */
  let lastIndent = 0;
  let indentChar: string | undefined;
  let multiline: { node: Building; terminator: string } | undefined;

  // Lines are read by position in the text: no array of lines, no string per raw line.
  let lineNumber = 0;
  for (let start = 0; start <= source.length; ) {
    let end = source.indexOf("\n", start);
    if (end < 0) end = source.length;
    const lineStart = start;
    start = end + 1;
    lineNumber++;
    if (multiline) {
      const raw = source.slice(lineStart, end);
      if (raw.trim() === multiline.terminator) multiline = undefined;
      else multiline.node.body!.push(raw);
      continue;
    }
    let at = lineStart;
    let spaces = 0;
    for (; at < end; at++) {
      const code = source.charCodeAt(at);
      if (code === 32) spaces++;
      else if (code !== 9) break;
    }
    if (at === end) continue;
    const indent = at - lineStart;
    if (indent > 0) {
      const char = spaces > 0 ? " " : "\t";
      if ((spaces > 0 && spaces < indent) || (indentChar !== undefined && char !== indentChar)) {
        throw new ConfigParseError(
          "mixed-indentation",
          lineNumber,
          "indentation mixes tabs and spaces; indent with spaces only (EOS uses 3 per level)",
        );
      }
      indentChar = char;
    }
    let stop = end;
    while (stop > at && (source.charCodeAt(stop - 1) === 32 || source.charCodeAt(stop - 1) === 9)) stop--;
    let content = source.slice(at, stop);
    if (content.startsWith("!")) {
      if (content === "!") {
        // A `!` closes the blocks nested deeper than itself: nothing more can be added to them. EOS
        // also prints one before the first sub-block of a block (`ip security` / `   !` /
        // `   ike policy IKE-1`): a `!` indented deeper than the last line leaves that line open.
        if (last && indent > lastIndent) continue;
        while (stack.length > 1 && stack[stack.length - 1]!.indent > indent) stack.pop();
        last = undefined;
      } else {
        comments.push({ line: lineNumber, text: content });
      }
      continue;
    }
    if (content === "end" && indent === 0) {
      while (stack.length > 1) stack.pop();
      last = undefined;
      continue;
    }
    if (INNER_SPACE.test(content)) content = content.replace(/\s+/g, " ");

    let frame = stack[stack.length - 1]!;
    if (indent > frame.indent) {
      if (!last) {
        throw new ConfigParseError(
          "orphan-line",
          lineNumber,
          `${quoteLine(content)} is indented but has no parent line above it`,
        );
      }
      last.children = [];
      frame = { children: last.children, indent, mode: modeOf(frame.mode, last.text) };
      stack.push(frame);
    } else if (indent < frame.indent) {
      while (stack.length > 1 && stack[stack.length - 1]!.indent > indent) stack.pop();
      frame = stack[stack.length - 1]!;
      if (frame.indent !== indent) {
        throw new ConfigParseError(
          "bad-indentation",
          lineNumber,
          `${quoteLine(content)} is indented ${indent} but no enclosing block is indented that much`,
        );
      }
    }
    // Most lines have no children: they share one empty array until they get some.
    const node: Building = { text: content, line: lineNumber, children: NO_CHILDREN };
    frame.children.push(node);
    last = node;
    lastIndent = indent;
    const terminator = multilineTerminator(frame.mode, content);
    if (terminator) {
      node.body = [];
      multiline = { node, terminator };
    }
  }
  if (multiline) {
    throw new ConfigParseError(
      "unterminated-multiline",
      multiline.node.line,
      `${quoteLine(multiline.node.text)} is not ended by a line "${multiline.terminator}"`,
    );
  }
  return { children: root.children as ConfigNode[], comments };
}

/** The same as `parseConfig`, as a result value instead of an exception. */
export function tryParseConfig(
  text: string,
): { ok: true; tree: ConfigTree } | { ok: false; error: ConfigParseError } {
  try {
    return { ok: true, tree: parseConfig(text) };
  } catch (error) {
    if (error instanceof ConfigParseError) return { ok: false, error };
    throw error;
  }
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

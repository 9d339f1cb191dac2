import { isScalar, isSeq, Scalar } from "yaml";
import { fabricError } from "./errors.ts";
import type { ConfigLine, FabricError } from "./types.ts";
import { type ParsedYaml, positionAt, positionOfOffset, type YamlPath } from "./yaml-position.ts";

/**
 * Reads a `config`/`baseline` value as lines with their place in the file. Two forms are accepted:
 * a literal block (`config: |`, EOS text as `show running-config` prints it) or a list of lines.
 * A folded or multi-line flow scalar would silently join or split lines, so it is refused.
 */
export function readConfigLines(
  parsed: ParsedYaml,
  path: YamlPath,
): { lines: ConfigLine[]; errors: FabricError[] } {
  const node = parsed.doc.getIn(path, true);
  if (node === undefined || node === null) return { lines: [], errors: [] };
  if (isSeq(node)) {
    const lines = node.items.flatMap((item, index): ConfigLine[] => {
      if (!isScalar(item)) return [];
      const text = String(item.value ?? "");
      const start = positionAt(parsed, [...path, index]);
      const quote = item.type === Scalar.QUOTE_DOUBLE || item.type === Scalar.QUOTE_SINGLE ? 1 : 0;
      const indent = text.length - text.trimStart().length;
      return [{ text, position: { ...start, col: start.col + quote + indent } }];
    });
    return { lines, errors: [] };
  }
  if (!isScalar(node) || typeof node.value !== "string" || !node.range) return { lines: [], errors: [] };
  const value = node.value;
  const start = positionOfOffset(parsed, node.range[0]);

  if (node.type === Scalar.BLOCK_FOLDED) {
    return {
      lines: [],
      errors: [
        fabricError(
          "folded-config",
          start,
          "config is a folded block (`>`), which joins lines into one",
          "Use a literal block (`|`) so that each line stays one EOS command.",
        ),
      ],
    };
  }
  if (node.type !== Scalar.BLOCK_LITERAL) {
    const endLine = positionOfOffset(parsed, node.range[1]).line;
    if (endLine > start.line && !value.includes("\n")) {
      return {
        lines: [],
        errors: [
          fabricError(
            "multiline-flow-config",
            start,
            "config spans several lines without `|`, so YAML joins them into one line",
            "Start the block with `config: |` and indent the EOS lines under it.",
          ),
        ],
      };
    }
    // A quoted one-liner; a "\n" escape in it stays inside the line for the control-character rule to report.
    const quote = node.type === Scalar.PLAIN ? 0 : 1;
    return { lines: [{ text: value, position: { ...start, col: start.col + quote } }], errors: [] };
  }

  // Literal block: value line i is source line (header line + 1 + i), indented by the block's indentation.
  const texts = value.split("\n");
  if (texts.at(-1) === "") texts.pop();
  const lines = texts.map((text, index): ConfigLine => {
    const line = start.line + 1 + index;
    const source = sourceLine(parsed, line);
    const blockIndent = source.endsWith(text) ? source.length - text.length : 0;
    const indent = text.length - text.trimStart().length;
    return { text, position: { file: parsed.file, line, col: blockIndent + indent + 1 } };
  });
  return { lines, errors: [] };
}

function sourceLine(parsed: ParsedYaml, line: number): string {
  const starts = parsed.lines.lineStarts;
  const from = starts[line - 1];
  if (from === undefined) return "";
  const to = starts[line] ?? parsed.text.length;
  return parsed.text.slice(from, to).replace(/\r?\n$/, "");
}

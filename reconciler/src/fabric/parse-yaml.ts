import { isAlias, isMap, isScalar, LineCounter, parseDocument, visit } from "yaml";
import { decodeUtf8 } from "./decode.ts";
import { fabricError, fileStart } from "./errors.ts";
import type { FabricError } from "./types.ts";
import { type ParsedYaml, positionOfOffset } from "./yaml-position.ts";

/** Limits against hostile or broken input; a fabric repo is small hand-written YAML. */
export const parseLimits = {
  /** Alias nodes (`*name`) per file: enough to share a list, too few for a "billion laughs" bomb. */
  maxAliases: 10,
  /** yaml's own guard (toJS maxAliasCount): how far those aliases may expand, nested ones included. */
  maxAliasExpansion: 50,
  /** Bytes per file. */
  maxFileBytes: 1024 * 1024,
};

export interface ParseOutcome {
  parsed?: ParsedYaml;
  errors: FabricError[];
  warnings: FabricError[];
}

const syntaxHints: Record<string, string> = {
  TAB_AS_INDENT: "Indent with spaces: YAML does not allow tabs for indentation.",
  MULTIPLE_DOCS: "Keep one YAML document per file: remove the `---` separator or split the file.",
  MISSING_CHAR: "Close the quote or bracket that is opened before this place.",
  BAD_INDENT: "Indent children further than their key and align siblings; close any open [ or {.",
  BLOCK_AS_IMPLICIT_KEY:
    "Put a nested mapping on its own lines, indented under its key (not after `key:` on one line).",
  MULTILINE_IMPLICIT_KEY: "A key must fit on one line; check the indentation of the lines around it.",
};

const genericSyntaxHint =
  "Fix the YAML syntax here: check indentation (spaces only), quotes and brackets. Write EOS config as a literal block (`config: |`).";

/** Decodes and parses one file with positions; never throws on bad input. */
export function parseYamlFile(file: string, content: Uint8Array | string): ParseOutcome {
  const size = typeof content === "string" ? content.length : content.byteLength;
  if (size > parseLimits.maxFileBytes) {
    return {
      errors: [
        fabricError(
          "file-too-large",
          fileStart(file),
          `${file} is larger than ${parseLimits.maxFileBytes} bytes`,
          "A fabric file is hand-written YAML of a few kilobytes; split the content or check that this is the right file.",
        ),
      ],
      warnings: [],
    };
  }
  const decoded = decodeUtf8(content);
  if (!decoded.ok) {
    const what = decoded.isUtf16 ? "is UTF-16, not UTF-8" : `is not UTF-8 (byte 0x${hex(decoded.byte)})`;
    return {
      errors: [
        fabricError(
          "not-utf8",
          { file, line: decoded.line, col: decoded.col },
          `${file} ${what}`,
          "Save the file as UTF-8 (for example `iconv -f latin1 -t utf-8`); EOS config is ASCII.",
        ),
      ],
      warnings: [],
    };
  }

  const lines = new LineCounter();
  const doc = parseDocument(decoded.text, {
    lineCounter: lines,
    keepSourceTokens: true,
    uniqueKeys: true,
    prettyErrors: false,
  });
  const parsed: ParsedYaml = { file, text: decoded.text, doc, lines, data: null };
  const errors: FabricError[] = doc.errors.map((error) => {
    const position = positionOfOffset(parsed, error.pos[0]);
    if (error.code === "DUPLICATE_KEY") return duplicateKeyError(parsed, error.pos[0], position);
    return fabricError(
      "yaml-syntax",
      position,
      `YAML syntax error: ${error.message}`,
      syntaxHints[error.code] ?? genericSyntaxHint,
    );
  });
  const warnings = doc.warnings.map((warning) =>
    fabricError(
      "yaml-warning",
      positionOfOffset(parsed, warning.pos[0]),
      warning.message,
      "Use plain YAML values.",
    ),
  );
  if (errors.length > 0) return { errors, warnings };

  errors.push(...checkAliases(parsed));
  if (errors.length > 0) return { errors, warnings };
  try {
    parsed.data = doc.toJS({ maxAliasCount: parseLimits.maxAliasExpansion });
  } catch (error) {
    // Few aliases can still expand a lot when they nest (an alias of a list of aliases of …).
    return {
      errors: [
        fabricError(
          "too-many-aliases",
          firstAliasPosition(parsed) ?? fileStart(file),
          `the YAML aliases in ${file} expand too much (${(error as Error).message})`,
          "Write the values out instead of nesting anchors and aliases; the reconciler refuses alias bombs.",
        ),
      ],
      warnings,
    };
  }
  return { parsed, errors, warnings };
}

function checkAliases(parsed: ParsedYaml): FabricError[] {
  const errors: FabricError[] = [];
  let count = 0;
  visit(parsed.doc, {
    Alias(_, alias) {
      count++;
      const position = positionOfOffset(parsed, alias.range?.[0] ?? 0);
      if (count === parseLimits.maxAliases + 1) {
        errors.push(
          fabricError(
            "too-many-aliases",
            position,
            `more than ${parseLimits.maxAliases} YAML aliases in one file (this is alias *${alias.source})`,
            "Write the values out; many aliases are how a YAML alias bomb expands, so the reconciler refuses them.",
          ),
        );
      }
      if (isAlias(alias) && alias.resolve(parsed.doc) === undefined) {
        errors.push(
          fabricError(
            "yaml-syntax",
            position,
            `YAML alias *${alias.source} names no anchor defined before it`,
            `Define the anchor (&${alias.source}) before its first use, or write the value out.`,
          ),
        );
      }
    },
  });
  return errors;
}

function firstAliasPosition(parsed: ParsedYaml) {
  let offset: number | undefined;
  visit(parsed.doc, {
    Alias(_, alias) {
      offset = alias.range?.[0];
      return visit.BREAK;
    },
  });
  return offset === undefined ? undefined : positionOfOffset(parsed, offset);
}

function duplicateKeyError(
  parsed: ParsedYaml,
  offset: number,
  position: ReturnType<typeof positionOfOffset>,
) {
  let key = "";
  let first: ReturnType<typeof positionOfOffset> | undefined;
  visit(parsed.doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      const seen = new Map<unknown, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || !pair.key.range) continue;
        const start = pair.key.range[0];
        if (start === offset) {
          key = String(pair.key.value);
          const earlier = seen.get(pair.key.value);
          if (earlier !== undefined) first = positionOfOffset(parsed, earlier);
          return visit.BREAK;
        }
        if (!seen.has(pair.key.value)) seen.set(pair.key.value, start);
      }
      return undefined;
    },
  });
  const firstAt = first ? ` (first at line ${first.line})` : "";
  return fabricError(
    "duplicate-key",
    position,
    `duplicate key "${key || parsed.text.slice(offset, offset + 40).split(/[:\n]/)[0]}"${firstAt}`,
    "YAML keeps only one value per key: remove one of the two, or merge their values.",
  );
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, "0").toUpperCase();
}

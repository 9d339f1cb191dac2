import { isScalar, isSeq, parseDocument, Scalar } from "yaml";

/** EOS indents each sub-mode by 3 spaces; a line's depth is its indentation. */
const indentOf = (line: string) => line.length - line.trimStart().length;

/**
 * `added` merged into `existing` as EOS config trees (pure): a line whose parents are already there is
 * inserted at the end of its parent's block, a line already present is not repeated, and a section
 * that is not there at all is appended, after a `!` separator. The rest of the text is kept as written.
 */
export function mergeConfigText(existing: string, added: string): string {
  const lines = existing === "" ? [] : existing.replace(/\n$/, "").split("\n");
  const parents: string[] = [];
  let appendedSection = false;
  for (const line of added.split("\n").filter((l) => l.trim() !== "" && l.trim() !== "!")) {
    const depth = indentOf(line);
    while (parents.length > 0 && indentOf(parents.at(-1)!) >= depth) parents.pop();
    const place = blockOf(lines, parents);
    if (place === undefined || place.children.some((i) => lines[i]!.trimEnd() === line.trimEnd())) {
      parents.push(line);
      continue;
    }
    if (parents.length === 0) {
      if (!appendedSection && lines.length > 0 && lines.at(-1)!.trim() !== "!") lines.push("!");
      appendedSection = true;
      lines.push(line);
    } else lines.splice(place.end, 0, line);
    parents.push(line);
  }
  return `${lines.join("\n")}\n`;
}

/** The children and the end (insert index) of the block that `parents` name, if every one of them is there. */
function blockOf(lines: string[], parents: string[]): { children: number[]; end: number } | undefined {
  let start = 0;
  let end = lines.length;
  let depth = 0;
  for (const parent of parents) {
    const found = childIndexes(lines, start, end, depth).find(
      (i) => lines[i]!.trimEnd() === parent.trimEnd(),
    );
    if (found === undefined) return undefined;
    depth = indentOf(parent) + 1;
    start = found + 1;
    end = found + 1;
    while (end < lines.length && (lines[end]!.trim() === "" || indentOf(lines[end]!) >= depth)) end++;
    // A trailing indented `!` closes the block in EOS's own text: insert before it.
    while (end > start && lines[end - 1]!.trim() === "!") end--;
  }
  return { children: childIndexes(lines, start, end, depth), end };
}

function childIndexes(lines: string[], start: number, end: number, depth: number): number[] {
  const indexes: number[] = [];
  let childDepth: number | undefined;
  for (let i = start; i < end; i++) {
    const line = lines[i]!;
    if (line.trim() === "" || line.trim() === "!") continue;
    const at = indentOf(line);
    if (at < depth) break;
    childDepth ??= at;
    if (at === childDepth) indexes.push(i);
  }
  return indexes;
}

/**
 * A group or device file with `lines` added to its `config` (a literal block or a list of lines),
 * everything else — comments, key order, quoting — as it was.
 */
export function addConfigToYaml(text: string, lines: string): string {
  const doc = parseDocument(text);
  const node = doc.get("config", true);
  if (isSeq(node)) {
    const merged = mergeConfigText(
      node.items.map((item) => String(isScalar(item) ? item.value : item)).join("\n"),
      lines,
    );
    doc.set("config", merged.replace(/\n$/, "").split("\n"));
    return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  }
  const current = isScalar(node) && typeof node.value === "string" ? node.value : "";
  // The node itself is kept where there is one, so a comment on the `config:` key stays.
  const scalar = isScalar(node) ? node : new Scalar("");
  scalar.value = mergeConfigText(current, lines);
  scalar.type = Scalar.BLOCK_LITERAL;
  if (!isScalar(node)) doc.set("config", scalar);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

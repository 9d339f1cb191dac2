import pc from "picocolors";

/** Colour only on a TTY (and never with NO_COLOR): reports piped to files or CI logs stay plain. */
export type Style = ReturnType<typeof pc.createColors>;

export function styleFor(isTTY: boolean): Style {
  return pc.createColors(isTTY);
}

export function shortSha(sha: string): string {
  const match = /^([0-9a-f]{40})(-dirty)?$/.exec(sha);
  return match ? `${match[1]!.slice(0, 10)}${match[2] ?? ""}` : sha;
}

export function indent(lines: string[], by: string): string[] {
  return lines.map((line) => `${by}${line}`);
}

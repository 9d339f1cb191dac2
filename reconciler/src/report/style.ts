import pc from "picocolors";

/** Colour only on a TTY (and never with NO_COLOR): reports piped to files or CI logs stay plain. */
export type Style = ReturnType<typeof pc.createColors>;

export function styleFor(isTTY: boolean): Style {
  return pc.createColors(isTTY);
}

export function shortSha(sha: string): string {
  return /^[0-9a-f]{40}$/.test(sha) ? sha.slice(0, 10) : sha;
}

export function indent(lines: string[], by: string): string[] {
  return lines.map((line) => `${by}${line}`);
}

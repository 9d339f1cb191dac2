/**
 * How a script becomes messages (pure).
 *
 * `multiline`: the whole script in one message, run in one CLI session on the switch. When it is longer
 * than `maxBodyBytes` it is cut at line boundaries; every further chunk starts again with the context the
 * cut line lives in: the script's first line when that opens a config mode (`configure session NAME`, which
 * may be re-entered at any time, EOS §3.1) plus the lines that open the enclosing sections, read from the
 * indentation (3 spaces per level, as EOS prints config). So a script must indent sub-mode lines as EOS
 * shows them if it can ever exceed the limit.
 *
 * `per-sender`: one line per message; the switch keeps the CLI mode per sender between messages.
 *
 * The limit: Prosody's default c2s_stanza_size_limit is 256 KiB and old ejabberd configs use 64 KiB for
 * max_stanza_size; a stanza over the limit closes the SENDER's stream ("policy-violation"). The default
 * body budget (60 000 bytes, DEFAULT_MAX_BODY_BYTES) stays under both with room for the XML around it.
 * Replies count against the switch's limit the same way (a huge `show running-config` reply is the
 * switch's problem; ask for sections).
 */
import type { CliMode } from "../fabric/types.ts";
import { TooLargeError } from "./errors.ts";

export const DEFAULT_MAX_BODY_BYTES = 60_000;

const bytes = (s: string) => Buffer.byteLength(s, "utf8");
const depthOf = (line: string) => Math.floor((line.length - line.trimStart().length) / 3);
const isNoise = (line: string) => line.trim() === "" || line.trim() === "!";
const isModeExit = (line: string) => /^(exit|end)$/.test(line.trim());
const opensConfig = (line: string) => /^configure( session \S+| terminal)?$/.test(line.trim());

/** Drops blank and comment-only lines (EOS prints nothing for them) and trailing spaces. */
export function normaliseScript(lines: string[]): string[] {
  return lines.map((l) => l.replace(/\s+$/, "")).filter((l) => !isNoise(l));
}

/** The message bodies for one script, in send order. */
export function scriptMessages(
  device: string,
  lines: string[],
  mode: CliMode,
  maxBodyBytes: number,
  terminator?: string,
): string[] {
  const script = normaliseScript(terminator && lines.length > 0 ? [...lines, terminator] : lines);
  for (const line of script) {
    if (bytes(line) > maxBodyBytes) {
      throw new TooLargeError(
        device,
        `a script line of ${bytes(line)} bytes exceeds the ${maxBodyBytes}-byte message limit`,
      );
    }
  }
  if (mode === "per-sender") return script;
  const whole = script.join("\n");
  if (bytes(whole) <= maxBodyBytes) return whole === "" ? [] : [whole];
  return splitMultiline(device, script, maxBodyBytes);
}

function splitMultiline(device: string, script: string[], max: number): string[] {
  const root = script[0] !== undefined && opensConfig(script[0]) ? script[0] : undefined;
  const chunks: string[] = [];
  let chunk: string[] = [];
  let size = 0;
  // ancestors[d] = the last line seen at depth d (the section a deeper line belongs to)
  const ancestors: string[] = [];
  script.forEach((line, i) => {
    const depth = depthOf(line);
    const context = [...(root && i > 0 ? [root] : []), ...ancestors.slice(0, depth)];
    const lineBytes = bytes(line) + 1;
    if (chunk.length > 0 && size + lineBytes > max) {
      chunks.push(chunk.join("\n"));
      chunk = [...context];
      size = bytes(chunk.join("\n")) + 1;
      if (size + lineBytes > max) {
        throw new TooLargeError(device, `the context of line ${i + 1} does not fit in a ${max}-byte message`);
      }
    }
    chunk.push(line);
    size += lineBytes;
    if (!isModeExit(line) && !(i === 0 && root)) {
      ancestors[depth] = line;
      ancestors.length = depth + 1;
    }
  });
  if (chunk.length > 0) chunks.push(chunk.join("\n"));
  return chunks;
}

import parse from "nsyslog-parser";
import type { SyslogEvent, SyslogParseResult } from "./types.ts";

/** RFC 5424 §6.1: at most 3 digits of PRI, value ≤ 191 (facility 23 × 8 + severity 7). */
const MAX_PRIVAL = 191;
/** Control characters other than tab: a message carrying them is not text a rule should see. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const NIL = "-";

/**
 * Reads one syslog message, RFC 5424 or RFC 3164 (the BSD format EOS and JUNOS send by default).
 * nsyslog-parser reads the header; this decides what counts as a message at all: a PRI is required
 * (RFC 3164 §4.3.3 lets a relay add one, so a message without it never came from a syslog sender),
 * the header must be one of the two formats, and the MSG part must be one line of text.
 */
export function parseSyslog(text: string): SyslogParseResult {
  const line = text.replace(/\r?\n$/, "");
  if (!line.startsWith("<")) return { ok: false, reason: "no <PRI> at the start of the message" };
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(line);
  } catch (error) {
    return { ok: false, reason: `unreadable header: ${(error as Error).message}` };
  }
  if (parsed.err !== undefined) return { ok: false, reason: "unreadable header" };
  const prival = parsed.prival;
  if (typeof prival !== "number" || !Number.isInteger(prival) || prival < 0 || prival > MAX_PRIVAL)
    return { ok: false, reason: "PRI is not a number from 0 to 191" };
  const format = parsed.type === "RFC5424" ? "rfc5424" : parsed.type === "BSD" ? "rfc3164" : undefined;
  if (!format) return { ok: false, reason: "neither an RFC 5424 nor an RFC 3164 header" };
  const message = parsed.message ?? "";
  if (message === "" || (format === "rfc5424" && message === NIL))
    return { ok: false, reason: "the message part is empty" };
  if (CONTROL.test(message)) return { ok: false, reason: "the message part holds control characters" };
  const event: SyslogEvent = {
    format,
    severity: prival % 8,
    facility: Math.floor(prival / 8),
    message,
  };
  // nsyslog-parser fills in "now" for a NILVALUE timestamp: only a timestamp the sender wrote counts.
  const nilTime = format === "rfc5424" && /^<\d{1,3}>1 - /.test(line);
  const timestamp = nilTime ? undefined : isoTime(parsed.ts);
  if (timestamp) event.timestamp = timestamp;
  if (parsed.host && parsed.host !== NIL) event.host = parsed.host;
  if (parsed.appName && parsed.appName !== NIL) event.app = parsed.appName;
  return { ok: true, event };
}

function isoTime(value: string | Date | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

// Types for the part of nsyslog-parser 0.10 (ships no declarations) that events/parse-syslog.ts uses.
declare module "nsyslog-parser" {
  export interface ParsedSyslog {
    /** Set instead of the fields below when the line cannot be read at all. */
    err?: unknown;
    originalMessage?: string;
    prival?: number | null;
    facility?: string;
    level?: string;
    /** "RFC5424", "BSD" (RFC 3164), "CEF", "LEEF" or "UNKNOWN" when no header was recognised. */
    type?: string;
    ts?: string | Date;
    host?: string;
    appName?: string;
    pid?: string;
    messageid?: string;
    message?: string;
  }
  export default function parse(line: string): ParsedSyslog;
}

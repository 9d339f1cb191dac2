/** What the syslog side of the events module deals in: a received line, and what it says once parsed. */

export type SyslogTransport = "udp" | "tcp" | "tls";

/** One syslog message as it came off a socket, before anyone trusts it. */
export interface ReceivedSyslog {
  transport: SyslogTransport;
  /** The sender's IP address (IPv4-mapped IPv6 written as plain IPv4). */
  source: string;
  /** Over TLS: the names in the verified client certificate (subject CN, then DNS subject alt names). */
  certificateNames?: string[];
  receivedAt: Date;
  /** The message text (one frame; UTF-8, a leading BOM removed). */
  text: string;
}

export type SyslogFormat = "rfc5424" | "rfc3164";

/** A syslog message whose header could be read. Host and app are what the sender claims, never trusted. */
export interface SyslogEvent {
  format: SyslogFormat;
  /** 0 (emergency) … 7 (debug). */
  severity: number;
  facility: number;
  /** The sender's timestamp as ISO 8601, when it gave one that parses. */
  timestamp?: string;
  host?: string;
  app?: string;
  /** The MSG part: what event rules match against. */
  message: string;
}

export type SyslogParseResult = { ok: true; event: SyslogEvent } | { ok: false; reason: string };

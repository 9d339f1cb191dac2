/**
 * Events: switch syslog in, parsed, matched against the fabric's event rules, turned into a reviewed
 * change of the desired state (DESIGN §12).
 */
export { parseSyslog } from "./parse-syslog.ts";
export { SyslogFrameError, syslogFrames } from "./syslog-frames.ts";
export {
  type ListenAddress,
  plainAddress,
  type SyslogListener,
  type SyslogListenerOptions,
  startSyslogListener,
  type TlsListenAddress,
} from "./syslog-listener.ts";
export type {
  ReceivedSyslog,
  SyslogEvent,
  SyslogFormat,
  SyslogParseResult,
  SyslogTransport,
} from "./types.ts";

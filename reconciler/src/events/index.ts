/**
 * Events: switch syslog in, parsed, matched against the fabric's event rules, turned into a reviewed
 * change of the desired state (DESIGN §12).
 */
export { type EventAudit, type EventOutcome, type EventRecord, fileEventAudit } from "./event-audit.ts";
export { createEventIntake, type EventIntake, type EventIntakeOptions } from "./event-intake.ts";
export { type EventMatch, type IgnoreReason, type MatchResult, matchEvent } from "./match-event.ts";
export { parseSyslog } from "./parse-syslog.ts";
export { gitRepoWriter, RepoWriteError, type RepoWriter } from "./repo-writer.ts";
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
export { addConfigToYaml, mergeConfigText } from "./yaml-change.ts";

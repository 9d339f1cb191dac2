export type { GroupReply, SwitchChannel } from "./channel.ts";
export { sessionNameFor } from "./eos-session.ts";
export { liveRunningConfigs, type RunningConfigSource, recordedRunningConfigs } from "./observe.ts";
export { type RecoveryNote, recoverInterrupted } from "./recover.ts";
export {
  executeRollout,
  type RolloutEvent,
  type RolloutExecution,
  type RolloutOptions,
  type RolloutPhase,
} from "./rollout.ts";
export type { RecordStep } from "./step-journal.ts";
export * from "./types.ts";

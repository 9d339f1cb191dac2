export type { GroupReply, SwitchChannel } from "./channel.ts";
export { liveRunningConfigs, type RunningConfigSource, recordedRunningConfigs } from "./observe.ts";
export {
  executeRollout,
  type RolloutEvent,
  type RolloutExecution,
  type RolloutOptions,
  type RolloutPhase,
} from "./rollout.ts";
export * from "./types.ts";

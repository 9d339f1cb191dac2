export {
  type CommandContext,
  type CommandDecision,
  decideCommand,
  FREEZE_OVERRIDE_LABEL,
  helpText,
  type ReplyReason,
} from "./decide.ts";
export {
  type Deferral,
  deferApply,
  heldHealMessage,
  heldStatusLine,
  holderName,
  isDeferred,
} from "./defer.ts";
export { fileHold } from "./hold-file.ts";
export { parseCommand } from "./parse-command.ts";
export { hasPermission, isPermission, permissionFrom } from "./permission.ts";
export { latestReviews, unmetRequirements } from "./requirements.ts";
export {
  type ApplyRequirement,
  type CommentCommand,
  DEFAULT_WORKFLOW,
  type DeferredApply,
  type FabricHold,
  type Hold,
  type Permission,
  type PullFacts,
  type Review,
  type Unmet,
  type WorkflowSettings,
} from "./types.ts";

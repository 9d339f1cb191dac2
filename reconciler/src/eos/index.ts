/**
 * The EOS engine: config text ↔ tree, remediation (running → intended in the managed scope), the
 * predictor that checks every remediation, scope comparison and secret redaction. Pure: no IO.
 */
export { applyCommands } from "./apply.ts";
export { compareInScope } from "./compare.ts";
export {
  ApplyError,
  type ApplyErrorCode,
  ConfigParseError,
  type ConfigParseErrorCode,
  PredictionMismatchError,
} from "./errors.ts";
export type { NormalMemo } from "./normalise.ts";
export { parseConfig, tryParseConfig } from "./parse.ts";
export { REDACTED, redactSecrets } from "./redact.ts";
export { remediate } from "./remediate.ts";
export { joinTopLevel, type RenderOptions, renderConfig, renderTopLevel } from "./render.ts";
export { compileScope, scopeOfAll } from "./scope.ts";
export { scopedNodes, scopedText, withoutKeptUnlisted } from "./scoped-text.ts";
export type { ConfigComment, ConfigNode, ConfigTree, Remediation, ScopeComparison } from "./types.ts";

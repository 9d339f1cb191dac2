/**
 * The fabric module: load the desired-state repo, validate it, build the model, render intended config.
 * Pure except readFabricRepo / loadFabric (read the repo) and resolveSecret (reads env or a file).
 */

export { type ConfigNode, configTreeOf } from "./config-tree.ts";
export { loadFabric } from "./load.ts";
export { commandKey, isMultiLine } from "./merge.ts";
export { parseLimits } from "./parse-yaml.ts";
export type { CompiledPolicy } from "./policy.ts";
export { compilePolicy, findInlineSecret } from "./policy.ts";
export { readFabricRepo } from "./read-repo.ts";
export {
  type DeviceRender,
  FabricRenderError,
  type Removal,
  type RenderedLayer,
  renderDevice,
  renderIntended,
} from "./render.ts";
export { multiLineTerminator } from "./render-rules.ts";
export {
  formatSecretRef,
  parseSecretRef,
  resolveSecret,
  type SecretSources,
  SecretUnavailableError,
  secretPathProblem,
} from "./secret-ref.ts";
export type {
  CliMode,
  CliModeSetting,
  ConfigLine,
  Device,
  DriftSettings,
  Fabric,
  FabricError,
  FabricFiles,
  GithubSettings,
  Group,
  IntendedConfig,
  ManagedScope,
  PolicySettings,
  RolloutSettings,
  SecretRef,
  SourcePosition,
  TlsMode,
  ValidationResult,
  XmppSettings,
} from "./types.ts";
export { validateFabric } from "./validate.ts";
export { renderXmppLines } from "./xmpp-block.ts";

import { eventRules } from "./events.ts";
import { freezeWindowsParse } from "./freeze.ts";
import { fileNames, noDuplicateHostnames, noDuplicateJids, sendersInDomain } from "./identity.ts";
import { configStructure, deniedCommands, hostnameFromDevice, noControlCharacters } from "./lines.ts";
import { groupsExist, rolloutGroupsHaveMembers, unusedGroups } from "./membership.ts";
import { keepsXmppReachability } from "./reachability.ts";
import { removalsMatch } from "./removals.ts";
import type { FabricRule } from "./rule.ts";
import { managedScope } from "./scope.ts";
import { noInlineSecrets } from "./secrets.ts";
import { knownVariables } from "./variables.ts";

export { prefixProblem, ruleCaptures } from "./events.ts";
export type { FabricRule, RuleContext, RuleFindings } from "./rule.ts";
export { findInlineSecretKeys } from "./secrets.ts";

/** The semantic rules, in the order their findings are most useful; all run, whatever the others find. */
export const fabricRules: FabricRule[] = [
  fileNames,
  groupsExist,
  noDuplicateHostnames,
  noDuplicateJids,
  sendersInDomain,
  rolloutGroupsHaveMembers,
  unusedGroups,
  configStructure,
  noControlCharacters,
  noInlineSecrets,
  deniedCommands,
  hostnameFromDevice,
  keepsXmppReachability,
  knownVariables,
  removalsMatch,
  managedScope,
  freezeWindowsParse,
  eventRules,
];

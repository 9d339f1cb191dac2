/**
 * The safety policy (DESIGN §6), matched the way EOS parses commands. Pure; any module that turns
 * text into a script calls it:
 *
 *   checkCommand(line, policy)        one command line → why it is denied, or undefined
 *   checkConfigTree(nodes, policy)    a config tree, every depth, command-running sections included
 *   checkConfigText(text, policy)     config text (e.g. an event template) → findings with line numbers
 *   deniedScriptLines(commands)       a script about to be sent (a plan's batch) → what must not go
 *   compileSafetyPolicy(settings)     the built-in policy plus a fabric's `policy` block
 */
export {
  builtinPolicy,
  type CommandFinding,
  type CustomDenyRule,
  checkCommand,
  compileSafetyPolicy,
  describeFinding,
  type SafetyPolicy,
  type SafetySettings,
} from "./check-command.ts";
export { deniedScriptLines } from "./check-script.ts";
export { checkConfigText, configTextTree, type TextNode } from "./check-text.ts";
export {
  checkConfigTree,
  type SafetyCode,
  type SafetyFinding,
  type SafetyNode,
  sectionOf,
} from "./check-tree.ts";
export { type CommandSection, commandSections } from "./command-sections.ts";
export { builtinDenyRules, type DenyRule } from "./deny-rules.ts";
export { type Reading, readingsOf, shortestUniquePrefixes, tokenise } from "./expand.ts";
export { commandStart, type KeywordTable } from "./keywords.ts";

import { parseConfig } from "../eos/index.ts";
import { builtinPolicy, type SafetyPolicy } from "./check-command.ts";
import { checkConfigTree, type SafetyNode } from "./check-tree.ts";

/** The line the engine itself writes to leave a section (DESIGN §4: a batch is one linear script). */
const sectionExit = "exit";

/**
 * Checks the command lines of a script about to be sent (a plan's batch, read back from a file that
 * anyone could have edited): the deny list as for desired config, except the engine's own `exit`
 * lines. Banner bodies are text, not commands. Command-running sections were allowed or refused when
 * the desired config was validated; their command lines are checked here again. Returns one message
 * per denied line.
 */
export function deniedScriptLines(
  commands: readonly string[],
  policy: SafetyPolicy = builtinPolicy,
): string[] {
  let tree: ReturnType<typeof parseConfig>;
  try {
    tree = parseConfig(commands.join("\n"));
  } catch (error) {
    return [`the script is not config text: ${(error as Error).message}`];
  }
  const withoutExits = (nodes: readonly { text: string; children: readonly unknown[] }[]): SafetyNode[] =>
    nodes
      .filter((node) => node.text !== sectionExit)
      .map((node) => ({ text: node.text, children: withoutExits(node.children as typeof nodes) }));
  return checkConfigTree(withoutExits(tree.children), policy)
    .filter((finding) => finding.code === "denied-command")
    .map((finding) => finding.message);
}

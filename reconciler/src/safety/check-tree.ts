import { textMemo } from "../memo/text-memo.ts";
import { type CommandFinding, checkCommand, describeFinding, type SafetyPolicy } from "./check-command.ts";
import { type CommandSection, commandSections, shellPrograms } from "./command-sections.ts";
import { ruleMatches } from "./deny-rules.ts";
import { readingsOf, tokenise } from "./expand.ts";

/** The shape of a config line the checker walks (fabric's ConfigNode and eos's both fit). */
export interface SafetyNode {
  text: string;
  children: readonly SafetyNode[];
  /** Free text (a banner body): not a command. */
  isVerbatim?: boolean;
}

export type SafetyCode = "denied-command" | "command-section";

/** One line of a config tree that must not be sent, and why. */
export interface SafetyFinding<N extends SafetyNode = SafetyNode> {
  code: SafetyCode;
  node: N;
  message: string;
  hint: string;
  /** Set for denied commands (also those inside a command-running section). */
  command?: CommandFinding;
  /** Set when the line is, or is inside, a command-running section. */
  section?: string;
}

/**
 * Checks a config tree at every depth: each line as a command (a line in a sub-mode that EOS does
 * not know there falls back to the parent modes, so depth protects nothing), and each
 * command-running section: denied unless the policy allows it by name, and its command lines
 * checked as commands either way. Pure.
 */
export function checkConfigTree<N extends SafetyNode>(
  nodes: readonly N[],
  policy: SafetyPolicy,
): SafetyFinding<N>[] {
  const findings: SafetyFinding<N>[] = [];
  const walk = (list: readonly N[]) => {
    for (const node of list) {
      if (node.isVerbatim) continue;
      const denied = checkCommand(node.text, policy);
      if (denied) findings.push(commandError(node, node.text, denied));
      const section = sectionOf(node);
      if (section) findings.push(...checkSection(section, node, policy));
      walk(node.children as readonly N[]);
    }
  };
  walk(nodes);
  return findings;
}

function commandError<N extends SafetyNode>(
  node: N,
  text: string,
  finding: CommandFinding,
  section?: string,
): SafetyFinding<N> {
  const where = section ? ` (run by ${section})` : "";
  const hint =
    finding.source === "fabric"
      ? `Remove the line: fabric.yaml policy.deny forbids it (pattern ${finding.command}).`
      : section
        ? `Remove the command from the ${section}: an allowed command-running section may still only run commands the safety policy allows (DESIGN §6).`
        : "Remove the line. Desired config describes state; the reconciler never sends this command (safety policy, DESIGN §6).";
  return {
    code: "denied-command",
    node,
    message: `${describeFinding(text, finding)}${where}`,
    hint,
    command: finding,
    ...(section ? { section } : {}),
  };
}

/** The command-running section a line opens, if any (a removal, `no alias X`, opens none). */
export function sectionOf(node: SafetyNode): CommandSection | undefined {
  return sectionsByHeader(node.text).find(
    (section) =>
      !section.onlyWith || node.children.some((child) => startsWithWords(child.text, section.onlyWith!)),
  );
}

/** The sections whose header the line reads as, in table order; by the line's text alone (memo/text-memo.ts). */
const sectionsByHeader = textMemo((text: string): CommandSection[] => {
  const readings = (readingsOf(text) ?? []).filter((r) => !r.negated && !r.viaDo);
  return commandSections.filter((section) => readings.some((r) => ruleMatches(section.header, r.words)));
});

function checkSection<N extends SafetyNode>(
  section: CommandSection,
  node: N,
  policy: SafetyPolicy,
): SafetyFinding<N>[] {
  const findings: SafetyFinding<N>[] = [];
  if (!policy.allowedSections.has(section.name)) {
    findings.push({
      code: "command-section",
      node,
      message: `"${node.text}" is a ${section.name} section: it ${section.what}, outside the reconciler's config sessions and checks`,
      hint: `Remove it, or allow it in fabric.yaml with a reason: policy: { allowCommandSections: [{ section: ${section.name}, reason: "…" }] }; its command lines are still checked.`,
      section: section.name,
    });
  }
  for (const { owner, text, shell } of commandLinesOf(section, node)) {
    if (shell) {
      const program = tokenise(text)[0] ?? "";
      if (shellPrograms.test(program)) {
        findings.push({
          code: "denied-command",
          node: owner as N,
          message: `"${text}" in the ${section.name} section starts ${program}, a shell or interpreter that runs anything`,
          hint: `Run the program itself, not a shell around it; the ${section.name} section may only start programs the safety policy can see.`,
          section: section.name,
        });
      }
      continue;
    }
    const denied = checkCommand(text, policy);
    if (denied) findings.push(commandError(owner as N, text, denied, section.name));
  }
  return findings;
}

/** The command lines a section carries, each with the line it is written on. */
function commandLinesOf(
  section: CommandSection,
  node: SafetyNode,
): { owner: SafetyNode; text: string; shell?: boolean }[] {
  const lines: { owner: SafetyNode; text: string; shell?: boolean }[] = [];
  const tokens = tokenise(node.text);
  for (const source of section.commands) {
    if (source.in === "header") {
      const at =
        typeof source.after === "number"
          ? source.after
          : tokens.findIndex((t, i) => i >= 2 && isPrefixOf(t, source.after as string[])) + 1;
      if (at > 0 && at < tokens.length) lines.push({ owner: node, text: tokens.slice(at).join(" ") });
    } else if (source.in === "numbered-child") {
      for (const child of node.children) {
        const words = tokenise(child.text);
        const text = /^\d+$/.test(words[0] ?? "") ? words.slice(1).join(" ") : child.text;
        if (text) lines.push({ owner: child, text });
      }
    } else {
      for (const child of node.children) {
        const words = tokenise(child.text);
        if (!startsWithWords(child.text, source.startsWith)) continue;
        const text = words.slice(source.startsWith.length).join(" ");
        if (text) lines.push({ owner: child, text, ...(source.shell ? { shell: true } : {}) });
      }
    }
  }
  return lines;
}

/** A token abbreviates the (single) keyword: "comm" of "command". */
function isPrefixOf(token: string, words: string[]): boolean {
  const word = words[0] ?? "";
  return token.length > 0 && word.startsWith(token.toLowerCase());
}

/** A line's first words abbreviate these keywords (case-insensitive), as EOS would accept them. */
function startsWithWords(text: string, words: readonly string[]): boolean {
  const tokens = tokenise(text).map((t) => t.toLowerCase());
  return words.every((word, i) => tokens[i] !== undefined && word.startsWith(tokens[i]!));
}

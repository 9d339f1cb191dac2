import { excerpt } from "../../redaction/excerpt.ts";
import { checkConfigTree, type SafetyFinding } from "../../safety/index.ts";
import { type ConfigNode, configTreeOf } from "../config-tree.ts";
import { fabricError } from "../errors.ts";
import { controlCharacter, describeControlCharacter } from "../policy.ts";
import type { FabricError, SourcePosition } from "../types.ts";
import { configSources, type FabricRule, fieldPosition, removeSources } from "./rule.ts";

/** Banners closed by EOF, indentation that has a parent (errors of the config text itself). */
export const configStructure: FabricRule = {
  name: "configStructure",
  check({ fabric }) {
    return { errors: configSources(fabric).flatMap(({ lines }) => configTreeOf(lines).errors) };
  },
};

/**
 * A line break or control character inside one CLI line would make one YAML value several commands on the
 * switch (or a half-typed one). Config lines and variable values (which end up in lines) are both checked.
 */
export const noControlCharacters: FabricRule = {
  name: "noControlCharacters",
  check(context) {
    const errors: FabricError[] = [];
    for (const { lines } of [...configSources(context.fabric), ...removeSources(context.fabric)]) {
      for (const line of lines) {
        const indent = line.text.length - line.text.trimStart().length;
        const error = controlCharacterError(
          line.text,
          { ...line.position, col: line.position.col - indent },
          "CLI line",
        );
        if (error) errors.push(error);
      }
    }
    const varSources = [
      { file: "fabric.yaml", vars: context.fabric.vars },
      ...Object.values(context.fabric.groups).map((g) => ({ file: g.position.file, vars: g.vars })),
      ...Object.values(context.fabric.devices).map((d) => ({ file: d.position.file, vars: d.vars })),
    ];
    for (const { file, vars } of varSources) {
      for (const [name, value] of Object.entries(vars)) {
        // A quoted value's escapes shift columns, so the error points at the value's start.
        const at = fieldPosition(context, file, ["vars", name]);
        const error = controlCharacterError(value, at, `variable ${name}`);
        if (error) errors.push({ ...error, position: at });
      }
    }
    return { errors };
  },
};

function controlCharacterError(text: string, start: SourcePosition, what: string): FabricError | undefined {
  const match = controlCharacter.exec(text);
  if (!match) return undefined;
  const char = describeControlCharacter(match[0]);
  const isBreak = match[0] === "\n" || match[0] === "\r";
  return fabricError(
    "control-character",
    { ...start, col: start.col + match.index },
    `${what} contains ${char} at character ${match.index + 1}`,
    isBreak
      ? "Write one command per line: split the value into separate lines of a literal block (config: |) instead of embedding a line break."
      : "Remove the character (type it with plain spaces and printable ASCII); CLI lines must not contain control characters.",
  );
}

/**
 * Commands the safety policy never sends (DESIGN §6), matched the way EOS parses them (safety/): at every
 * depth, as written and after variable substitution, command-running sections included.
 */
export const deniedCommands: FabricRule = {
  name: "deniedCommands",
  check(context) {
    const errors: FabricError[] = [];
    const seen = new Set<string>();
    const report = (findings: SafetyFinding<ConfigNode>[], substitutedOnly: boolean) => {
      for (const finding of findings) {
        const { node } = finding;
        if (substitutedOnly && node.text === node.rawText) continue;
        const { file, line, col } = node.position;
        const key = `${file}:${line}:${col}:${finding.code}`;
        if (seen.has(key)) continue;
        seen.add(key);
        errors.push(fabricError(finding.code, node.position, finding.message, finding.hint));
      }
    };
    for (const { lines } of configSources(context.fabric)) {
      report(checkConfigTree(configTreeOf(lines).nodes, context.policy), false);
    }
    for (const render of context.renders.values()) {
      for (const layer of render.layers) report(checkConfigTree(layer.nodes, context.policy), true);
    }
    return { errors };
  },
};

/** The hostname line is rendered from the device file; a second source of it would be overridden silently. */
export const hostnameFromDevice: FabricRule = {
  name: "hostnameFromDevice",
  check({ fabric }) {
    const errors = configSources(fabric).flatMap(({ source, lines }) =>
      configTreeOf(lines)
        .nodes.filter((node) => /^hostname\b/.test(node.text))
        .map((node) =>
          fabricError(
            "hostname-in-config",
            node.position,
            `${excerpt(node.text)} in ${source}: the hostname line is rendered from each device file`,
            "Remove the line and set hostname: in the device file (it defaults to the file name).",
          ),
        ),
    );
    return { errors };
  },
};

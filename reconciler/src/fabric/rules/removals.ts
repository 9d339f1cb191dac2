import { excerpt } from "../../redaction/excerpt.ts";
import type { ConfigNode } from "../config-tree.ts";
import { fabricError } from "../errors.ts";
import { commandKey } from "../merge.ts";
import type { FabricError } from "../types.ts";
import type { FabricRule } from "./rule.ts";

/** How many members and earlier lines an error names before it says "N more". */
const SHOWN = 5;

/**
 * A `remove:` entry takes away a top-level block an earlier layer gives. One that takes nothing is a
 * typo or is left over from a change of the layers before it, and would silently stop meaning
 * anything; one whose command the same file also configures says two opposite things. Both are
 * errors. A group's entry must take something away from every member.
 */
export const removalsMatch: FabricRule = {
  name: "removalsMatch",
  needsSettings: true,
  check({ renders }) {
    const errors: FabricError[] = [];
    const unmatched = new Map<string, { entry: ConfigNode; devices: string[]; alike: Set<string> }>();
    for (const render of renders.values()) {
      // An entry with an unknown variable already has its error; "takes nothing" would only repeat it.
      const unresolved = new Set(render.unknownVariables.map((u) => `${u.position.file}:${u.position.line}`));
      for (const layer of render.layers) {
        const configured = new Map(layer.nodes.map((node) => [commandKey(node.text, 0), node]));
        for (const { entry, removed, alike } of layer.removals) {
          const also = configured.get(commandKey(entry.text, 0));
          if (also) {
            errors.push(
              fabricError(
                "remove-and-configure",
                entry.position,
                `${excerpt(entry.rawText)} is removed, and line ${also.position.line} of this file's config sets it again`,
                "Keep one: delete this entry to configure the block here (it then merges with what the earlier layers give), or delete the block from config to take it away.",
              ),
            );
            continue;
          }
          const { file, line, col } = entry.position;
          if (removed || unresolved.has(`${file}:${line}`)) continue;
          const place = `${file}:${line}:${col}`;
          const found = unmatched.get(place) ?? { entry, devices: [], alike: new Set<string>() };
          found.devices.push(render.device);
          for (const text of alike) found.alike.add(text);
          unmatched.set(place, found);
        }
      }
    }
    for (const { entry, devices, alike } of unmatched.values()) {
      errors.push(removesNothing(entry, devices, [...alike]));
    }
    return { errors };
  },
};

function removesNothing(entry: ConfigNode, devices: string[], alike: string[]): FabricError {
  const file = entry.position.file;
  const isGroup = file.startsWith("groups/");
  const forWhom = isGroup ? ` to ${shown(devices)}` : "";
  const word = entry.text.replace(/^no\s+/, "").split(" ")[0];
  const earlier =
    alike.length > 0
      ? `Earlier layers have: ${shown(alike.map((text) => excerpt(text)))}; write the entry as one of those, or delete it.`
      : `No earlier layer has a \`${word} …\` line; delete this entry.`;
  return fabricError(
    "remove-nothing",
    entry.position,
    `nothing before ${file} gives ${excerpt(entry.text)}${forWhom}, so this remove: entry takes nothing away`,
    `${earlier} Entries match the top-level commands that the fabric baseline and ${isGroup ? "the groups before this one in a member's groups: list" : "the device's groups"} give, after variables.`,
  );
}

function shown(names: string[]): string {
  const list =
    names.length > SHOWN ? [...names.slice(0, SHOWN - 1), `${names.length - SHOWN + 1} more`] : names;
  return list.join(", ");
}

import { excerpt } from "../../redaction/excerpt.ts";
import type { ConfigNode } from "../config-tree.ts";
import { fabricError } from "../errors.ts";
import { commandKey } from "../merge.ts";
import type { Removal } from "../render.ts";
import type { FabricError } from "../types.ts";
import type { FabricRule } from "./rule.ts";

/** How many members and earlier lines an error names before it says "N more". */
const SHOWN = 5;

/** An entry that took nothing for some members: where it sits, and the sections above it. */
interface Unmatched {
  entry: ConfigNode;
  /** The commands of the entries it is under (outermost first); none for a top-level entry. */
  within: ConfigNode[];
  devices: string[];
  alike: Set<string>;
}

/**
 * A `remove:` entry takes away a block, or some lines of one, that an earlier layer gives. One that
 * takes nothing is a typo or is left over from a change of the layers before it, and would silently
 * stop meaning anything; one whose line the same file's config also sets says two opposite things.
 * Both are errors, at every depth, as are two entries for one command. A group's entry must take
 * something away from every member.
 */
export const removalsMatch: FabricRule = {
  name: "removalsMatch",
  needsSettings: true,
  check({ renders }) {
    const errors: FabricError[] = [];
    const unmatched = new Map<string, Unmatched>();
    for (const render of renders.values()) {
      // An entry with an unknown variable already has its error; "takes nothing" would only repeat it.
      // Matched by place within the text: a section's lines may share its line (`a: [b, c]`).
      const isUnresolved = ({ position, rawText }: ConfigNode) =>
        render.unknownVariables.some(
          ({ position: at }) =>
            at.file === position.file &&
            at.line === position.line &&
            at.col >= position.col &&
            at.col < position.col + rawText.length,
        );
      const visit = (removals: Removal[], configured: ConfigNode[], within: ConfigNode[]) => {
        const depth = within.length;
        const byKey = new Map(configured.map((node) => [commandKey(node.text, depth), node]));
        const named = new Map<string, ConfigNode>();
        for (const { entry, removed, alike, lines } of removals) {
          const key = commandKey(entry.text, depth);
          const first = named.get(key);
          if (first) {
            errors.push(namedAgain(entry, first));
            continue;
          }
          named.set(key, entry);
          const also = byKey.get(key);
          if (also && entry.children.length === 0) {
            errors.push(removedAndConfigured(entry, also, within));
            continue;
          }
          if (removed) {
            visit(lines, also?.children ?? [], [...within, entry]);
            continue;
          }
          if (isUnresolved(entry)) continue;
          const { file, line, col } = entry.position;
          const place = `${file}:${line}:${col}`;
          const found = unmatched.get(place) ?? { entry, within, devices: [], alike: new Set<string>() };
          found.devices.push(render.device);
          for (const text of alike) found.alike.add(text);
          unmatched.set(place, found);
        }
      };
      for (const layer of render.layers) visit(layer.removals, layer.nodes, []);
    }
    for (const found of unmatched.values()) errors.push(removesNothing(found));
    return { errors };
  },
};

/** Two entries for one command at one level: the second would take nothing, or half of what it says. */
function namedAgain(entry: ConfigNode, first: ConfigNode): FabricError {
  return fabricError(
    "remove-repeated",
    entry.position,
    `${excerpt(entry.rawText)} names the same command as ${excerpt(first.rawText)} at line ${first.position.line}`,
    "Write one entry per command: list all the lines to take away in one entry, or keep only the entry that takes the whole block.",
  );
}

function removedAndConfigured(entry: ConfigNode, also: ConfigNode, within: ConfigNode[]): FabricError {
  const under = within.length > 0 ? ` under ${excerpt(within.at(-1)!.rawText)}` : "";
  const block = within.length > 0 ? "line" : "block";
  return fabricError(
    "remove-and-configure",
    entry.position,
    `${excerpt(entry.rawText)}${under} is removed, and line ${also.position.line} of this file's config sets it again`,
    `Keep one: delete this entry to configure the ${block} here (it then merges with what the earlier layers give), or delete the ${block} from config to take it away.`,
  );
}

function removesNothing({ entry, within, devices, alike }: Unmatched): FabricError {
  const file = entry.position.file;
  const isGroup = file.startsWith("groups/");
  const forWhom = isGroup ? ` to ${shown(devices)}` : "";
  const word = entry.text.replace(/^no\s+/, "").split(" ")[0];
  const layers = isGroup
    ? "the fabric baseline and the groups before this one in a member's groups: list"
    : "the fabric baseline and the device's groups";
  if (within.length > 0) {
    const section = within.map((node) => excerpt(node.text)).join(" › ");
    const earlier =
      alike.size > 0
        ? `It has: ${shown([...alike].map((text) => excerpt(text)))}; write the entry as one of those, or delete it.`
        : `It has no \`${word} …\` line; delete this entry.`;
    return fabricError(
      "remove-nothing",
      entry.position,
      `${section} as the layers before ${file} give it${forWhom} has no line ${excerpt(entry.text)}, so this remove: entry takes nothing away`,
      `${earlier} An entry's lines match the lines that ${layers} give that section, after variables.`,
    );
  }
  const earlier =
    alike.size > 0
      ? `Earlier layers have: ${shown([...alike].map((text) => excerpt(text)))}; write the entry as one of those, or delete it.`
      : `No earlier layer has a \`${word} …\` line; delete this entry.`;
  return fabricError(
    "remove-nothing",
    entry.position,
    `nothing before ${file} gives ${excerpt(entry.text)}${forWhom}, so this remove: entry takes nothing away`,
    `${earlier} Entries match the top-level commands that ${layers} give, after variables.`,
  );
}

function shown(names: string[]): string {
  const list =
    names.length > SHOWN ? [...names.slice(0, SHOWN - 1), `${names.length - SHOWN + 1} more`] : names;
  return list.join(", ");
}

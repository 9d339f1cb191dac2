import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ConfigNode,
  parseConfigTree,
  renderConfigText,
} from "../../../reconciler/src/fabric/config-tree.ts";
import { commandKey, mergeLayer, removeBlocks } from "../../../reconciler/src/fabric/merge.ts";
import { sortTopLevel } from "../../../reconciler/src/fabric/order.ts";
import type { ConfigLine } from "../../../reconciler/src/fabric/types.ts";

const at = { file: "groups/x.yaml", line: 1, col: 1 };
const lines = (text: string[]): ConfigLine[] => text.map((t) => ({ text: t, position: at }));

/** Small EOS-like layers: interfaces with single- and multi-valued children, NTP servers, a hostname. */
const child = fc.oneof(
  fc.constantFrom("shutdown", "no shutdown", "no switchport", "spanning-tree portfast"),
  fc.integer({ min: 1, max: 3 }).map((n) => `description link ${n}`),
  fc.integer({ min: 1, max: 3 }).map((n) => `ip address 10.0.0.${n}/31`),
  fc.integer({ min: 1, max: 3 }).map((n) => `ip address 10.1.0.${n}/24 secondary`),
);
const section = fc
  .record({ n: fc.integer({ min: 1, max: 4 }), children: fc.array(child, { maxLength: 4 }) })
  .map(({ n, children }) => [`interface Ethernet${n}`, ...children.map((c) => `   ${c}`)]);
const leaf = fc.oneof(
  fc.integer({ min: 1, max: 3 }).map((n) => [`ntp server 10.0.0.${n}`]),
  fc.constantFrom(
    ["spanning-tree mode mstp"],
    ["spanning-tree mode rapid-pvst"],
    ["ip routing"],
    ["no ip routing"],
  ),
);
const layer = fc
  .array(fc.oneof(section, leaf), { maxLength: 6 })
  .map((parts) => parseConfigTree(lines(parts.flat())).nodes);

function merged(...layers: ConfigNode[][]): ConfigNode[] {
  const into: ConfigNode[] = [];
  for (const l of layers) mergeLayer(into, l);
  return sortTopLevel(into);
}

const text = (nodes: ConfigNode[]) => renderConfigText(nodes);

describe("merge laws", () => {
  it("merging a layer onto itself changes nothing", () => {
    fc.assert(
      fc.property(layer, (a) => {
        expect(text(merged(a, a))).toBe(text(merged(a)));
      }),
    );
  });

  it("the last layer wins: merging b again after a then b changes nothing", () => {
    fc.assert(
      fc.property(layer, layer, (a, b) => {
        expect(text(merged(a, b, b))).toBe(text(merged(a, b)));
      }),
    );
  });

  it("rendered text parses back to the same text", () => {
    fc.assert(
      fc.property(layer, layer, (a, b) => {
        const once = text(merged(a, b));
        const reparsed = parseConfigTree(lines(once.split("\n"))).nodes;
        expect(text(merged(reparsed))).toBe(once);
      }),
    );
  });

  it("never keeps two lines of one single-valued command in a section", () => {
    fc.assert(
      fc.property(layer, layer, (a, b) => {
        for (const node of merged(a, b)) {
          const descriptions = node.children.filter((c) => c.text.startsWith("description "));
          const primaries = node.children.filter((c) => /^ip address \S+$/.test(c.text));
          const shutdowns = node.children.filter((c) => /^(no )?shutdown$/.test(c.text));
          expect(descriptions.length).toBeLessThanOrEqual(1);
          expect(primaries.length).toBeLessThanOrEqual(1);
          expect(shutdowns.length).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it("removing every top-level command a gives, then merging b, gives b alone", () => {
    fc.assert(
      fc.property(layer, layer, (a, b) => {
        const into = merged(a);
        const removed = removeBlocks(into, into.map(entryOf));
        expect(removed.every((taken) => taken.block !== undefined)).toBe(true);
        mergeLayer(into, b);
        expect(text(sortTopLevel(into))).toBe(text(merged(b)));
      }),
    );
  });

  it("an entry takes exactly the blocks of its command, and nothing when none has it", () => {
    fc.assert(
      fc.property(layer, layer, (a, entries) => {
        const into = merged(a);
        const keys = new Set(into.map((n) => commandKey(n.text, 0)));
        const removed = removeBlocks(into, entries.map(entryOf));
        entries.forEach((entry, i) => {
          const key = commandKey(entry.text, 0);
          expect(removed[i]!.block === undefined).toBe(
            !keys.has(key) || entries.findIndex((e) => commandKey(e.text, 0) === key) < i,
          );
          expect(into.some((n) => commandKey(n.text, 0) === key)).toBe(false);
        });
        const kept = merged(a).filter(
          (n) => !entries.some((e) => commandKey(e.text, 0) === commandKey(n.text, 0)),
        );
        expect(text(into)).toBe(text(kept));
      }),
    );
  });
});

/** A `remove:` entry naming the block's command (its first line, without its children). */
function entryOf(node: ConfigNode): ConfigNode {
  return { ...node, children: [] };
}

import type { ConfigNode } from "./config-tree.ts";
import { naturallySorted, topLevelOrder } from "./render-rules.ts";

/** The place of a top-level line in running-config order: the longest matching prefix of topLevelOrder. */
export function topLevelPlace(text: string): number {
  const positive = text.replace(/^no\s+/, "");
  let best = -1;
  let bestLength = -1;
  for (const [index, prefix] of topLevelOrder.entries()) {
    const matches = positive === prefix || positive.startsWith(`${prefix} `);
    if (matches && prefix.length > bestLength) {
      best = index;
      bestLength = prefix.length;
    }
  }
  return best >= 0 ? best : topLevelOrder.indexOf("*");
}

/** Top-level sections in running-config order (render-rules.ts); stable within one place. */
export function sortTopLevel(nodes: ConfigNode[]): ConfigNode[] {
  const isNatural = (node: ConfigNode) =>
    naturallySorted.some((prefix) => node.text.startsWith(`${prefix} `));
  return nodes
    .map((node, index) => ({ node, index, place: topLevelPlace(node.text) }))
    .sort((a, b) => {
      if (a.place !== b.place) return a.place - b.place;
      if (isNatural(a.node) && isNatural(b.node)) return collator.compare(a.node.text, b.node.text);
      return a.index - b.index;
    })
    .map((entry) => entry.node);
}

// Ethernet2 before Ethernet10, Ethernet1/2 before Ethernet1/10.
const collator = new Intl.Collator("en", { numeric: true });

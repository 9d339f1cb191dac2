/**
 * Equality of two simulated configs as EOS would show them: EOS orders `show running-config` itself,
 * so siblings compare as a set; a physical port always exists, so a bare one equals none.
 * Written for the simulator only (not shared with reconciler/src/eos).
 */
import type { ConfigNode } from "./config-tree.ts";
import { isHiddenDefault, isPhysicalPort } from "./rules.ts";
import { editVlanSet } from "./vlan-set.ts";

/** EOS prints a trunk's VLAN list compressed (`1-7,123`), however it was typed. */
function shownText(text: string): string {
  const m = /^switchport trunk allowed vlan (\d[\d,-]*)$/.exec(text);
  return m ? `switchport trunk allowed vlan ${editVlanSet("", "add", m[1]!)}` : text;
}

/** The first line present in one config and not the other, or undefined when they are the same. */
export function configDifference(actual: ConfigNode[], expected: ConfigNode[]): string | undefined {
  return levelDifference(visible(actual, true), visible(expected, true), []);
}

function visible(nodes: ConfigNode[], top: boolean, header = ""): ConfigNode[] {
  const shown = nodes.filter((n) => n.children.length > 0 || !isHiddenDefault(header, n.text));
  return top
    ? shown.filter((n) => !(visible(n.children, false, n.text).length === 0 && isPhysicalPort(n.text)))
    : shown;
}

function levelDifference(actual: ConfigNode[], expected: ConfigNode[], path: string[]): string | undefined {
  const byText = new Map<string, ConfigNode[]>();
  for (const node of actual)
    byText.set(shownText(node.text), [...(byText.get(shownText(node.text)) ?? []), node]);
  for (const want of expected) {
    const have = byText.get(shownText(want.text))?.shift();
    const where = [...path, want.text].join(" › ");
    if (!have) return `missing: ${where}`;
    if ((have.body ?? []).join("\n") !== (want.body ?? []).join("\n")) return `body differs: ${where}`;
    const inner = levelDifference(
      visible(have.children, false, have.text),
      visible(want.children, false, want.text),
      [...path, want.text],
    );
    if (inner) return inner;
  }
  for (const rest of byText.values()) {
    if (rest.length > 0) return `unexpected: ${[...path, rest[0]!.text].join(" › ")}`;
  }
  return undefined;
}

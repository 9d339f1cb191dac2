import { excerpt } from "../../redaction/excerpt.ts";
import { fabricError } from "../errors.ts";
import type { FabricError } from "../types.ts";
import { type FabricRule, fieldPosition } from "./rule.ts";

/**
 * Rendered top-level lines outside `managed` are never reconciled: probably a forgotten section. A warning,
 * since a fabric may stage config before it takes ownership of a section.
 */
export const managedScope: FabricRule = {
  name: "managedScope",
  needsSettings: true,
  check(context) {
    const { sections } = context.fabric.scope;
    const isManaged = (text: string) => {
      const positive = text.replace(/^(no|default)\s+/, "");
      return sections.some((section) => positive === section || positive.startsWith(`${section} `));
    };
    const warnings: FabricError[] = [];
    const seen = new Set<string>();
    for (const render of context.renders.values()) {
      for (const node of render.nodes) {
        if (isManaged(node.text)) continue;
        const generated = node.position.file === context.fabric.devices[render.device]?.position.file;
        const position = generated ? fieldPosition(context, "fabric.yaml", ["managed"]) : node.position;
        const key = `${position.file}:${position.line}:${position.col}:${node.text.split(" ")[0]}`;
        if (seen.has(key)) continue;
        seen.add(key);
        warnings.push(
          fabricError(
            "unmanaged-section",
            position,
            `${excerpt(node.text)} is rendered but outside the managed sections, so it is never reconciled`,
            `Add "${node.text.split(" ")[0]}" (or a longer prefix) to managed: in fabric.yaml, or remove the line.`,
          ),
        );
      }
    }
    return { warnings };
  },
};

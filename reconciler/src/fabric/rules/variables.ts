import { uniqueErrors } from "../errors.ts";
import { unknownVariableError } from "../substitute.ts";
import type { FabricError, SourcePosition } from "../types.ts";
import type { FabricRule } from "./rule.ts";

/**
 * Every ${name} is defined for every switch that renders the line. A group line that lacks a variable for
 * some members is reported once, naming those members.
 */
export const knownVariables: FabricRule = {
  name: "knownVariables",
  needsSettings: true,
  check({ renders }) {
    const missing = new Map<
      string,
      { name: string; position: SourcePosition; devices: string[]; known: Set<string> }
    >();
    const errors: FabricError[] = [];
    for (const render of renders.values()) {
      errors.push(...render.errors);
      for (const { name, position } of render.unknownVariables) {
        const key = `${position.file}:${position.line}:${position.col}:${name}`;
        const entry = missing.get(key) ?? { name, position, devices: [], known: new Set<string>() };
        if (!entry.devices.includes(render.device)) entry.devices.push(render.device);
        for (const known of render.variables.keys()) entry.known.add(known);
        missing.set(key, entry);
      }
    }
    for (const { name, position, devices, known } of missing.values()) {
      errors.push(unknownVariableError(name, position, devices, known));
    }
    return { errors: uniqueErrors(errors) };
  },
};

import { excerpt } from "../redaction/excerpt.ts";
import { closestName, fabricError } from "./errors.ts";
import type { FabricError, SourcePosition } from "./types.ts";

/** A variable's value and the file that set it (the winner after precedence). */
export interface VariableValue {
  value: string;
  from: string;
}

export type Variables = ReadonlyMap<string, VariableValue>;

/**
 * `${name}` with name = letter or underscore, then letters, digits, underscores. `$${` writes a literal `${`.
 * Anything else after `${` is an error: a strict syntax means a typo never reaches a switch.
 */
const reference = /\$\$\{|\$\{([^}\s]*)\}?/g;
const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Substitution {
  text: string;
  errors: FabricError[];
  /** Unknown names, with where each occurs (for aggregation across devices). */
  unknown: { name: string; position: SourcePosition }[];
}

/** Replaces the variables in one line; `position` is where the line's text starts (its first character). */
export function substitute(text: string, variables: Variables, position: SourcePosition): Substitution {
  const errors: FabricError[] = [];
  const unknown: Substitution["unknown"] = [];
  if (!text.includes("$")) return { text, errors, unknown };
  const result = text.replace(reference, (match, name: string | undefined, offset: number) => {
    if (match === "$${") return "${";
    const at = { ...position, col: position.col + offset };
    if (!match.endsWith("}") || name === undefined || !variableName.test(name)) {
      errors.push(
        fabricError(
          "bad-variable",
          at,
          `${excerpt(match)} is not a variable reference`,
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the hint shows the ${name} syntax itself.
          "Write variables as ${name} (letters, digits, underscores); write a literal ${ as $${.",
        ),
      );
      return match;
    }
    const variable = variables.get(name);
    if (!variable) {
      unknown.push({ name, position: at });
      return match;
    }
    return variable.value;
  });
  return { text: result, errors, unknown };
}

/** The error for an unknown variable, naming the devices that lack it and the nearest known name. */
export function unknownVariableError(
  name: string,
  position: SourcePosition,
  devices: string[],
  known: Iterable<string>,
): FabricError {
  const guess = closestName(name, known);
  const shown = devices.length > 5 ? [...devices.slice(0, 4), `${devices.length - 4} more`] : devices;
  const forWhom = shown.length > 0 ? ` for ${shown.join(", ")}` : "";
  return fabricError(
    "unknown-variable",
    position,
    `unknown variable \${${name}}${forWhom}`,
    `${guess ? `Did you mean \${${guess}}? Otherwise define` : "Define"} "${name}" under vars: in the device file, in one of its groups, or in fabric.yaml.`,
  );
}

import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { excerpt } from "../redaction/excerpt.ts";
import { closestName, fabricError, fileStart } from "./errors.ts";
import { schemaValidators } from "./schema-validators.ts";
import { type FileKind, type SchemaNode, schemaFiles, schemas } from "./schemas.ts";
import type { FabricError } from "./types.ts";
import { type ParsedYaml, positionAt, type YamlPath } from "./yaml-position.ts";

export type { FileKind } from "./schemas.ts";

let validators: Record<FileKind, ValidateFunction> | undefined;

function compiled(): Record<FileKind, ValidateFunction> {
  validators ??= schemaValidators();
  return validators;
}

/**
 * Checks a parsed file against its JSON Schema and maps every violation back to the YAML node's line:col.
 * `skip` holds data paths already reported by a more precise rule (an inline secret fails the secretRef pattern).
 */
export function checkSchema(
  parsed: ParsedYaml,
  kind: FileKind,
  skip: Set<string> = new Set(),
): FabricError[] {
  if (parsed.data === null || parsed.data === undefined) {
    return [
      fabricError(
        "empty-file",
        fileStart(parsed.file),
        `${parsed.file} is empty`,
        kind === "device"
          ? "A device file needs at least `groups:` (its group membership); see fabric-repo-example/devices/."
          : `Write the ${kind} settings (see ${schemaFiles[kind]}) or delete the file.`,
      ),
    ];
  }
  const validate = compiled()[kind];
  if (validate(parsed.data)) return [];
  const errors: FabricError[] = [];
  for (const error of validate.errors ?? []) {
    // propertyNames reports the name once more as a nested pattern error; the outer error says it all.
    if (error.keyword === "if" || error.schemaPath.includes("/propertyNames/")) continue;
    const path = dataPath(parsed.data, error.instancePath);
    if (skip.has(pathKey(path))) continue;
    errors.push(toFabricError(parsed, kind, error, path));
  }
  return errors;
}

export function pathKey(path: YamlPath): string {
  return path.join("\0");
}

/** "xmpp.port", "rollout.order[1]", or "(top level)". */
export function fieldName(path: YamlPath): string {
  let name = "";
  for (const segment of path)
    name += typeof segment === "number" ? `[${segment}]` : name ? `.${segment}` : segment;
  return name || "(top level)";
}

function toFabricError(parsed: ParsedYaml, kind: FileKind, error: ErrorObject, path: YamlPath): FabricError {
  const field = fieldName(path);
  const described = describe(kind, path);
  const schemaPath = `${schemaFiles[kind]}${error.schemaPath}`;
  const make = (position: YamlPath, part: "key" | "value", message: string, hint: string) =>
    fabricError("schema", positionAt(parsed, position, part), message, hint, { schemaPath });
  const params = error.params as Record<string, unknown>;
  const value = valueAt(parsed.data, path);

  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(propertiesAt(kind, path));
      const guess = closestName(key, allowed);
      const where = path.length === 0 ? "" : ` in ${field}`;
      return make(
        [...path, key],
        "key",
        `unknown field "${key}"${where}`,
        `${guess ? `Did you mean "${guess}"? ` : "Remove it or fix its spelling. "}Allowed here: ${allowed.join(", ")}.`,
      );
    }
    case "required": {
      const key = String(params.missingProperty);
      const child = describe(kind, [...path, key]);
      const where = path.length === 0 ? "" : ` in ${field}`;
      return make(path, "key", `missing required field "${key}"${where}`, `Add \`${key}:\`. ${child}`.trim());
    }
    case "propertyNames":
      return make(
        [...path, String(params.propertyName)],
        "key",
        `name "${String(params.propertyName)}" is not allowed in ${field}`,
        ((schemaAt(kind, path).node?.propertyNames as SchemaNode | undefined)?.description as
          | string
          | undefined) ?? "Use letters, digits and underscores, starting with a letter or underscore.",
      );
    case "type":
      return make(
        path,
        "value",
        `${field} must be ${article(String(params.type).replaceAll(",", " or "))}, not ${typeName(value)}`,
        described,
      );
    case "enum":
      return make(
        path,
        "value",
        `${field} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}, not ${excerpt(value)}`,
        described,
      );
    case "pattern":
      // Never echo what may be a secret: a secretRef field that fails its pattern holds a value, not a reference.
      if (error.schemaPath.includes("/secretRef/")) {
        return make(path, "value", `${field} is not a secret reference (env:NAME or file:/path)`, described);
      }
      return make(path, "value", `${field} has an invalid value ${excerpt(value)}`, described);
    case "format":
      return make(
        path,
        "value",
        `${field} is not a valid ${String(params.format)}: ${regexProblem(value)}`,
        described,
      );
    case "uniqueItems": {
      // ajv names the pair in an order that depends on the items' schema: point at the repeat.
      const repeat = Math.max(Number(params.i), Number(params.j));
      return make(
        [...path, repeat],
        "value",
        `${field} lists ${excerpt(valueAt(parsed.data, [...path, repeat]))} twice`,
        "Remove the repeated entry.",
      );
    }
    default:
      return make(path, "value", `${field} ${error.message ?? "is invalid"}`, described);
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function typeName(value: unknown): string {
  if (value === null) return "empty (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${excerpt(value)}`;
}

function regexProblem(value: unknown): string {
  try {
    new RegExp(String(value));
    return "invalid";
  } catch (error) {
    // V8's message repeats the whole expression ("Invalid regular expression: /…/: why"): keep the why.
    const message = (error as Error).message;
    return `Invalid regular expression: ${message.slice(message.lastIndexOf(": ") + 2)}`;
  }
}

/** ajv's instancePath ("/groups/0") as a data path, with list indexes as numbers. */
function dataPath(data: unknown, instancePath: string): YamlPath {
  const path: YamlPath = [];
  let node = data;
  for (const raw of instancePath.split("/").slice(1)) {
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    const key: string | number = Array.isArray(node) ? Number(segment) : segment;
    path.push(key);
    node = node && typeof node === "object" ? (node as Record<string | number, unknown>)[key] : undefined;
  }
  return path;
}

function valueAt(data: unknown, path: YamlPath): unknown {
  let node = data;
  for (const key of path)
    node = node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

/** The schema node that describes the value at `path`, following $ref and items. */
function schemaAt(kind: FileKind, path: YamlPath): { node?: SchemaNode; description?: string } {
  const root = schemas[kind];
  const resolve = (node: SchemaNode | undefined): SchemaNode | undefined => {
    const ref = node?.$ref;
    if (typeof ref !== "string" || !ref.startsWith("#/$defs/")) return node;
    return (root.$defs as Record<string, SchemaNode>)[ref.slice("#/$defs/".length)];
  };
  let node: SchemaNode | undefined = root;
  let description = root.description as string | undefined;
  for (const segment of path) {
    const current = resolve(node);
    let next: SchemaNode | undefined;
    if (typeof segment === "number") next = current?.items as SchemaNode | undefined;
    else next = (current?.properties as Record<string, SchemaNode> | undefined)?.[segment];
    if (!next && typeof current?.additionalProperties === "object")
      next = current.additionalProperties as SchemaNode;
    if (!next) return {};
    node = next;
    description =
      (next.description as string | undefined) ?? (resolve(next)?.description as string | undefined);
  }
  return { node: resolve(node), description };
}

function describe(kind: FileKind, path: YamlPath): string {
  const { description } = schemaAt(kind, path);
  return description ? `${fieldName(path)}: ${description}` : `See ${schemaFiles[kind]}.`;
}

function propertiesAt(kind: FileKind, path: YamlPath): Record<string, unknown> {
  return (schemaAt(kind, path).node?.properties as Record<string, unknown> | undefined) ?? {};
}

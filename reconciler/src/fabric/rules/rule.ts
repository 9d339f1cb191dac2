import type { CompiledPolicy } from "../policy.ts";
import { removeEntryLines } from "../remove-entries.ts";
import type { DeviceRender } from "../render.ts";
import type { ConfigLine, Fabric, FabricError, SourcePosition } from "../types.ts";
import { type ParsedYaml, positionAt, type YamlPath } from "../yaml-position.ts";

/** What the semantic rules see: the model built from every file that passed its schema. */
export interface RuleContext {
  fabric: Fabric;
  /** False when fabric.yaml is missing or invalid: rules that need its settings do not run. */
  hasSettings: boolean;
  /** Parsed files by repo-relative path, for pointing at a field. */
  files: ReadonlyMap<string, ParsedYaml>;
  /** Group names that have a file, even one that failed its schema (so it is not "unknown" as well). */
  groupFiles: ReadonlySet<string>;
  /** Each device's render, when hasSettings. */
  renders: ReadonlyMap<string, DeviceRender>;
  policy: CompiledPolicy;
}

export interface RuleFindings {
  errors?: FabricError[];
  warnings?: FabricError[];
}

/** A named semantic rule (STYLE: validation as a pipeline of named rules). */
export interface FabricRule {
  name: string;
  needsSettings?: boolean;
  check(context: RuleContext): RuleFindings;
}

/** Where a field of a file is, or the file's start when the field is not written (a default). */
export function fieldPosition(context: RuleContext, file: string, path: YamlPath): SourcePosition {
  const parsed = context.files.get(file);
  if (!parsed || parsed.doc.getIn(path, true) === undefined) return { file, line: 1, col: 1 };
  return positionAt(parsed, path);
}

/** Every source of config lines: the baseline, each group, each device. */
export function configSources(fabric: Fabric): { source: string; lines: ConfigLine[] }[] {
  return [
    { source: "fabric.yaml", lines: fabric.baseline },
    ...Object.values(fabric.groups).map((group) => ({ source: group.position.file, lines: group.config })),
    ...Object.values(fabric.devices).map((device) => ({
      source: device.position.file,
      lines: device.config,
    })),
  ];
}

/** Every `remove:` list: each group's and each device's, as the one-line commands it names at any depth. */
export function removeSources(fabric: Fabric): { source: string; lines: ConfigLine[] }[] {
  return [...Object.values(fabric.groups), ...Object.values(fabric.devices)].map((holder) => ({
    source: holder.position.file,
    lines: removeEntryLines(holder.remove),
  }));
}

import deviceSchema from "../../../schemas/device.schema.json" with { type: "json" };
import fabricSchema from "../../../schemas/fabric.schema.json" with { type: "json" };
import groupSchema from "../../../schemas/group.schema.json" with { type: "json" };

/** Which schema a file is checked against, by where it lives in the repo. */
export type FileKind = "fabric" | "group" | "device";

export const fileKinds: readonly FileKind[] = ["fabric", "group", "device"];

export type SchemaNode = Record<string, unknown>;

export const schemas: Record<FileKind, SchemaNode> = {
  fabric: fabricSchema,
  group: groupSchema,
  device: deviceSchema,
};

export const schemaFiles: Record<FileKind, string> = {
  fabric: "schemas/fabric.schema.json",
  group: "schemas/group.schema.json",
  device: "schemas/device.schema.json",
};

import { Ajv2020, type CodeOptions, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { type FileKind, fileKinds, schemas } from "./schemas.ts";

// ajv-formats is CommonJS: its plugin is module.exports, which also carries itself as `.default`.
const addFormats = addFormatsModule.default;

/**
 * The one Ajv set-up of the fabric's schemas, each under its file kind. `code` is for the build,
 * which compiles this same set-up ahead of time (schema-standalone.ts).
 */
export function schemaAjv(code?: CodeOptions): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, strict: true, code });
  addFormats(ajv, ["regex"]);
  for (const kind of fileKinds) ajv.addSchema(schemas[kind], kind);
  return ajv;
}

/**
 * The validators, compiled on first use. In the built CLI (bin/build.mjs) this module is replaced by
 * the same validators compiled at build time, so a `validate` run does not spend its start-up in Ajv's
 * code generator.
 */
export function schemaValidators(): Record<FileKind, ValidateFunction> {
  const ajv = schemaAjv();
  const validator = (kind: FileKind) => {
    const validate = ajv.getSchema(kind);
    if (!validate) throw new Error(`no schema for ${kind}`);
    return validate;
  };
  return { fabric: validator("fabric"), group: validator("group"), device: validator("device") };
}

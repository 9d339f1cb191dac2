import standaloneCode from "ajv/dist/standalone/index.js";
import { schemaAjv } from "./schema-validators.ts";
import { fileKinds } from "./schemas.ts";

/**
 * The source of a module that stands in for schema-validators.ts in the built CLI: the same Ajv set-up
 * compiled to code once, at build time, exporting the same `schemaValidators()`.
 */
export function precompiledValidatorsModule(): string {
  const ajv = schemaAjv({ source: true, esm: true });
  const code = standaloneCode.default(ajv, Object.fromEntries(fileKinds.map((kind) => [kind, kind])));
  return `${code}\nexport function schemaValidators() {\n  return { ${fileKinds.join(", ")} };\n}\n`;
}

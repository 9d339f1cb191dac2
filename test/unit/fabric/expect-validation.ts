import { expect } from "vitest";
import {
  type FabricError,
  type ValidationResult,
  validateFabric,
} from "../../../reconciler/src/fabric/index.ts";
import { fabricFiles } from "../../fixtures/fabric/minimal.ts";

/** Validates the minimal fabric with `changes` and returns its errors (failing if it is valid). */
export function errorsOf(changes: Parameters<typeof fabricFiles>[0]): FabricError[] {
  const result = validateFabric(fabricFiles(changes));
  if (result.ok) expect.fail("expected the fabric to be invalid");
  return result.errors;
}

export function validFabric(
  changes: Parameters<typeof fabricFiles>[0] = {},
): Extract<ValidationResult, { ok: true }> {
  const result = validateFabric(fabricFiles(changes));
  if (!result.ok) expect.fail(`expected a valid fabric, got:\n${result.errors.map(describe).join("\n")}`);
  return result;
}

/** "devices/leaf1.yaml:3:5 unknown-group", the shape most assertions compare. */
export function describe(error: FabricError): string {
  const { file, line, col } = error.position;
  return `${file}:${line}:${col} ${error.code}`;
}

import { describe, expect, it } from "vitest";
import { minimalFiles } from "../../fixtures/fabric/minimal.ts";
import { errorsOf, validFabric } from "./expect-validation.ts";

const fabricYaml = minimalFiles["fabric.yaml"]!;
const withSize = (size: string) => ({
  "fabric.yaml": fabricYaml.replace("  host: 127.0.0.1", `  host: 127.0.0.1\n  maxReplySize: ${size}`),
});

describe("xmpp.maxReplySize", () => {
  it("defaults to 8 MiB", () => {
    expect(validFabric().fabric.xmpp.maxReplyBytes).toBe(8 * 1024 * 1024);
  });

  it.each([
    { size: "512kB", bytes: 512 * 1024 },
    { size: "16MB", bytes: 16 * 1024 * 1024 },
  ])("reads $size as $bytes bytes", ({ size, bytes }) => {
    expect(validFabric(withSize(size)).fabric.xmpp.maxReplyBytes).toBe(bytes);
  });

  it("refuses a size without a unit, at its place", () => {
    const errors = errorsOf(withSize('"8000000"'));
    expect(errors[0]).toMatchObject({ code: "schema", position: { file: "fabric.yaml", line: 4 } });
    expect(errors[0]!.message).toMatch(/xmpp.maxReplySize/);
  });
});

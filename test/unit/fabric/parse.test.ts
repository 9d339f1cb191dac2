import { describe, expect, it } from "vitest";
import { parseLimits, validateFabric } from "../../../reconciler/src/fabric/index.ts";
import { fabricFiles } from "../../fixtures/fabric/minimal.ts";
import { errorsOf, validFabric, describe as where } from "./expect-validation.ts";

describe("YAML parsing", () => {
  it("reports a syntax error with its line and column", () => {
    const errors = errorsOf({ "devices/leaf2.yaml": "groups: [leaf\nvars: {asn: 1}\n" });
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:2:1 yaml-syntax"]);
    expect(errors[0]!.message).toMatch(/^YAML syntax error: /);
    expect(errors[0]!.hint).toMatch(/close any open \[/);
  });

  it("reports tabs used for indentation", () => {
    const errors = errorsOf({ "groups/row1.yaml": "description: row 1\nvars:\n\tx: 1\n" });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:3:1 yaml-syntax"]);
    expect(errors[0]!.hint).toMatch(/Indent with spaces/);
  });

  it("reports a duplicate key at the second occurrence and names the first", () => {
    const errors = errorsOf({
      "devices/leaf2.yaml": "groups: [leaf]\nvars:\n  asn: 65102\n  loopback0: 10.255.1.2\n  asn: 65103\n",
    });
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:5:3 duplicate-key"]);
    expect(errors[0]!.message).toBe('duplicate key "asn" (first at line 3)');
  });

  it("refuses more than a few aliases (alias bomb)", () => {
    const bomb = [
      "groups: [leaf]",
      "vars: {asn: 1, loopback0: 10.0.0.1}",
      "description: x",
      "a: &a [x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "",
    ].join("\n");
    const errors = errorsOf({ "devices/leaf2.yaml": bomb });
    // Nine aliases on line 5; the eleventh is the second *b on line 6.
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:6:12 too-many-aliases"]);
    expect(errors[0]!.message).toContain(`more than ${parseLimits.maxAliases} YAML aliases`);
  });

  it("refuses few aliases that nest into a large expansion", () => {
    const nested =
      "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c, *c]\n";
    const errors = errorsOf({ "groups/row1.yaml": nested });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:2:8 too-many-aliases"]);
    expect(errors[0]!.message).toMatch(/expand too much/);
  });

  it("accepts a few aliases of one anchor", () => {
    const aliases = Array.from({ length: parseLimits.maxAliases }, (_, i) => `  copy${i}: *asn`).join("\n");
    validFabric({
      "devices/leaf2.yaml": `groups: [leaf]\nvars:\n  asn: &asn 65102\n  loopback0: 10.255.1.2\n${aliases}\n`,
    });
  });

  it("reports an alias without an anchor", () => {
    const errors = errorsOf({ "devices/leaf2.yaml": "groups: *missing\n" });
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:1:9 yaml-syntax"]);
    expect(errors[0]!.message).toContain("*missing");
  });

  it("refuses a file that is not UTF-8 and points at the bad byte", () => {
    const latin1 = Uint8Array.from([...Buffer.from("description: caf"), 0xe9, ...Buffer.from("\n")]);
    const errors = errorsOf({ "groups/row1.yaml": Buffer.concat([Buffer.from("# row\n"), latin1]) });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:2:17 not-utf8"]);
    expect(errors[0]!.message).toBe("groups/row1.yaml is not UTF-8 (byte 0xE9)");
    expect(errors[0]!.hint).toMatch(/Save the file as UTF-8/);
  });

  it("names UTF-16 as such", () => {
    const utf16 = Buffer.from("\ufeffgroups: [leaf]\n", "utf16le");
    const errors = errorsOf({ "devices/leaf2.yaml": utf16 });
    expect(errors.map((e) => e.message)).toEqual(["devices/leaf2.yaml is UTF-16, not UTF-8"]);
  });

  it("accepts a UTF-8 byte order mark", () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("description: row 1\n")]);
    expect(validateFabric(fabricFiles({ "groups/row1.yaml": withBom })).ok).toBe(true);
  });

  it("refuses a file over the size limit", () => {
    const huge = `description: "${"x".repeat(parseLimits.maxFileBytes)}"\n`;
    expect(errorsOf({ "groups/row1.yaml": huge }).map(where)).toEqual([
      "groups/row1.yaml:1:1 file-too-large",
    ]);
  });

  it("says an empty device file is empty", () => {
    const errors = errorsOf({ "devices/leaf2.yaml": "" });
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:1:1 empty-file"]);
    expect(errors[0]!.hint).toMatch(/groups:/);
  });

  it("refuses more than one YAML document in a file", () => {
    const errors = errorsOf({ "groups/row1.yaml": "description: a\n---\ndescription: b\n" });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:2:1 yaml-syntax"]);
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { minimalFiles } from "../../fixtures/fabric/minimal.ts";
import { errorsOf, validFabric, describe as where } from "./expect-validation.ts";

const fabricYaml = minimalFiles["fabric.yaml"]!;

describe("schema check", () => {
  it("reports an unknown field at its key, suggests the spelling and names the schema path", () => {
    const errors = errorsOf({
      "devices/leaf2.yaml": "groups: [leaf]\nhostnmae: leaf2\nvars: {asn: 1, loopback0: 1.1.1.1}\n",
    });
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:2:1 schema"]);
    expect(errors[0]).toMatchObject({
      message: 'unknown field "hostnmae"',
      schemaPath: "schemas/device.schema.json#/additionalProperties",
    });
    expect(errors[0]!.hint).toMatch(/^Did you mean "hostname"\? Allowed here: hostname, description, groups/);
  });

  it("reports an unknown nested field with its path", () => {
    const errors = errorsOf({
      "fabric.yaml": fabricYaml.replace("  host: 127.0.0.1", "  host: 127.0.0.1\n  prot: 5222"),
    });
    expect(errors.map(where)).toEqual(["fabric.yaml:4:3 schema"]);
    expect(errors[0]!.message).toBe('unknown field "prot" in xmpp');
    expect(errors[0]!.hint).toMatch(/Did you mean "port"\?/);
  });

  it("reports a wrong type at the value with the field's description as the hint", () => {
    const errors = errorsOf({
      "fabric.yaml": fabricYaml.replace("  host: 127.0.0.1", "  host: 127.0.0.1\n  port: five"),
    });
    expect(errors.map(where)).toEqual(["fabric.yaml:4:9 schema"]);
    expect(errors[0]).toMatchObject({
      message: 'xmpp.port must be an integer, not string "five"',
      schemaPath: "schemas/fabric.schema.json#/properties/xmpp/properties/port/type",
    });
    expect(errors[0]!.hint).toMatch(/^xmpp.port: TCP port/);
  });

  it("reports a missing required field at its parent's key", () => {
    const errors = errorsOf({
      "fabric.yaml": fabricYaml.replace("  mucService: groups.securitydemo.lab\n", ""),
    });
    expect(errors.map(where)).toEqual(["fabric.yaml:2:1 schema"]);
    expect(errors[0]!.message).toBe('missing required field "mucService" in xmpp');
    expect(errors[0]!.hint).toMatch(/^Add `mucService:`. xmpp.mucService: Multi-user chat service/);
  });

  it("lists the allowed values of an enum", () => {
    const errors = errorsOf({
      "fabric.yaml": fabricYaml.replace("  host: 127.0.0.1", "  host: 127.0.0.1\n  tls: yes"),
    });
    // YAML 1.2: `yes` is the string "yes", not a boolean.
    expect(errors[0]!.message).toBe(
      'xmpp.tls must be one of "starttls", "direct-tls", "insecure-permit", not "yes"',
    );
  });

  it("refuses an ignore pattern that is not a regular expression", () => {
    const errors = errorsOf({
      "fabric.yaml": fabricYaml.replace("ignore: ['^password 7 \\S+$']", "ignore: ['(unclosed']"),
    });
    expect(errors.map(where)).toEqual(["fabric.yaml:10:10 schema"]);
    expect(errors[0]!.message).toMatch(/^ignore\[0\] is not a valid regex: Invalid regular expression/);
  });

  it("reports a group listed twice in a device at the repeat", () => {
    const errors = errorsOf({
      "devices/leaf2.yaml": "groups: [leaf, leaf]\nvars: {asn: 1, loopback0: 1.1.1.1}\n",
    });
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:1:16 schema"]);
    expect(errors[0]!.message).toBe('groups lists "leaf" twice');
  });

  it("reports a bad variable name at the key", () => {
    const errors = errorsOf({
      "devices/leaf2.yaml": "groups: [leaf]\nvars:\n  asn: 1\n  loopback0: 1.1.1.1\n  my-var: x\n",
    });
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:5:3 schema"]);
    expect(errors[0]!.message).toBe('name "my-var" is not allowed in vars');
  });

  it("reports every schema violation of every file in one run", () => {
    const errors = errorsOf({
      "devices/leaf2.yaml": "groups: leaf\ncolor: blue\n",
      "groups/row1.yaml": "description: [a]\n",
    });
    expect(errors.map(where)).toEqual([
      "devices/leaf2.yaml:1:9 schema",
      "devices/leaf2.yaml:2:1 schema",
      "groups/row1.yaml:1:14 schema",
    ]);
  });
});

describe("the schema files", () => {
  const load = (name: string) =>
    JSON.parse(readFileSync(new URL(`../../../schemas/${name}`, import.meta.url), "utf8")) as Record<
      string,
      unknown
    >;
  const schemas = ["fabric.schema.json", "group.schema.json", "device.schema.json"].map((name) => ({
    name,
    schema: load(name),
  }));

  it("share identical definitions (each file is self-contained for editors)", () => {
    const defs = schemas.map(({ schema }) => schema.$defs as Record<string, unknown>);
    for (const name of Object.keys(defs[1]!)) {
      for (const other of defs) if (other[name]) expect(other[name]).toEqual(defs[0]![name]);
    }
  });

  it.each(schemas)("$name describes every field and allows no unknown ones", ({ schema }) => {
    const walk = (node: Record<string, unknown>, path: string) => {
      if (node.properties) {
        expect(node.additionalProperties, `${path} additionalProperties`).toBe(false);
        for (const [key, child] of Object.entries(
          node.properties as Record<string, Record<string, unknown>>,
        )) {
          expect(child.description, `${path}.${key} description`).toBeTypeOf("string");
          walk(child, `${path}.${key}`);
        }
      }
      if (node.items) walk(node.items as Record<string, unknown>, `${path}[]`);
    };
    walk(schema, "");
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });
});

describe("empty sections", () => {
  it("accepts an empty vars: or config:", () => {
    validFabric({ "groups/row1.yaml": "description: row 1\nvars:\nconfig:\n" });
  });
});

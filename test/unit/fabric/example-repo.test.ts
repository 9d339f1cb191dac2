import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type FabricFiles, renderIntended, validateFabric } from "../../../reconciler/src/fabric/index.ts";

const root = new URL("../../../fabric-repo-example/", import.meta.url);

/** The example repo's files, read here so that the code under test stays pure. */
function exampleFiles(): FabricFiles {
  const files: FabricFiles["files"] = { "fabric.yaml": readFileSync(new URL("fabric.yaml", root)) };
  for (const folder of ["groups", "devices"]) {
    for (const name of readdirSync(new URL(`${folder}/`, root))) {
      files[`${folder}/${name}`] = readFileSync(new URL(`${folder}/${name}`, root));
    }
  }
  return { files };
}

describe("fabric-repo-example", () => {
  const result = validateFabric(exampleFiles());

  it("is valid, without warnings", () => {
    expect(result.ok ? result.warnings : result.errors).toEqual([]);
  });

  it("has the six lab switches in role and location groups", () => {
    if (!result.ok) return expect.fail("invalid");
    const members = Object.fromEntries(Object.values(result.fabric.groups).map((g) => [g.name, g.members]));
    expect(members).toEqual({
      "dc1-row1": ["leaf1", "leaf2", "spine1"],
      "dc1-row2": ["leaf3", "leaf4", "spine2"],
      leaf: ["leaf1", "leaf2", "leaf3", "leaf4"],
      spine: ["spine1", "spine2"],
    });
  });

  it("renders leaf1 as the golden file", () => {
    if (!result.ok) return expect.fail("invalid");
    const golden = readFileSync(new URL("../../fixtures/fabric/leaf1.intended.cfg", import.meta.url), "utf8");
    expect(renderIntended(result.fabric, "leaf1").text).toBe(golden);
  });

  it("keeps each device's render from validation, which renders as rendering again does", () => {
    if (!result.ok) return expect.fail("invalid");
    expect([...result.renders.keys()].sort()).toEqual(Object.keys(result.fabric.devices).sort());
    for (const name of Object.keys(result.fabric.devices))
      expect(renderIntended(result.fabric, name, result.renders.get(name)).text).toBe(
        renderIntended(result.fabric, name).text,
      );
  });

  it("holds no secret values: every password is a reference", () => {
    if (!result.ok) return expect.fail("invalid");
    for (const device of Object.values(result.fabric.devices)) {
      expect(device.xmpp.password).toEqual({
        kind: "env",
        name: `${device.name.toUpperCase()}_XMPP_PASSWORD`,
      });
    }
    expect(result.fabric.xmpp.reconcilerPassword).toEqual({ kind: "env", name: "RECONCILER_XMPP_PASSWORD" });
  });
});

import { describe, expect, it } from "vitest";
import { validFabric } from "./expect-validation.ts";

describe("the minimal fixture", () => {
  it("is valid and has no warnings", () => {
    const { fabric, warnings } = validFabric();
    expect(warnings).toEqual([]);
    expect(Object.keys(fabric.devices).sort()).toEqual(["leaf1", "leaf2", "spine1", "spine2"]);
    expect(fabric.groups.row1?.members).toEqual(["leaf1", "spine1"]);
    expect(fabric.devices.leaf1?.xmpp).toEqual({
      user: "leaf1",
      jid: "leaf1@securitydemo.lab",
      password: { kind: "env", name: "LEAF1_XMPP_PASSWORD" },
    });
  });
});

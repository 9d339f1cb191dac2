import { describe, expect, it } from "vitest";
import { bareJidOf } from "../../../reconciler/src/transport/bare-jid.ts";

describe("bareJidOf", () => {
  it("drops the resource and lower-cases the bare part, as a full parse does", () => {
    expect(bareJidOf("Leaf1@Fabric.Test/eos")).toBe("leaf1@fabric.test");
    expect(bareJidOf("leaf1@fabric.test/a/b")).toBe("leaf1@fabric.test");
    expect(bareJidOf("rooms.fabric.test")).toBe("rooms.fabric.test");
  });

  it("gives the same answer the second time (remembered) and for each spelling", () => {
    const first = bareJidOf("Spine1@fabric.test/x");
    expect(bareJidOf("Spine1@fabric.test/x")).toBe(first);
    expect(bareJidOf("spine1@FABRIC.test/y")).toBe(first);
  });
});

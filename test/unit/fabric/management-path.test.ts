import { describe, expect, it } from "vitest";
import { parseConfig, remediate } from "../../../reconciler/src/eos/index.ts";
import { renderIntended } from "../../../reconciler/src/fabric/index.ts";
import { minimalFiles } from "../../fixtures/fabric/minimal.ts";
import { errorsOf, validFabric, describe as where } from "./expect-validation.ts";

const withFabric = (extra: string) => ({ "fabric.yaml": `${minimalFiles["fabric.yaml"]}${extra}` });

/** A switch with ports git does not list: the management port and Ethernet9. */
const unlisted =
  "interface Ethernet9\n   description spare\n!\ninterface Management1\n   ip address 10.0.0.11/24\n!\n";

describe("interfaces git does not list", () => {
  it("are left alone by default, and the management port always", () => {
    const { fabric } = validFabric();
    const intended = renderIntended(fabric, "leaf1").text;
    const running = parseConfig(`${unlisted}${intended}`);
    expect(remediate(running, parseConfig(intended), fabric.scope).commands).toEqual([]);
  });

  it("are reset when the fabric owns the whole interface section, except the management port", () => {
    const { fabric } = validFabric(withFabric("unlistedInterfaces: reset\n"));
    const intended = renderIntended(fabric, "leaf1").text;
    const running = parseConfig(`${unlisted}${intended}`);
    expect(remediate(running, parseConfig(intended), fabric.scope).commands).toEqual([
      "default interface Ethernet9",
    ]);
  });
});

describe("fabric.yaml managementPath", () => {
  it("renders the declared VRF into each switch's management xmpp block", () => {
    const { fabric } = validFabric(withFabric("managementPath:\n  interface: Management1\n  vrf: MGMT\n"));
    expect(renderIntended(fabric, "leaf1").text).toMatch(/management xmpp\n {3}no shutdown\n {3}vrf MGMT\n/);
    expect(fabric.managementPath).toEqual({ interface: "Management1", vrf: "MGMT" });
  });

  it("reads a migration", () => {
    const { fabric } = validFabric(
      withFabric(
        "managementPath:\n  migration:\n    reason: CHG-7 new OOB network\n    until: '2026-12-31'\n    elements: [interface, route]\n    devices: [leaf1]\n",
      ),
    );
    expect(fabric.managementPath.migration).toEqual({
      reason: "CHG-7 new OOB network",
      until: "2026-12-31",
      elements: ["interface", "route"],
      devices: ["leaf1"],
    });
  });

  it.each([
    ["an element it does not know", "elements: [firewall]", ""],
    ["no until", "elements: [vrf]", "until"],
  ])("refuses a migration with %s", (_, elements, drop) => {
    const lines = ["reason: x", "until: '2026-12-31'", elements].filter((l) => !drop || !l.startsWith(drop));
    const errors = errorsOf(
      withFabric(`managementPath:\n  migration:\n${lines.map((l) => `    ${l}\n`).join("")}`),
    );
    expect(errors.map(where)[0]).toMatch(/^fabric\.yaml:\d+:\d+ schema$/);
  });
});

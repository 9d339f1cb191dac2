import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { OpenChannel } from "../../../reconciler/src/reconcile/index.ts";
import { openFabricTransport } from "../../../reconciler/src/transport/index.ts";
import { type FabricLab, startFabricLab } from "../support/fabric-lab.ts";

/**
 * The example fabric with a management VRF: the switches reach the XMPP server 172.17.3.253 from
 * Management1 in VRF MGMT through the gateway 10.0.0.1. git owns the VRF and its default route
 * (baseline) but does not list Management1, which each switch has with its own address.
 */
const withManagementVrf = (yaml: string) =>
  yaml
    .replace(/replyTimeout: .*/, "replyTimeout: 3s")
    .replace(/verifyTimeout: .*/, "verifyTimeout: 5s")
    .replace(
      "  - management xmpp\n",
      "  - management xmpp\n  - vrf instance\n  - ip route\n  - ip access-list\n",
    )
    .replace("\nvars:\n", "\nmanagementPath:\n  vrf: MGMT\n\nvars:\n")
    .replace(
      "baseline: |\n",
      "baseline: |\n  vrf instance MGMT\n  !\n  ip route vrf MGMT 0.0.0.0/0 10.0.0.1\n  !\n",
    );

const address: Record<string, string> = {
  spine1: "11",
  spine2: "12",
  leaf1: "21",
  leaf2: "22",
  leaf3: "23",
  leaf4: "24",
};
const management1 = (device: string) =>
  `interface Management1\n   vrf MGMT\n   ip address 10.0.0.${address[device]}/24\n!\n`;
const withManagement1 = (device: string, intended: string) => `${management1(device)}${intended}`;

let lab: FabricLab;
beforeAll(async () => {
  lab = await startFabricLab({ running: withManagement1, editFabricYaml: withManagementVrf });
});
afterAll(() => lab?.cleanup());
beforeEach(() => lab.reset(withManagement1));

const runningOf = (device: string) => lab.lab.fleet.get(device).runningConfig();
const snapshot = () => new Map([...lab.lab.fleet.switches.keys()].map((d) => [d, runningOf(d)]));

function recordingChannel(sent: string[][]) {
  return async (fabric: Parameters<typeof openFabricTransport>[0], repoDir: string): Promise<OpenChannel> => {
    const channel = await openFabricTransport(fabric, { env: lab.lab.env, repoDir });
    return {
      sendScript: (device, lines, opts) => {
        sent.push(lines);
        return channel.sendScript(device, lines, opts);
      },
      sendScriptToGroup: (group, lines, opts) => {
        sent.push(lines);
        return channel.sendScriptToGroup(group, lines, opts);
      },
      close: () => channel.close(),
    };
  };
}

/** Commits `edit` to `file`, runs `body`, and commits the file back. */
async function withCommit(file: string, edit: (text: string) => string, body: () => Promise<void>) {
  let original = "";
  const remember = (text: string) => {
    original = text;
    return edit(text);
  };
  await lab.commit(file, remember, `Edit ${file}`);
  try {
    await body();
  } finally {
    await lab.commit(file, () => original, `Restore ${file}`);
  }
}

const leaf1Config = (lines: string) => (text: string) =>
  text.replace(/^config: \|\n/m, `config: |\n${lines.replace(/^/gm, "  ")}\n`);

describe("the management path on simulated switches over the real XMPP server", () => {
  it("leaves a Management1 that git does not list alone: nothing to do", async () => {
    const planned = await lab.runner().plan({ trigger: "cli" });
    if (!planned.ok) throw new Error(planned.message);
    expect(planned.plan.devices.map((d) => [d.device, d.status])).toEqual(
      Object.keys(address)
        .sort()
        .map((d) => [d, "in-sync"]),
    );
  });

  it.each([
    [
      "shutdown of Management1",
      "devices/leaf1.yaml",
      leaf1Config("interface Management1\n   vrf MGMT\n   ip address 10.0.0.21/24\n   shutdown"),
      ["leaf1"],
      /^"shutdown": interface Management1 is on leaf1's management path \(server 172\.17\.3\.253:5222 in VRF MGMT through Management1/,
    ],
    [
      "a deny-all ACL on Management1",
      "devices/leaf1.yaml",
      leaf1Config(
        "interface Management1\n   vrf MGMT\n   ip address 10.0.0.21/24\n   ip access-group DENY-ALL in\n!\nip access-list DENY-ALL\n   10 deny ip any any",
      ),
      ["leaf1"],
      /^applied in on interface Management1, it denies the XMPP session \(10 deny ip any any\): ip access-list DENY-ALL is on leaf1's/,
    ],
    [
      "a VRF change on Management1",
      "devices/leaf1.yaml",
      leaf1Config("interface Management1\n   ip address 10.0.0.21/24"),
      ["leaf1"],
      /^moving Management1 from VRF MGMT to VRF default \(EOS drops its address\): interface Management1 is on/,
    ],
    [
      "removing the management VRF's default route",
      "fabric.yaml",
      (text: string) => text.replace("  ip route vrf MGMT 0.0.0.0/0 10.0.0.1\n", ""),
      Object.keys(address).sort(),
      /^removing the route to the server: "ip route vrf MGMT 0\.0\.0\.0\/0 10\.0\.0\.1" is on \w+'s management path/,
    ],
    [
      "moving management xmpp to another VRF",
      "fabric.yaml",
      (text: string) => text.replace("managementPath:\n  vrf: MGMT\n", "managementPath:\n  vrf: OOB\n"),
      Object.keys(address).sort(),
      /^moving management xmpp from VRF MGMT to VRF OOB: vrf MGMT is on \w+'s management path/,
    ],
  ])(
    "refuses %s, naming the element, and sends nothing to the switch",
    async (_, file, edit, refused, message) => {
      await withCommit(file, edit, async () => {
        const planned = await lab.runner().plan({ trigger: "cli" });
        if (!planned.ok) throw new Error(planned.message);
        const errors = planned.plan.devices.filter((d) => d.status === "error");
        expect(errors.map((d) => d.device)).toEqual(refused);
        for (const device of errors) {
          expect(device.error?.code).toBe("management-path");
          expect(device.error?.message).toMatch(message);
          expect(device.error?.message).toContain("fabric.yaml managementPath.migration");
        }

        const sent: string[][] = [];
        const before = snapshot();
        await lab.runner({ openChannel: recordingChannel(sent) }).apply({ trigger: "cli" });
        for (const device of refused) expect(runningOf(device)).toBe(before.get(device));
        expect(sent.flat().filter((line) => /Management1|ip route|vrf OOB/.test(line))).toEqual([]);
      });
    },
  );

  it("applies the same change when a reviewed migration names it, on the switches it names", async () => {
    const migration =
      "managementPath:\n  vrf: MGMT\n  migration:\n    reason: CHG-42 leaf1 moves to the new OOB switch\n    until: '2999-12-31'\n    elements: [interface]\n    devices: [leaf1]\n";
    await withCommit(
      "fabric.yaml",
      (text) => text.replace("managementPath:\n  vrf: MGMT\n", migration),
      () =>
        withCommit(
          "devices/leaf1.yaml",
          leaf1Config("interface Management1\n   vrf MGMT\n   ip address 10.0.0.21/24\n   shutdown"),
          async () => {
            const applied = await lab.runner().apply({ trigger: "cli" });
            if (!applied.ok) throw new Error(applied.message);
            expect(applied.result.devices.find((d) => d.device === "leaf1")?.outcome).toBe("changed");
            expect(runningOf("leaf1")).toMatch(/interface Management1\n(?: {3}.*\n)* {3}shutdown\n/);
          },
        ),
    );
  });
});

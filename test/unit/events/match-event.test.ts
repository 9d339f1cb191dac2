import { beforeAll, describe, expect, it } from "vitest";
import type { ReceivedSyslog } from "../../../reconciler/src/events/index.ts";
import { matchEvent } from "../../../reconciler/src/events/index.ts";
import { readFabricRepo, validateFabric } from "../../../reconciler/src/fabric/index.ts";
import type { Fabric, FabricFiles } from "../../../reconciler/src/fabric/types.ts";

let files: FabricFiles;
let fabric: Fabric;
beforeAll(async () => {
  files = await readFabricRepo("fabric-repo-example");
  const result = validateFabric(files);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  fabric = result.fabric;
});

const MD5 = (peer: string) => `tcp_auth_ok: Packet from ${peer}:60042 unexpectedly has MD5 digest`;
const syslog = (
  message: string,
  source = "172.17.3.13",
  extra: Partial<ReceivedSyslog> = {},
): ReceivedSyslog => ({
  transport: "udp",
  source,
  receivedAt: new Date("2026-12-02T10:00:00Z"),
  text: `<189>1 2026-12-02T10:00:00Z leaf3 Bgp - - - ${message}`,
  ...extra,
});

describe("matchEvent", () => {
  it("turns an MD5 knock from inside the leaves' declared prefixes into a change of leaf3's file", () => {
    const match = matchEvent(fabric, syslog(MD5("10.0.3.0")));
    expect(match).toMatchObject({
      outcome: "match",
      device: { name: "leaf3" },
      declaredIn: "groups/leaf.yaml",
      targetFile: "devices/leaf3.yaml",
      lines: "router bgp ${asn}\n   neighbor 10.0.3.0 peer group SPINES",
      summary: "adding neighbor 10.0.3.0 to group SPINES on leaf3",
      key: "leaf3-10-0-3-0",
    });
  });

  it("ignores a peer outside every declared prefix, and says which prefixes", () => {
    expect(matchEvent(fabric, syslog(MD5("192.0.2.2")))).toMatchObject({
      outcome: "ignored",
      reason: "outside-prefixes",
      device: "leaf3",
      rule: "autopeer",
      detail: expect.stringContaining("10.0.0.0/16"),
    });
  });

  it("ignores a message from an address no switch has, whatever host name the message claims", () => {
    expect(matchEvent(fabric, syslog(MD5("10.0.3.0"), "127.0.0.1"))).toMatchObject({
      outcome: "ignored",
      reason: "unknown-source",
    });
  });

  it("over TLS, knows a switch by the names in its certificate, not by its address", () => {
    const tls = (names: string[]) =>
      syslog(MD5("10.0.3.0"), "10.9.9.9", { transport: "tls", certificateNames: names });
    expect(matchEvent(fabric, tls(["leaf3"]))).toMatchObject({ outcome: "match", device: { name: "leaf3" } });
    expect(matchEvent(fabric, tls(["mallory"]))).toMatchObject({
      outcome: "ignored",
      reason: "unknown-source",
    });
  });

  it("ignores a switch with no declaration of the rule (the spines declare none)", () => {
    expect(matchEvent(fabric, syslog(MD5("10.0.3.0"), "172.17.3.1"))).toMatchObject({
      outcome: "ignored",
      reason: "not-declared",
      device: "spine1",
    });
  });

  it("ignores messages no rule matches, and malformed lines", () => {
    expect(
      matchEvent(fabric, syslog("%LINK-3-UPDOWN: Interface Ethernet3, changed state to up")),
    ).toMatchObject({
      outcome: "ignored",
      reason: "no-rule",
    });
    expect(matchEvent(fabric, { ...syslog(""), text: "not syslog at all" })).toMatchObject({
      outcome: "ignored",
      reason: "malformed",
    });
  });

  it("never writes a capture with a space or a line break into config", () => {
    const evil = structuredClone(fabric);
    evil.events.rules[0]!.match = "Packet from (?<peer>[\\s\\S]+) unexpectedly has MD5 digest";
    evil.events.rules[0]!.addressInside = undefined;
    expect(
      matchEvent(
        evil,
        syslog("Packet from 10.0.3.0 peer group X\\n   do reload unexpectedly has MD5 digest"),
      ),
    ).toMatchObject({
      outcome: "ignored",
      reason: "unsafe-capture",
    });
  });
});

describe("event rules in validation", () => {
  const withFiles = (edit: Record<string, (text: string) => string>) => {
    const changed = { ...files.files };
    for (const [file, fn] of Object.entries(edit)) changed[file] = fn(String(changed[file]));
    return validateFabric({ files: changed });
  };
  const errorsOf = (result: ReturnType<typeof validateFabric>) =>
    result.ok
      ? []
      : result.errors.map((e) => `${e.position.file}:${e.position.line} ${e.code}: ${e.message}`);

  it("refuses a rule whose change template is a denied command, with file:line", () => {
    const result = withFiles({
      "fabric.yaml": (t) =>
        t.replace(
          "             neighbor ${peer} peer group ${peerGroup}",
          "             neighbor ${peer} peer group ${peerGroup}\n          do reload now",
        ),
    });
    expect(errorsOf(result).join("\n")).toMatch(/^fabric\.yaml:\d+ \S+: event rule "autopeer": .*reload/m);
  });

  it("refuses a regular expression that does not compile, and a capture it does not have", () => {
    expect(
      errorsOf(withFiles({ "fabric.yaml": (t) => t.replace("(?<peer>[0-9.]+)", "(?<peer>[0-9.]+") })).join(
        "\n",
      ),
    ).toMatch(/event rule "autopeer": the regular expression does not compile/);
    expect(
      errorsOf(withFiles({ "fabric.yaml": (t) => t.replace("capture: peer", "capture: neighbor") })).join(
        "\n",
      ),
    ).toMatch(
      /addressInside names capture "neighbor", which the regular expression does not have \(it has: peer\)/,
    );
  });

  it("refuses a declaration of an unknown rule, a prefix that does not parse, and a shared address", () => {
    const result = withFiles({
      "groups/leaf.yaml": (t) =>
        t
          .replace("sourcePrefixes: [10.0.0.0/16]", "sourcePrefixes: [10.0.0.0/40]")
          .replace(
            "  autopeer:",
            "  autopeer:\n    peerGroup2: X\n  autopear:\n    sourcePrefixes: [10.0.0.0/8]\n  autopeer2:",
          ),
      "devices/leaf4.yaml": (t) => t.replace("172.17.3.14", "172.17.3.13"),
    });
    const text = errorsOf(result).join("\n");
    expect(text).toMatch(
      /groups\/leaf\.yaml:\d+ event-declaration: groups\/leaf\.yaml declares events\.autopear, but fabric\.yaml has no event rule "autopear"/,
    );
    expect(text).toMatch(
      /groups\/leaf\.yaml:\d+ event-declaration: .*10\.0\.0\.0\/40 is not a prefix: \/40 is no IPv4 prefix length/,
    );
    expect(text).toMatch(
      /devices\/leaf4\.yaml:\d+ management-address: leaf4 and leaf3 both have management address 172\.17\.3\.13/,
    );
  });
});

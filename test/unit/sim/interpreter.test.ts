import { afterEach, describe, expect, it, vi } from "vitest";
import { CliSession, type SwitchEnv } from "../../../reconciler/sim/cli/interpreter.ts";
import { ConfigStore } from "../../../reconciler/sim/cli/store.ts";

const RUNNING = `! Command: show running-config
! device: leaf1 (vEOS-lab, EOS-4.30.0F-sim)
!
hostname leaf1
!
vlan 10
   name servers
!
interface Ethernet1
   description uplink
   ip address 10.0.0.1/31
!
management xmpp
   no shutdown
   server 127.0.0.1
   username leaf1@securitydemo.lab
   domain securitydemo.lab
   session privilege 15
   switch-group leaf@groups.securitydemo.lab
!
end
`;

function cli(privilege = 15, running = RUNNING): { cli: CliSession; store: ConfigStore; env: SwitchEnv } {
  const store = new ConfigStore(running);
  const env: SwitchEnv = {
    store,
    privilege: () => privilege,
    hostname: () => "leaf1",
    showVersion: () => "Arista vEOS-lab\nSoftware image version: 4.30.0F-sim",
    showXmpp: (what) => `xmpp ${what}`,
  };
  return { cli: new CliSession(env), store, env };
}

/** Runs lines, then returns the sections asked for. */
function afterLines(lines: string[], section: string): string {
  const { cli: c } = cli();
  for (const line of lines) expect(c.run(line), line).toBe("");
  c.run("end");
  return c.run(`show running-config section ${section}`);
}

afterEach(() => vi.useRealTimers());

describe("simulated EOS config mode", () => {
  it.each([
    {
      name: "a single-valued command replaces its value in place",
      lines: ["configure", "interface Ethernet1", "description new uplink"],
      section: "Ethernet1",
      expected: "interface Ethernet1\n   description new uplink\n   ip address 10.0.0.1/31",
    },
    {
      name: "ip address replaces the primary but a secondary accumulates",
      lines: [
        "configure",
        "interface Ethernet1",
        "ip address 10.0.0.3/31",
        "ip address 10.9.9.9/24 secondary",
      ],
      section: "Ethernet1",
      expected:
        "interface Ethernet1\n   description uplink\n   ip address 10.0.0.3/31\n   ip address 10.9.9.9/24 secondary",
    },
    {
      name: "no removes the named line",
      lines: ["configure", "interface Ethernet1", "no description"],
      section: "Ethernet1",
      expected: "interface Ethernet1\n   ip address 10.0.0.1/31",
    },
    {
      name: "a top-level command typed in a sub-mode leaves the sub-mode",
      lines: ["configure", "interface Ethernet1", "vlan 30", "name web"],
      section: "vlan",
      expected: "vlan 10\n   name servers\nvlan 30\n   name web",
    },
    {
      name: "no of a section removes it with its children",
      lines: ["configure", "no vlan 10"],
      section: "vlan",
      expected: "",
    },
    {
      name: "switch-group lines accumulate and session privilege is replaced",
      lines: [
        "configure",
        "management xmpp",
        "switch-group dc1@groups.securitydemo.lab",
        "session privilege 1",
      ],
      section: "management xmpp",
      expected: [
        "management xmpp",
        "   no shutdown",
        "   server 127.0.0.1",
        "   username leaf1@securitydemo.lab",
        "   domain securitydemo.lab",
        "   session privilege 1",
        "   switch-group leaf@groups.securitydemo.lab",
        "   switch-group dc1@groups.securitydemo.lab",
      ].join("\n"),
    },
    {
      name: "shutdown and no shutdown are one setting",
      lines: ["configure", "management xmpp", "shutdown"],
      section: "management xmpp",
      expected: [
        "management xmpp",
        "   shutdown",
        "   server 127.0.0.1",
        "   username leaf1@securitydemo.lab",
        "   domain securitydemo.lab",
        "   session privilege 15",
        "   switch-group leaf@groups.securitydemo.lab",
      ].join("\n"),
    },
    {
      name: "neighbor settings are keyed by neighbor and attribute",
      lines: [
        "configure",
        "router bgp 65001",
        "neighbor 10.0.0.0 remote-as 65000",
        "neighbor 10.0.0.0 description spine1",
        "neighbor 10.0.0.0 remote-as 65100",
      ],
      section: "router bgp",
      expected:
        "router bgp 65001\n   neighbor 10.0.0.0 remote-as 65100\n   neighbor 10.0.0.0 description spine1",
    },
    {
      name: "ACL entries typed without a sequence number get 10, 20, …",
      lines: ["configure", "ip access-list MGMT", "permit ip 10.0.0.0/8 any", "deny ip any any"],
      section: "access-list",
      expected: "ip access-list MGMT\n   10 permit ip 10.0.0.0/8 any\n   20 deny ip any any",
    },
  ])("$name", ({ lines, section, expected }) => {
    expect(afterLines(lines, section)).toBe(expected);
  });

  it.each([
    { line: "frobnicate the switch", expected: "% Invalid input (at token 0: 'frobnicate')" },
    { line: "no frobnicate", expected: "% Invalid input (at token 1: 'frobnicate')" },
    { line: "hostname", expected: "% Incomplete command" },
    { line: "interface", expected: "% Incomplete command" },
  ])("refuses $line with EOS's error text", ({ line, expected }) => {
    const { cli: c } = cli();
    c.run("configure");
    expect(c.run(line)).toBe(expected);
  });

  it("prints running-config in EOS format", () => {
    const { cli: c } = cli();
    const text = c.run("show running-config");
    expect(text.split("\n").slice(0, 5)).toEqual([
      "! Command: show running-config",
      "! device: leaf1 (vEOS-lab, EOS-4.30.0F-sim)",
      "!",
      "hostname leaf1",
      "!",
    ]);
    expect(text).toContain("interface Ethernet1\n   description uplink\n   ip address 10.0.0.1/31\n!");
    expect(text.endsWith("!\nend")).toBe(true);
  });
});

describe("simulated EOS privilege", () => {
  it.each([
    "configure",
    "configure session s1",
    "show running-config",
    "show session-config named s1 diffs",
    "write memory",
  ])("refuses %s at privilege 1", (line) => {
    expect(cli(1).cli.run(line)).toBe("% Invalid input (privileged mode required)");
  });

  it("runs show version and show xmpp status at privilege 1", () => {
    const { cli: c } = cli(1);
    expect(c.run("show version")).toContain("Software image version");
    expect(c.run("show xmpp status")).toBe("xmpp status");
  });
});

describe("simulated EOS config sessions", () => {
  it("shows every change of running at once: a direct edit, a timed commit, its rollback", () => {
    vi.useFakeTimers();
    const { cli: c } = cli();
    const shown = () => c.run("show running-config");
    expect(shown()).toContain("vlan 10\n   name servers\n");
    c.runScript("configure\nvlan 10\n   name web\nend");
    expect(shown()).toContain("vlan 10\n   name web\n");
    c.runScript("configure session t1\nvlan 20\nend");
    expect(shown()).not.toContain("vlan 20");
    expect(c.run("configure session t1 commit timer 00:00:05")).toBe("");
    expect(shown()).toContain("vlan 20\n");
    vi.advanceTimersByTime(5001);
    expect(shown()).not.toContain("vlan 20");
    expect(shown()).toContain("vlan 10\n   name web\n");
  });

  it("changes only the session copy until commit, and shows the diff with EOS headers", () => {
    const { cli: c, store } = cli();
    expect(c.runScript("configure session r1\nvlan 30\n   name web\nend")).toBe("");
    expect(c.run("show running-config section vlan 30")).toBe("");
    const diff = c.run("show session-config named r1 diffs");
    expect(diff.split("\n").slice(0, 2)).toEqual([
      "--- system:/running-config",
      "+++ session:/r1-session-config",
    ]);
    expect(diff).toContain("+vlan 30\n+   name web");
    expect(c.run("configure session r1 commit")).toBe("");
    expect(c.run("show running-config section vlan 30")).toBe("vlan 30\n   name web");
    expect(store.sessions.size).toBe(0);
  });

  it("rolls back a commit timer that is not confirmed in time", () => {
    vi.useFakeTimers();
    const { cli: c } = cli();
    c.runScript("configure session r2\nhostname leaf1-new\nend");
    expect(c.run("configure session r2 commit timer 00:00:05")).toBe("");
    expect(c.run("show running-config section hostname")).toBe("hostname leaf1-new");
    vi.advanceTimersByTime(5001);
    expect(c.run("show running-config section hostname")).toBe("hostname leaf1");
    expect(c.run("configure session r2 commit")).toMatch(/^% Error: no configuration session named r2/);
  });

  it("keeps a timed commit that is confirmed", () => {
    vi.useFakeTimers();
    const { cli: c } = cli();
    c.runScript("configure session r3\nhostname leaf1-new\ncommit timer 00:01:00");
    expect(c.run("configure session r3 commit")).toBe("");
    vi.advanceTimersByTime(120_000);
    expect(c.run("show running-config section hostname")).toBe("hostname leaf1-new");
  });

  it("abort of a pending commit rolls back at once", () => {
    const { cli: c } = cli();
    c.runScript("configure session r4\nno vlan 10\nend\nconfigure session r4 commit timer 00:10:00");
    expect(c.run("show running-config section vlan")).toBe("");
    expect(c.run("configure session r4 abort")).toBe("");
    expect(c.run("show running-config section vlan")).toBe("vlan 10\n   name servers");
  });

  it("commit replaces running by the session copy, overwriting changes made since", () => {
    const { cli: c, store } = cli();
    c.runScript("configure session r5\nhostname from-session\nend");
    store.setRunningText(`${RUNNING.replace("vlan 10", "vlan 99")}`);
    c.run("configure session r5 commit");
    expect(c.run("show running-config section vlan")).toBe("vlan 10\n   name servers");
  });

  it("limits pending sessions", () => {
    const { cli: c } = cli();
    for (let i = 0; i < 5; i++) expect(c.runScript(`configure session s${i}\nend`)).toBe("");
    expect(c.run("configure session s5")).toBe("% Maximum number of pending sessions has been reached");
  });

  it("rejects a bad commit timer", () => {
    expect(cli().cli.run("configure session r6 commit timer 5m")).toBe("% Invalid input (at token 5: '5m')");
  });
});

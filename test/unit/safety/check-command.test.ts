import { describe, expect, it } from "vitest";
import {
  builtinDenyRules,
  checkCommand,
  compileSafetyPolicy,
  readingsOf,
  shortestUniquePrefixes,
} from "../../../reconciler/src/safety/index.ts";
import { abbreviationFamily, deniedExamples } from "./families.ts";

describe("checkCommand: the deny list the way EOS parses it", () => {
  it.each([
    ["rel", "reload"],
    ["RELOAD", "reload"],
    ["BASH", "bash"],
    ["wr er", "write erase"],
    ["conf replace flash:rollback-0", "configure replace"],
    ["ZeroTouch", "zerotouch"],
    ["do reload", "reload"],
    ["do bash rm -rf /mnt/flash", "bash"],
    ["do write erase", "write erase"],
    ["do copy running-config startup-config", "copy … startup-config"],
    ["do copy run start", "copy … startup-config"],
    ["copy flash:new.cfg flash:startup-config", "copy … startup-config"],
    ["write memory", "write"],
    ["wr", "write"],
    ["commit", "commit"],
    ["COMMIT TIMER 01:00:00", "commit"],
    ["configure terminal", "configure"],
    ["conf t", "configure"],
    ["configure session other commit", "configure"],
    ["no configure session reconciler-x", "configure"],
    ["abort", "abort"],
    ["End", "end"],
    ["exit", "exit"],
    ["rollback clean-config", "rollback clean-config"],
    ["username ops shell /bin/bash", "username … shell"],
  ])("denies %j as %s", (line, command) => {
    expect(checkCommand(line)?.command).toBe(command);
  });

  it("names how EOS reads an abbreviation in the finding", () => {
    expect(checkCommand("do wr er")).toMatchObject({ command: "write erase", reading: "do write erase" });
    expect(checkCommand("write erase")?.reading).toBeUndefined();
  });

  it.each([
    "interface Ethernet1",
    "description reload the config later",
    "ip routing",
    "router bgp 65000",
    "neighbor 10.0.0.1 remote-as 65001",
    "comment this is fine",
    "dot1x system-auth-control",
    "no shutdown",
    "default interface Ethernet9",
    "name RELOAD-TEST",
    "logging host 10.0.0.1",
    "ntp server 10.0.0.10 iburst",
    "management xmpp",
    "username admin privilege 15 role network-admin",
  ])("lets the config line %j pass", (line) => {
    expect(checkCommand(line)).toBeUndefined();
  });

  it("denies an ambiguous abbreviation when one of its meanings is denied", () => {
    // "re" is reload, redundancy, rename, reset, …: EOS refuses it as ambiguous, the policy refuses it as well
    expect(checkCommand("re now")?.command).toBe("reload");
    expect(checkCommand("comm")?.command).toBe("commit"); // comment or commit
  });

  it("denies any other EXEC command run through do", () => {
    expect(checkCommand("do show version")).toMatchObject({ source: "exec-via-do" });
  });

  it("applies a fabric's own pattern to the written and to the expanded form", () => {
    const policy = compileSafetyPolicy({
      deny: [{ pattern: "^boot system", reason: "upgrades are separate" }],
    });
    expect(checkCommand("boot system flash:EOS.swi", policy)?.reason).toBe("upgrades are separate");
    expect(checkCommand("do BOOT system flash:EOS.swi", policy)?.reason).toBe("upgrades are separate");
  });

  it("denies a line with more readings than it can check", () => {
    expect(checkCommand("d d d d d d d d")).toMatchObject({ source: "ambiguous" });
  });

  it("finds the shortest prefix EOS accepts from the keyword table", () => {
    expect(shortestUniquePrefixes(["reload"])).toEqual([3]);
    expect(shortestUniquePrefixes(["write", "erase"])).toEqual([2, 1]);
    expect(readingsOf("conf t")?.map((r) => r.words.join(" "))).toEqual(["configure terminal"]);
  });
});

describe("checkCommand: abbreviation, case and do families of every denied command", () => {
  for (const { command, words, tail } of deniedExamples) {
    it(`denies every spelling of ${command}`, () => {
      const family = abbreviationFamily(words, tail);
      expect(family.length).toBeGreaterThan(3);
      const passed = family.filter((line) => checkCommand(line) === undefined);
      expect(passed).toEqual([]);
    });
  }

  it("covers every built-in rule", () => {
    expect(deniedExamples.map((e) => e.command)).toEqual(builtinDenyRules.map((r) => r.command));
  });
});

describe("checkCommand: arguments", () => {
  it("keeps an argument's case in the reading and still matches a file URL in any case", () => {
    expect(checkCommand("do COPY RUN flash:STARTUP-CONFIG")).toMatchObject({
      command: "copy … startup-config",
      reading: "do copy running-config flash:STARTUP-CONFIG",
    });
  });
});

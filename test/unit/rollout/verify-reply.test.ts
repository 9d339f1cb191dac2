import { describe, expect, it } from "vitest";
import { runningFromReadBack, runningFromSessionDiff } from "../../../reconciler/src/rollout/verify-reply.ts";

const RUNNING = [
  "! Command: show running-config",
  "! device: leaf1 (vEOS-lab, EOS-4.30.0F)",
  "!",
  "hostname leaf1",
  "!",
  "ntp server 10.0.0.1",
  "!",
  "vlan 10",
  "   name USERS",
  "!",
  "interface Ethernet1",
  "   description uplink",
  "   mtu 9214",
  "!",
  "end",
].join("\n");

// What EOS prints for a session that adds an NTP server and renames VLAN 10 (eos-xmpp.md §3.3 headers).
const DIFF = [
  "--- system:/running-config",
  "+++ session:/reconciler-r1-session-config",
  "@@ -4,9 +4,10 @@",
  " hostname leaf1",
  " !",
  " ntp server 10.0.0.1",
  "+ntp server 10.0.0.2",
  " !",
  " vlan 10",
  "-   name USERS",
  "+   name STAFF",
  " !",
  " interface Ethernet1",
  "    description uplink",
].join("\n");

describe("the running config a verification reply shows", () => {
  it("fits the session diff onto the running config the plan was made from", () => {
    const reading = runningFromSessionDiff(DIFF, RUNNING);
    expect(reading).toEqual({
      ok: true,
      running: `${RUNNING.replace("ntp server 10.0.0.1\n", "ntp server 10.0.0.1\nntp server 10.0.0.2\n").replace("name USERS", "name STAFF")}\n`,
    });
  });

  it("reads an empty reply as a session that changes nothing", () => {
    expect(runningFromSessionDiff("", RUNNING)).toEqual({ ok: true, running: `${RUNNING}\n` });
  });

  it("fails when the config around the change is not what the plan saw (changed since the plan)", () => {
    const changed = RUNNING.replace("   name USERS", "   name GUESTS");
    const reading = runningFromSessionDiff(DIFF, changed);
    expect(reading.ok).toBe(false);
    expect(!reading.ok && reading.reason).toMatch(/does not fit the running config the plan was made from/);
  });

  it("fits when the switch heads its file differently or lines above moved (comments carry no config)", () => {
    const moved = RUNNING.replace("! Command: show running-config\n", "").replace(
      "!\nhostname leaf1",
      "! boot system flash:/EOS.swi\n!\n!\nhostname leaf1",
    );
    const reading = runningFromSessionDiff(DIFF, moved);
    expect(reading.ok && reading.running).toContain("   name STAFF\n");
    expect(reading.ok && reading.running).toContain("! boot system flash:/EOS.swi\n");
  });

  it("names a reply that is no diff, and a diff it cannot read", () => {
    const other = runningFromSessionDiff("hostname leaf1\n!", RUNNING);
    expect(!other.ok && other.reason).toMatch(/not a unified diff \(starts "hostname leaf1"\)/);
    const headerOnly = runningFromSessionDiff(DIFF.split("\n").slice(0, 2).join("\n"), RUNNING);
    expect(!headerOnly.ok && headerOnly.reason).toMatch(/no hunk/);
    const broken = runningFromSessionDiff(`${DIFF.split("\n").slice(0, 3).join("\n")}\n?? garbage`, RUNNING);
    expect(!broken.ok && broken.reason).toMatch(/cannot be read/);
  });

  it("reads a read-back as the running config, without EOS's warning lines", () => {
    expect(runningFromReadBack("% Warning: x\nhostname leaf1\n!")).toEqual({
      ok: true,
      running: "hostname leaf1\n!",
    });
  });
});

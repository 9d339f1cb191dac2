import { describe, expect, it } from "vitest";
import { CliSession } from "../../../reconciler/sim/cli/interpreter.ts";
import { ConfigStore } from "../../../reconciler/sim/cli/store.ts";

const RUNNING = [
  "hostname leaf1",
  "!",
  "banner login",
  "old text",
  "  indented line",
  "EOF",
  "!",
  "end",
  "",
].join("\n");

function session(running = RUNNING) {
  const store = new ConfigStore(running);
  const cli = new CliSession({
    store,
    privilege: () => 15,
    hostname: () => "leaf1",
    showVersion: () => "",
    showXmpp: () => "",
  });
  return { cli, store };
}

describe("simulated banner (a multi-line value ended by EOF)", () => {
  it("keeps a banner's lines through parse and show running-config", () => {
    const { cli } = session();
    expect(cli.run("show running-config")).toContain("banner login\nold text\n  indented line\nEOF\n");
  });

  it("replaces the banner with the lines typed up to EOF, inside a config session, on commit", () => {
    const { cli } = session();
    const out = cli.runScript(
      [
        "configure session s1",
        "banner login",
        "new text",
        "second line",
        "EOF",
        "end",
        "configure session s1 commit",
      ].join("\n"),
    );
    expect(out).toBe("");
    const running = cli.run("show running-config");
    expect(running).toContain("banner login\nnew text\nsecond line\nEOF\n");
    expect(running).not.toContain("old text");
  });

  it("removes the banner with no banner login", () => {
    const { cli } = session();
    cli.runScript(["configure", "no banner login", "end"].join("\n"));
    expect(cli.run("show running-config")).not.toContain("banner");
  });
});

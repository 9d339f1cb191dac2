import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { TEST_SERVER } from "./support/xmpp-server.ts";

const run = promisify(execFile);

describe(`reconciler demo and sim on ${TEST_SERVER} (CLI)`, () => {
  it("runs the whole loop, detecting each switch's CLI framing", async () => {
    const { stdout } = await run("node", ["bin/reconciler.mjs", "demo", "--server", TEST_SERVER], {
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(stdout).toContain(`a throw-away ${TEST_SERVER} (TLS, own CA, MUC rooms)`);
    expect(stdout).toContain(
      "CLI framing: multiline (detected): leaf1, leaf2, leaf3, leaf4, spine1; per-sender (detected): spine2",
    );
    expect(stdout).toContain("every switch refuses commands from an unauthorized JID");
    expect(stdout).toMatch(/No failures: \d+ passed, \d+ warnings, 0 failed/);
    expect(stdout).toMatch(/Demo complete: planned 6 switches/);
  });

  it("sim --start-server starts the server and the switches, prints the settings, stops on SIGINT", async () => {
    const child = spawn(
      "node",
      ["bin/reconciler.mjs", "sim", "--count", "2", "--start-server", TEST_SERVER],
      {
        env: { ...process.env, NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += String(chunk);
      if (stdout.includes("2 simulated switches; Ctrl-C stops them.")) child.kill("SIGINT");
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
    expect(stdout).toContain(`Throw-away ${TEST_SERVER} on 127.0.0.1:`);
    expect(stdout).toMatch(/export RECONCILER_XMPP_PORT=\d+/);
    expect(stdout).toMatch(/sw1 +online as sw1@fabric\.test/);
    expect(stdout).toMatch(/sw2 +online as sw2@fabric\.test/);
  });
});

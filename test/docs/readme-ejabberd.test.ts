/**
 * The README's ejabberd.yml and ejabberdctl commands, run for real: ejabberd starts with exactly the
 * documented file (only ports, certificate paths and a loopback readiness API are swapped in for the
 * test), the documented commands run in order, and the result has the posture the README promises.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { INETRC, renderCtlConfig } from "../../reconciler/sim/ejabberd/config.ts";
import {
  ctlArgs,
  ejabberdctl,
  type InstancePaths,
  launchEjabberd,
  type RunningEjabberd,
  stopEjabberd,
} from "../../reconciler/sim/ejabberd/process.ts";
import { ensureServerCerts } from "../../reconciler/sim/xmpp-server/certs.ts";
import { freePort } from "../../reconciler/sim/xmpp-server/loopback.ts";
import { CHECKS, evaluateChecks } from "../../reconciler/src/doctor/index.ts";
import { observeServer } from "../../reconciler/src/doctor/observe-server.ts";
import {
  createXmppClient,
  startXmppClient,
  stopXmppClient,
} from "../../reconciler/src/transport/connection.ts";

const run = promisify(execFile);

/** The fenced block right after the HTML comment that names it. */
function readmeBlock(readme: string, marker: string): string {
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README has no block marked ${JSON.stringify(marker)}`);
  const m = /```[a-z]*\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!m) throw new Error(`no fenced block after ${marker}`);
  return m[1]!;
}

interface Documented {
  dir: string;
  paths: InstancePaths;
  port: number;
  adminPort: number;
  caFile: string;
  proc: RunningEjabberd;
  passwords: Record<string, string>;
  outputs: string[];
}

let e: Documented;

beforeAll(async () => {
  const readme = await readFile("README.md", "utf8");
  const config = parse(readmeBlock(readme, "<!-- ejabberd.yml for a fabric")) as Record<string, unknown>;
  const commands = readmeBlock(readme, "<!-- ejabberdctl commands")
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line.startsWith("ejabberdctl "));

  const dir = await mkdtemp(join(tmpdir(), "readme-ejabberd-"));
  const configDir = join(dir, "ejabberd");
  await mkdir(join(configDir, "log"), { recursive: true });
  const certs = await ensureServerCerts(join(dir, "certs"), "securitydemo.lab");
  const [port, adminPort, apiPort, distPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];

  // What only the test changes: where the certificates are, free loopback ports, and a loopback admin
  // API the harness waits on for readiness (a fabric's server has none).
  config.certfiles = [certs.serverCert, certs.serverKey, certs.caCert];
  config.ca_file = certs.caCert;
  const listen = config.listen as Record<string, unknown>[];
  const c2s = listen.find((l) => l.module === "ejabberd_c2s")!;
  const web = listen.find((l) => l.module === "ejabberd_http")!;
  Object.assign(c2s, { port, ip: "127.0.0.1" });
  Object.assign(web, { port: adminPort });
  listen.push({
    port: apiPort,
    ip: "127.0.0.1",
    module: "ejabberd_http",
    request_handlers: { "/api": "mod_http_api" },
  });
  config.api_permissions = {
    "loopback admin": { from: ["ejabberd_ctl", "mod_http_api"], who: { ip: "127.0.0.1/8" }, what: "*" },
  };
  const paths: InstancePaths = {
    configDir,
    spool: join(configDir, "spool"),
    logs: join(configDir, "log"),
    node: `readme_${port}@localhost`,
    pidFile: join(configDir, "ejabberd.pid"),
  };
  await writeFile(join(configDir, "inetrc"), INETRC);
  const cookie = randomBytes(18).toString("hex");
  await writeFile(
    join(configDir, "ejabberdctl.cfg"),
    renderCtlConfig({ distPort, cookie, pidFile: paths.pidFile }),
  );
  await writeFile(join(configDir, "ejabberd.yml"), stringify(config));
  const proc = await launchEjabberd({ paths, port, apiPort, alsoPorts: [adminPort] });

  const passwords: Record<string, string> = {};
  const outputs: string[] = [];
  for (const command of commands) {
    const args = command
      .split(/\s+/)
      .slice(1)
      .map((word) => {
        const v = /^"\$([A-Z0-9_]+)"$/.exec(word)?.[1];
        if (!v) return word;
        passwords[v] ??= randomBytes(12).toString("base64url");
        return passwords[v]!;
      });
    const { stdout } = await run(ejabberdctl(), [...ctlArgs(paths), ...args]);
    outputs.push(stdout);
  }
  e = { dir, paths, port, adminPort, caFile: certs.caCert, proc, passwords, outputs };
}, 240_000);

afterAll(async () => {
  if (e?.proc) await stopEjabberd(e.proc);
  if (e?.dir) await rm(e.dir, { recursive: true, force: true });
});

describe("the README's ejabberd.yml and ejabberdctl commands", () => {
  it("start ejabberd without a configuration warning", async () => {
    const log = await readFile(join(e.paths.logs, "ejabberd.log"), "utf8");
    // mod_mam (the message archive) is left out on purpose: a room keeps no commands
    const deliberate = [/Module mod_mam is recommended for module mod_muc/];
    const warnings = log
      .split("\n")
      .filter((l) => /\[(warning|error)\]/.test(l) && !deliberate.some((re) => re.test(l)));
    expect(warnings).toEqual([]);
  });

  it("make a members-only, non-anonymous, unlogged room with the reconciler as owner and the switch as member", () => {
    const options = Object.fromEntries(
      e.outputs
        .at(-2)!
        .split("\n")
        .map((line) => line.split("\t") as [string, string]),
    );
    expect(options).toMatchObject({
      members_only: "true",
      anonymous: "false",
      persistent: "true",
      public: "false",
      mam: "false",
      logging: "false",
    });
    const affiliations = e.outputs
      .at(-1)!
      .trim()
      .split("\n")
      .map((l) => l.trim())
      .sort();
    expect(affiliations).toEqual(["leaf1\tsecuritydemo.lab\tmember", "reconciler\tsecuritydemo.lab\towner"]);
  });

  it("let a registered switch log in over STARTTLS with its password", async () => {
    const x = createXmppClient({
      host: "127.0.0.1",
      port: e.port,
      domain: "securitydemo.lab",
      resource: "eos",
      tls: "starttls",
      credentials: { kind: "password", username: "leaf1", password: e.passwords.LEAF1_PASSWORD! },
      tlsMaterial: { ca: [await readFile(e.caFile, "utf8")] },
    });
    await startXmppClient(x, "leaf1", e.caFile);
    expect(x.isSecure()).toBe(true);
    await stopXmppClient(x);
  });

  it("serve the web admin on loopback over TLS only", async () => {
    const ca = await readFile(e.caFile, "utf8");
    const socket = tls.connect({ host: "127.0.0.1", port: e.adminPort, ca, servername: "securitydemo.lab" });
    await new Promise<void>((resolve, reject) => {
      socket.once("secureConnect", resolve);
      socket.once("error", reject);
    });
    expect(socket.authorized).toBe(true);
    socket.destroy();
    const web = (
      parse(readmeBlock(await readFile("README.md", "utf8"), "<!-- ejabberd.yml")).listen as {
        module: string;
        ip: string;
        tls?: boolean;
      }[]
    ).find((l) => l.module === "ejabberd_http");
    expect(web).toMatchObject({ ip: "127.0.0.1", tls: true });
  });

  it("pass the doctor's checks of the server and its certificate", async () => {
    const ca = await readFile(e.caFile, "utf8");
    const server = await observeServer({ host: "127.0.0.1", port: e.port, domain: "securitydemo.lab", ca });
    const checks = CHECKS.filter((c) => c.area === "server" || c.area === "certificate");
    const results = evaluateChecks(
      {
        server,
        local: { stateDir: { path: e.dir, missing: true }, secretFiles: [], github: { kind: "none" } },
        expected: { domain: "securitydemo.lab", switchServer: "", privilege: 15 },
        strangerTested: false,
      },
      checks,
    );
    expect(results.map((r) => r.check)).toContain("registration-closed");
    expect(results.filter((r) => r.status !== "pass")).toEqual([]);
  });
});

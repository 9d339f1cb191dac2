/**
 * A throw-away ejabberd (Debian's package, run as an isolated instance) on a free loopback port, for tests,
 * the demo and benchmarks: own temp dir with config, spool and logs; own CA and server certificate;
 * STARTTLS required; a MUC service; its own Erlang cookie and distribution port on loopback, no epmd.
 * Accounts go through mod_http_api on a loopback port (one ctl call costs ~0.3 s of Erlang start-up).
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensureServerCerts, issueClientCertificate } from "../xmpp-server/certs.ts";
import { freePort } from "../xmpp-server/loopback.ts";
import { PortInUseError, type XmppServer, type XmppServerOptions } from "../xmpp-server/types.ts";
import { EjabberdApi } from "./api.ts";
import { INETRC, renderCtlConfig, renderEjabberdConfig } from "./config.ts";
import { type InstancePaths, launchEjabberd, type RunningEjabberd, stopEjabberd } from "./process.ts";

export async function startEjabberd(options: XmppServerOptions = {}): Promise<XmppServer> {
  const domain = options.domain ?? "fabric.test";
  const mucService = options.mucService ?? `groups.${domain}`;
  const dir = options.dir ? resolve(options.dir) : await mkdtemp(join(tmpdir(), "ejabberd-"));
  const certDir = join(dir, "certs");
  const certs = await ensureServerCerts(certDir, domain);
  const configDir = join(dir, "ejabberd");
  await mkdir(join(configDir, "log"), { recursive: true });
  const cookie = randomBytes(18).toString("hex");

  let port = options.port ?? (await freePort());
  let apiPort = await freePort();
  let distPort = await freePort();
  const directTlsPort = options.directTls ? await freePort() : undefined;
  const paths = (): InstancePaths => ({
    configDir,
    spool: join(configDir, "spool"),
    logs: join(configDir, "log"),
    // -sname; the mnesia spool is bound to it, so a new port (new name) gets a fresh spool below
    node: `e2e_${port}@localhost`,
    pidFile: join(configDir, "ejabberd.pid"),
  });
  let proc: RunningEjabberd | undefined;

  const writeConfig = async () => {
    const p = paths();
    await writeFile(join(configDir, "inetrc"), INETRC);
    await writeFile(
      join(configDir, "ejabberdctl.cfg"),
      renderCtlConfig({ distPort, cookie, pidFile: p.pidFile }),
      { mode: 0o600 },
    );
    await writeFile(
      join(configDir, "ejabberd.yml"),
      renderEjabberdConfig({
        dir,
        port,
        apiPort,
        directTlsPort,
        domain,
        mucService,
        caFile: certs.caCert,
        serverCert: certs.serverCert,
        serverKey: certs.serverKey,
        clientCerts: options.clientCerts ?? false,
        stanzaLimit: options.stanzaLimit ?? 262_144,
        mucPresenceBroadcastModeratorOnly: options.mucPresenceBroadcastModeratorOnly ?? false,
        withoutTls: options.withoutTls,
        misconfigure: options.misconfigure,
      }),
    );
  };

  const start = async () => {
    if (proc) return;
    const p = paths();
    proc = await launchEjabberd({
      paths: p,
      port,
      apiPort,
      alsoPorts: [apiPort, ...(directTlsPort ? [directTlsPort] : [])],
    });
  };

  // A free port can be taken between freePort() and ejabberd's bind: try other ones (not a fixed port).
  for (let attempt = 1; ; attempt++) {
    await rm(paths().spool, { recursive: true, force: true });
    await writeConfig();
    try {
      await start();
      break;
    } catch (error) {
      if (!(error instanceof PortInUseError) || options.port !== undefined || attempt >= 3) {
        if (!options.dir) await rm(dir, { recursive: true, force: true });
        throw error;
      }
      port = await freePort();
      apiPort = await freePort();
      distPort = await freePort();
    }
  }

  const api = new EjabberdApi(() => apiPort, domain);
  const kill = async () => {
    const p = proc;
    proc = undefined;
    if (p) await stopEjabberd(p);
  };
  let certQueue: Promise<unknown> = Promise.resolve();

  return {
    kind: "ejabberd",
    host: "127.0.0.1",
    get port() {
      return port;
    },
    directTlsPort,
    domain,
    mucService,
    dir,
    caFile: certs.caCert,
    certFile: certs.serverCert,
    register: (user, password) => api.register(user, password),
    registerMany: (accounts) => api.registerMany(accounts),
    presetRosters: (owner, contacts) => api.presetRosters(owner, contacts),
    async issueClientCert(user) {
      // SASL EXTERNAL still needs the account to exist in ejabberd; its password is never used
      await api.register(user, randomBytes(18).toString("base64url"));
      const issued = certQueue.then(() => issueClientCertificate(certDir, `${user}@${domain}`));
      certQueue = issued.catch(() => undefined);
      return issued;
    },
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
    async restart() {
      await kill();
      await start();
    },
    kill,
    start,
    isRunning: () => proc !== undefined,
    freeze: () => signalBeam(proc, "SIGSTOP"),
    thaw: () => signalBeam(proc, "SIGCONT"),
  };
}

function signalBeam(proc: RunningEjabberd | undefined, signal: NodeJS.Signals): void {
  if (!proc) return;
  try {
    process.kill(proc.beamPid, signal);
  } catch {
    // gone already
  }
}

/**
 * A throw-away Prosody on a free loopback port, for tests, the demo and benchmarks: own temp dir with its
 * config, data and a CA + server certificate; TLS required for clients; a MUC component for group rooms.
 */
import type { ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensureServerCerts, issueClientCertificate } from "../xmpp-server/certs.ts";
import type { XmppServer, XmppServerOptions } from "../xmpp-server/types.ts";
import { writeAccount } from "./accounts.ts";
import { renderProsodyConfig } from "./config.ts";
import { freePort, launchProsody, PortInUseError, stopProcess } from "./process.ts";
import { writeRoster } from "./rosters.ts";

export { PortInUseError, ProsodyNotInstalledError } from "./process.ts";

export type ProsodyOptions = XmppServerOptions;
export type ProsodyServer = XmppServer;

/** How many accounts registerMany hashes at once (PBKDF2 runs on libuv's thread pool). */
const REGISTER_CONCURRENCY = 8;

export async function startProsody(options: ProsodyOptions = {}): Promise<ProsodyServer> {
  const domain = options.domain ?? "fabric.test";
  const mucService = options.mucService ?? `groups.${domain}`;
  const dir = options.dir ? resolve(options.dir) : await mkdtemp(join(tmpdir(), "prosody-"));
  await mkdir(join(dir, "data"), { recursive: true });
  const certDir = join(dir, "certs");
  const certs = await ensureServerCerts(certDir, domain);
  const configFile = join(dir, "prosody.cfg.lua");

  let port = options.port ?? (await freePort());
  const directTlsPort = options.directTls ? await freePort() : undefined;
  let child: ChildProcess | undefined;

  const writeConfig = () =>
    writeFile(
      configFile,
      renderProsodyConfig({
        dir,
        port,
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

  const start = async () => {
    if (child) return;
    child = await launchProsody({ dir, configFile, port, alsoPorts: directTlsPort ? [directTlsPort] : [] });
  };

  // A free port can be taken between freePort() and Prosody's bind: try another one (not for a fixed port).
  for (let attempt = 1; ; attempt++) {
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
    }
  }

  const kill = async () => {
    const c = child;
    child = undefined;
    if (c) await stopProcess(c);
  };
  let certQueue: Promise<unknown> = Promise.resolve();
  const dataDir = join(dir, "data");

  return {
    kind: "prosody",
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
    register: (user, password) => writeAccount(dataDir, domain, user, password),
    async registerMany(accounts) {
      let next = 0;
      const worker = async () => {
        while (next < accounts.length) {
          const a = accounts[next++]!;
          await writeAccount(dataDir, domain, a.user, a.password);
        }
      };
      await Promise.all(Array.from({ length: REGISTER_CONCURRENCY }, worker));
    },
    async presetRosters(owner, contacts) {
      const at = (user: string) => `${user}@${domain}`;
      await writeRoster(dataDir, domain, owner, contacts.map(at));
      for (const contact of contacts) await writeRoster(dataDir, domain, contact, [at(owner)]);
    },
    issueClientCert(user) {
      // openssl -CAcreateserial rewrites ca.srl: one at a time
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
    isRunning: () => child !== undefined,
    freeze: () => void child?.kill("SIGSTOP"),
    thaw: () => void child?.kill("SIGCONT"),
  };
}

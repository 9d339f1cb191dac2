/**
 * A throw-away Prosody on a free loopback port, for tests, the demo and benchmarks: own temp dir with its
 * config, data and a CA + server certificate; TLS required for clients; a MUC component for group rooms.
 */
import type { ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { writeAccount } from "./accounts.ts";
import { ensureServerCerts, issueClientCertificate } from "./certs.ts";
import { renderProsodyConfig } from "./config.ts";
import { freePort, launchProsody, PortInUseError, stopProcess } from "./process.ts";

export { PortInUseError, ProsodyNotInstalledError } from "./process.ts";

export interface ProsodyOptions {
  /** XMPP domain (VirtualHost); default "fabric.test". */
  domain?: string;
  /** MUC service; default "groups.<domain>". */
  mucService?: string;
  /** SASL EXTERNAL with client certificates (mod_auth_ccert) instead of passwords, for every account. */
  clientCerts?: boolean;
  /** c2s_stanza_size_limit in bytes; default 262144 (Prosody's default). */
  stanzaLimit?: number;
  /** For rooms of hundreds: broadcast only moderators' presence (joins O(N) instead of O(N²)). */
  mucPresenceBroadcastModeratorOnly?: boolean;
  /** Directory to use (created if missing; removed by stop()); default a fresh temp dir. */
  dir?: string;
  /** Port to listen on; default a free one. */
  port?: number;
  /** Also listen for direct TLS (`xmpps://`, XEP-0368) on a second free port. */
  directTls?: boolean;
  /** A server without TLS, only to test `tls: insecure-permit` (and that nothing else logs in there). */
  withoutTls?: boolean;
}

export interface ProsodyServer {
  host: "127.0.0.1";
  port: number;
  /** The direct-TLS port, when started with `directTls`. */
  directTlsPort?: number;
  domain: string;
  mucService: string;
  dir: string;
  /** The throw-away CA that signed the server certificate (and client certificates). */
  caFile: string;
  register(user: string, password: string): Promise<void>;
  registerMany(accounts: { user: string; password: string }[]): Promise<void>;
  /** A client certificate (id-on-xmppAddr user@domain, EKU clientAuth) signed by the CA: file paths. */
  issueClientCert(user: string): Promise<{ cert: string; key: string }>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
  /** Stops and starts again on the same port and dir, keeping accounts and certificates. */
  restart(): Promise<void>;
  /** Stops the server but keeps its directory (for tests of an outage); start() brings it back. */
  kill(): Promise<void>;
  start(): Promise<void>;
  isRunning(): boolean;
  /** SIGSTOP / SIGCONT: the server stops answering but keeps its sockets open (a link that went dark). */
  freeze(): void;
  thaw(): void;
}

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
    host: "127.0.0.1",
    get port() {
      return port;
    },
    directTlsPort,
    domain,
    mucService,
    dir,
    caFile: certs.caCert,
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

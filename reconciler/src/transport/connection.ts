/**
 * One configured @xmpp/client 0.14 client: the settings that the lab measured as necessary
 * (shared/reference/xmpp-prosody.md), shared by the reconciler's session and the simulated switches.
 */
import { type Client, type ClientOptions, client, type JID } from "@xmpp/client";
import type { TlsMode } from "../fabric/types.ts";
import { ConnectFailedError, classifyConnectError, type TransportError } from "./errors.ts";
import { type Credentials, credentialsHandler, ExternalMechanism } from "./sasl.ts";
import { type TlsMaterial, trustForSocket } from "./tls-trust.ts";

export interface ConnectionOptions {
  host: string;
  port: number;
  domain: string;
  resource: string;
  tls: TlsMode;
  credentials: Credentials;
  /** Trust: CA certificates (PEM) and, for mutual TLS, our certificate and key (PEM). */
  tlsMaterial: TlsMaterial;
  /**
   * How long stop() waits for the server's </stream> (and open() for the server's stream header).
   * @xmpp/connection 0.14.0 detaches its parser when stop() times out while data still arrives, and the
   * process dies with "Cannot read properties of null (reading 'write')"; 2000 ms (the default) is too
   * short when the server is busy. The parser guard below closes the same hole.
   */
  timeoutMs?: number;
  onError?: (error: unknown) => void;
}

/** A socket of @xmpp/connection-tcp is a net.Socket; after STARTTLS it is a wrapper holding the TLSSocket. */
interface TcpLike {
  setNoDelay?: (on: boolean) => void;
  setKeepAlive?: (on: boolean, delayMs: number) => void;
}
type AnySocket = (TcpLike & { socket?: TcpLike }) | null;

export function createXmppClient(o: ConnectionOptions): Client {
  const service = `${o.tls === "direct-tls" ? "xmpps" : "xmpp"}://${o.host}:${o.port}`;
  const x = client({
    service,
    domain: o.domain,
    resource: o.resource,
    timeout: o.timeoutMs ?? 15_000,
    credentials: credentialsHandler(o.credentials, o.tls === "insecure-permit"),
  });
  // Our own reconnect (backoff with jitter) replaces the library's fixed 1 s retry, which also keeps a
  // failed first start() retrying forever.
  x.reconnect.stop();
  x.start = () => startHandled(x);
  if (o.credentials.kind === "external") x.saslFactory.use(ExternalMechanism);

  const guarded = x._onData;
  x._onData = function (this: Client, data: Buffer) {
    if (this.parser) guarded.call(this, data);
  };

  // Direct TLS: tls.connect gets the socket parameters, so add the trust there; the certificate must name
  // the XMPP domain (as with STARTTLS), not the address we dial.
  if (o.tls === "direct-tls") {
    const base = (x as unknown as { socketParameters(s: string): object }).socketParameters.bind(x);
    (x as unknown as { socketParameters(s: string): object }).socketParameters = (s: string) => ({
      ...base(s),
      ...o.tlsMaterial,
      servername: o.domain,
    });
  }

  x.on("connect", () => {
    const socket = x.socket as AnySocket;
    const raw = socket?.setNoDelay ? socket : socket?.socket;
    // Nagle + delayed ACK costs ~44 ms per round trip on loopback; the server-side setting alone does not help.
    raw?.setNoDelay?.(true);
    raw?.setKeepAlive?.(true, 15_000);
    if (o.tls !== "direct-tls" && socket) trustForSocket(socket, o.tlsMaterial);
  });
  x.on("disconnect", () => {
    // No stream resumption: a resumed stream would re-send requests that already failed as transport-lost.
    x.streamManagement.id = "";
    x.streamManagement.outbound_q = [];
  });
  // An 'error' event without a listener would throw; the library emits every failure here as well.
  x.on("error", (error: unknown) => o.onError?.(error));
  return x;
}

/**
 * @xmpp/connection 0.14's start(): connect, then wait for "online" while opening the stream. Its own
 * version creates the "online" promise before open() and drops it when open() throws (a TCP reset
 * after the stream header), so that promise rejects with nobody listening and the process dies of an
 * unhandled rejection. Same steps; the waiting promise is always observed.
 */
async function startHandled(x: Client): Promise<JID> {
  if (x.status !== "offline") throw new Error("Connection is not offline");
  const { service, domain, lang } = x.options as ClientOptions & { lang?: string };
  await x.connect(service);
  const online = new Promise<JID>((resolve, reject) => {
    const done = (error: unknown, id?: JID) => {
      x.off("online", onOnline);
      x.off("error", onError);
      if (error) reject(error);
      else resolve(id as JID);
    };
    const onOnline = (id: JID) => done(undefined, id);
    const onError = (error: unknown) => done(error);
    x.on("online", onOnline);
    x.on("error", onError);
  });
  online.catch(() => undefined);
  await x.open({ domain, lang });
  return online;
}

/** start() with a time limit and typed errors; on failure the client is stopped (no background retries). */
export async function startXmppClient(
  x: Client,
  where: string,
  caFile: string | undefined,
  timeoutMs = 20_000,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      x.start(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new ConnectFailedError(`${where}: no XMPP session after ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    const typed: TransportError = classifyConnectError(error, where, caFile);
    await stopXmppClient(x);
    throw typed;
  } finally {
    clearTimeout(timer);
  }
}

/** stop() that never throws and never waits longer than the client's own timeout plus a margin. */
export async function stopXmppClient(x: Client): Promise<void> {
  x.reconnect.stop();
  if (x.status === "offline") return;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise((r) => {
    timer = setTimeout(r, x.timeout + 1000);
  });
  // The deadline timer must not outlive a stop that finished: it would keep the process alive.
  await Promise.race([x.stop().catch(() => undefined), deadline]).finally(() => clearTimeout(timer));
}

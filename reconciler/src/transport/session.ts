/**
 * A long-lived XMPP session: connect once (typed errors), then stay connected. After every drop it reconnects
 * with backoff and jitter and reports each `online` (a new stream: rooms and presence must be re-sent; there
 * is no stream resumption across a server restart). Used by the reconciler and by each simulated switch.
 */
import { type Client, type Element, xml } from "@xmpp/client";
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from "./backoff.ts";
import { type ConnectionOptions, createXmppClient, startXmppClient, stopXmppClient } from "./connection.ts";
import { classifyConnectError } from "./errors.ts";

export interface SessionHandlers {
  onStanza(stanza: Element): void;
  /** Every time the session is online, the first time included. */
  onOnline(): void | Promise<void>;
  /** The stream dropped (not called for close()). */
  onLost(reason: string): void;
  onWarning?(message: string): void;
}

export interface SessionOptions extends ConnectionOptions {
  /** For messages: "reconciler", "leaf1". */
  label: string;
  caFile?: string;
  backoff?: BackoffOptions;
  connectTimeoutMs?: number;
  /**
   * Ping the server (XEP-0199) this often while online; no answer within the interval drops the
   * connection and reconnects. A link that dies without a FIN would otherwise look alive until TCP gives
   * up, minutes later, and every request would time out instead of failing as transport-lost. 0 = off.
   */
  pingIntervalMs?: number;
}

export class XmppSession {
  readonly client: Client;
  #closing = false;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;
  #reconnecting = false;
  #wasOnline = false;
  #connected = false;
  #pinger: NodeJS.Timeout | undefined;

  constructor(
    readonly options: SessionOptions,
    readonly handlers: SessionHandlers,
  ) {
    this.client = createXmppClient({ ...options, onError: (e) => this.#onError(e) });
    this.client.on("stanza", (s: Element) => handlers.onStanza(s));
    this.client.on("online", () => this.#onOnline());
    this.client.on("disconnect", () => this.#onDisconnect());
  }

  get isOnline(): boolean {
    return this.client.status === "online";
  }

  get isSecure(): boolean {
    return this.client.isSecure();
  }

  /** The first connection: throws a typed TransportError (connect-failed, tls-untrusted, auth-failed). */
  async start(): Promise<void> {
    this.#closing = false;
    await startXmppClient(
      this.client,
      this.options.label,
      this.options.caFile,
      this.options.connectTimeoutMs,
    );
  }

  async send(stanza: Element): Promise<void> {
    await this.client.send(stanza);
  }

  async sendMany(stanzas: Element[]): Promise<void> {
    if (stanzas.length === 1) await this.client.send(stanzas[0]!);
    else await this.client.sendMany(stanzas);
  }

  /** Drops the connection without closing the stream (tests: a switch that vanishes mid-session). */
  dropConnection(): void {
    const socket = this.client.socket as { destroy?: () => void; socket?: { destroy?: () => void } } | null;
    (socket?.socket ?? socket)?.destroy?.();
  }

  async close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#timer);
    clearInterval(this.#pinger);
    await stopXmppClient(this.client);
  }

  #onOnline(): void {
    this.#attempt = 0;
    this.#wasOnline = true;
    this.#connected = true;
    this.#startPinging();
    if (!this.client.isSecure()) {
      this.handlers.onWarning?.(
        `${this.options.label}: XMPP session WITHOUT TLS (tls: insecure-permit). Commands, replies and the ` +
          "password cross the network in clear text.",
      );
    }
    void Promise.resolve(this.handlers.onOnline()).catch((e: unknown) =>
      this.handlers.onWarning?.(`${this.options.label}: after going online: ${String(e)}`),
    );
  }

  #startPinging(): void {
    const every = this.options.pingIntervalMs ?? 30_000;
    clearInterval(this.#pinger);
    if (every <= 0) return;
    let inFlight = false;
    this.#pinger = setInterval(() => {
      if (inFlight || !this.isOnline) return;
      inFlight = true;
      const ping = xml(
        "iq",
        { type: "get", to: this.options.domain },
        xml("ping", { xmlns: "urn:xmpp:ping" }),
      );
      this.client.iqCaller
        .request(ping, every)
        .catch((error: unknown) => {
          // an error reply (e.g. ping not supported) still proves the link works; silence does not
          if ((error as { name?: string }).name === "TimeoutError") {
            this.handlers.onWarning?.(
              `${this.options.label}: no answer to a ping in ${every} ms; reconnecting`,
            );
            this.dropConnection();
          }
        })
        .finally(() => {
          inFlight = false;
        });
    }, every);
    this.#pinger.unref?.();
  }

  #onDisconnect(): void {
    clearInterval(this.#pinger);
    if (this.#closing || !this.#wasOnline) return;
    if (this.#connected) {
      this.#connected = false;
      this.handlers.onLost("connection to the XMPP server lost");
    }
    if (!this.#reconnecting) this.#schedule();
  }

  #onError(error: unknown): void {
    // Errors while reconnecting are expected (server still down); the attempt reports its own failure.
    if (this.#closing || this.#reconnecting || !this.#wasOnline) return;
    const e = error as { name?: string; condition?: string; message?: string };
    this.handlers.onWarning?.(
      `${this.options.label}: ${e.name ?? "error"} ${e.condition ?? e.message ?? ""}`.trim(),
    );
  }

  #schedule(): void {
    if (this.#closing || this.#timer) return;
    const delay = backoffDelay(this.#attempt++, this.options.backoff ?? DEFAULT_BACKOFF);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#reconnect();
    }, delay);
  }

  async #reconnect(): Promise<void> {
    if (this.#closing || this.client.status === "online") return;
    this.#reconnecting = true;
    const x = this.client;
    try {
      const online = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => done(new Error("no session within the time limit")), x.timeout);
        const done = (error?: unknown) => {
          clearTimeout(timer);
          x.off("online", onOnline);
          x.off("disconnect", onDisconnect);
          x.off("error", onError);
          if (error) reject(error);
          else resolve();
        };
        const onOnline = () => done();
        const onDisconnect = () => done(new Error("disconnected"));
        const onError = (e: unknown) => done(e);
        x.on("online", onOnline);
        x.on("disconnect", onDisconnect);
        x.on("error", onError);
      });
      online.catch(() => undefined);
      await x.reconnect.reconnect();
      await online;
    } catch (error) {
      const typed = classifyConnectError(error, this.options.label, this.options.caFile);
      if (typed.code !== "connect-failed") this.handlers.onWarning?.(`reconnect failed: ${typed.message}`);
      if (x.status !== "disconnect" && x.status !== "offline") await x.disconnect().catch(() => undefined);
      this.#reconnecting = false;
      this.#schedule();
      return;
    }
    this.#reconnecting = false;
  }
}

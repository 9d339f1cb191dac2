/**
 * A bare XMPP client stream, for looking at a server the way an attacker or a misconfigured client would:
 * what it offers before TLS, whether it takes a password in the clear, the certificate it presents, and
 * whether it lets a stranger register (RFC 6120 §4–§6, XEP-0077). The reconciler's own transport never
 * allows any of this, so the doctor speaks the protocol itself here.
 */
import net from "node:net";
import tls from "node:tls";
import type { Element } from "@xmpp/client";
import { Parser } from "@xmpp/xml";

const STREAM_NS = "http://etherx.jabber.org/streams";

export class StreamClosedError extends Error {
  constructor(detail: string) {
    super(`the server closed the stream: ${detail}`);
    this.name = "StreamClosedError";
  }
}

export class RawStream {
  #socket: net.Socket;
  #parser!: Parser;
  #queue: Element[] = [];
  #waiters: { match: (e: Element) => boolean; resolve: (e: Element) => void; reject: (e: Error) => void }[] =
    [];
  #closed: Error | undefined;

  private constructor(
    socket: net.Socket,
    readonly domain: string,
    readonly timeoutMs: number,
  ) {
    this.#socket = socket;
    this.#listen(socket);
  }

  static connect(host: string, port: number, domain: string, timeoutMs = 5000): Promise<RawStream> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no TCP connection to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve(new RawStream(socket, domain, timeoutMs));
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  #listen(socket: net.Socket): void {
    this.#parser = new Parser();
    this.#parser.on("element", (element) => this.#push(element));
    this.#parser.on("end", () => this.#fail(new StreamClosedError("</stream:stream>")));
    this.#parser.on("error", (error) => this.#fail(error));
    socket.setEncoding("utf8");
    socket.on("data", (data: string) => this.#parser.write(data));
    socket.once("close", () => this.#fail(new StreamClosedError("connection closed")));
    socket.on("error", (error) => this.#fail(error));
  }

  #push(element: Element): void {
    if (element.is("error", STREAM_NS)) {
      const condition = element.children.find((c) => typeof c !== "string") as Element | undefined;
      this.#fail(new StreamClosedError(`stream error ${condition?.name ?? "unknown"}`));
      return;
    }
    const i = this.#waiters.findIndex((w) => w.match(element));
    if (i >= 0) this.#waiters.splice(i, 1)[0]!.resolve(element);
    else this.#queue.push(element);
  }

  #fail(error: Error): void {
    if (this.#closed) return;
    this.#closed = error;
    for (const w of this.#waiters.splice(0)) w.reject(error);
  }

  /** Opens (or re-opens, after TLS) the stream and returns the features the server offers. */
  async open(): Promise<Element> {
    this.#write(
      `<?xml version='1.0'?><stream:stream to='${this.domain}' version='1.0' xmlns='jabber:client' xmlns:stream='${STREAM_NS}'>`,
    );
    return this.next((e) => e.is("features", STREAM_NS));
  }

  send(stanza: Element | string): void {
    this.#write(String(stanza));
  }

  #write(data: string): void {
    if (!this.#closed) this.#socket.write(data);
  }

  next(match: (e: Element) => boolean = () => true): Promise<Element> {
    const queued = this.#queue.findIndex(match);
    if (queued >= 0) return Promise.resolve(this.#queue.splice(queued, 1)[0]!);
    if (this.#closed) return Promise.reject(this.#closed);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (e: Element) => {
          clearTimeout(timer);
          resolve(e);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new Error(`no answer from the server within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /**
   * STARTTLS, accepting any certificate (the doctor judges it itself, with the pinned CA) and returning
   * the TLS socket for inspection; the stream is then re-opened by the caller.
   */
  async startTls(ca: string | undefined): Promise<tls.TLSSocket> {
    this.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    const answer = await this.next((e) => e.getNS() === "urn:ietf:params:xml:ns:xmpp-tls");
    if (!answer.is("proceed")) throw new Error(`STARTTLS refused (${answer.name})`);
    const plain = this.#socket;
    plain.removeAllListeners("data");
    plain.removeAllListeners("close");
    const secure = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const s = tls.connect({
        socket: plain,
        servername: this.domain,
        ...(ca ? { ca } : {}),
        rejectUnauthorized: false,
      });
      s.once("secureConnect", () => resolve(s));
      s.once("error", reject);
    });
    this.#socket = secure;
    this.#queue = [];
    this.#listen(secure);
    return secure;
  }

  close(): void {
    this.#closed ??= new StreamClosedError("closed by us");
    try {
      this.#socket.end("</stream:stream>");
    } catch {
      // gone already
    }
    this.#socket.destroy();
  }
}

/** SASL mechanism names offered in a features element. */
export function mechanismsOf(features: Element): string[] {
  return (
    features
      .getChild("mechanisms", "urn:ietf:params:xml:ns:xmpp-sasl")
      ?.getChildren("mechanism")
      .map((m) => m.text().trim().toUpperCase()) ?? []
  );
}

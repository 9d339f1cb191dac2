/**
 * A TCP proxy in front of the real XMPP server that resets connections on purpose: at accept, or
 * after it has forwarded the client's Nth chunk (the XMPP handshake is lock-step, so chunk N is one
 * step: stream header, STARTTLS, TLS records, SASL, bind …), or on demand (mid-request). It also
 * names what each client chunk was, from the bytes it can see (plain XML before STARTTLS, TLS
 * record types after), so a test can say which stage it cut.
 */
import { createServer, type Server, Socket } from "node:net";

export interface FaultProxy {
  host: string;
  port: number;
  /** Resets every client connection that arrives from now on after its `n`th chunk; undefined = never. */
  resetAfterClientChunk(n: number | undefined): void;
  /** Resets every open connection now (both sides, TCP RST to the client). */
  resetAll(): void;
  /** What the client sent on each connection, one label per chunk (see `label`). */
  readonly transcripts: string[][];
  close(): Promise<void>;
}

/** A label for one client chunk: what stage of the handshake it belongs to. */
export function label(chunk: Buffer): string {
  const text = chunk.toString("latin1");
  if (text.includes("<stream:stream")) return "stream-header";
  if (text.includes("<starttls")) return "starttls";
  if (chunk[0] === 0x16) return "tls-handshake";
  if (chunk[0] === 0x17) return "tls-data"; // encrypted: SASL, stream restart, bind, stanzas
  if (chunk[0] === 0x14 || chunk[0] === 0x15) return "tls-control";
  return "other";
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  let limit: number | undefined;
  const open = new Set<{ client: Socket; upstream: Socket }>();
  const transcripts: string[][] = [];
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    const pair = { client, upstream };
    open.add(pair);
    const transcript: string[] = [];
    transcripts.push(transcript);
    const cutAfter = limit;
    const reset = () => {
      open.delete(pair);
      client.resetAndDestroy();
      upstream.destroy();
    };
    client.on("error", () => undefined);
    upstream.on("error", () => reset());
    client.on("close", () => {
      open.delete(pair);
      upstream.destroy();
    });
    upstream.on("close", () => client.destroy());
    if (cutAfter === 0) return reset();
    upstream.connect(target.port, target.host);
    client.on("data", (chunk: Buffer) => {
      transcript.push(label(chunk));
      upstream.write(chunk);
      if (cutAfter !== undefined && transcript.length >= cutAfter) {
        // the server's answer to this step never reaches the client
        upstream.pause();
        setImmediate(reset);
      }
    });
    upstream.on("data", (chunk: Buffer) => client.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    host: "127.0.0.1",
    port: address.port,
    transcripts,
    resetAfterClientChunk(n) {
      limit = n;
    },
    resetAll() {
      for (const pair of [...open]) {
        open.delete(pair);
        pair.client.resetAndDestroy();
        pair.upstream.destroy();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of open) {
          pair.client.destroy();
          pair.upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

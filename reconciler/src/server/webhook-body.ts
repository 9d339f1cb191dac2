import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** GitHub caps webhook payloads at 25 MB (reference/github.md): nothing larger is read. */
export const GITHUB_MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;

export type BodyResult =
  | { ok: true; body: Buffer }
  | { ok: false; reason: "too-large" | "bad-signature" | "aborted" | "too-slow" };

/**
 * Reads a webhook body while computing its HMAC-SHA256 under every accepted secret, and stops reading
 * at `maxBytes` (a Content-Length over it is refused before a byte is read) or after `timeoutMs` (a
 * client that trickles its body would hold a reading slot; GitHub sends a whole delivery at once). The
 * body is handed on only when one signature matches (constant-time compare), so nothing
 * unauthenticated is parsed.
 */
export async function readSignedBody(
  req: IncomingMessage,
  signature: string,
  secrets: readonly string[],
  maxBytes: number,
  timeoutMs = 10_000,
): Promise<BodyResult> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, reason: "too-large" };
  const macs = secrets.map((secret) => createHmac("sha256", secret));
  const chunks: Buffer[] = [];
  let size = 0;
  let late = false;
  const timer = setTimeout(() => {
    late = true;
    req.destroy();
  }, timeoutMs);
  try {
    for await (const chunk of req) {
      const bytes = chunk as Buffer;
      size += bytes.length;
      if (size > maxBytes) return { ok: false, reason: "too-large" };
      for (const mac of macs) mac.update(bytes);
      chunks.push(bytes);
    }
  } catch {
    return { ok: false, reason: late ? "too-slow" : "aborted" };
  } finally {
    clearTimeout(timer);
  }
  if (late) return { ok: false, reason: "too-slow" };
  const given = /^sha256=([0-9a-f]{64})$/i.exec(signature.trim());
  if (!given) return { ok: false, reason: "bad-signature" };
  const expected = Buffer.from(given[1]!.toLowerCase(), "hex");
  const matches = macs.some((mac) => timingSafeEqual(mac.digest(), expected));
  return matches ? { ok: true, body: Buffer.concat(chunks, size) } : { ok: false, reason: "bad-signature" };
}

/**
 * Bounds how many unauthenticated bodies are read at once (each may hold up to the size limit in
 * memory until its signature is known). Others wait, unread, in a bounded line; past it they are
 * turned away, so a flood of large unsigned requests costs at most `reading × maxBytes`.
 */
export interface ReadGate {
  /** Resolves with a release function, or undefined when the line is full or the wait too long. */
  enter(): Promise<(() => void) | undefined>;
}

export function readGate(reading: number, waiting: number, maxWaitMs: number): ReadGate {
  let active = 0;
  const line: { admit: () => void; timer: NodeJS.Timeout }[] = [];
  const release = () => {
    const next = line.shift();
    if (next) {
      clearTimeout(next.timer);
      next.admit();
    } else active--;
  };
  return {
    enter() {
      if (active < reading) {
        active++;
        return Promise.resolve(once(release));
      }
      if (line.length >= waiting) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const entry = {
          admit: () => resolve(once(release)),
          timer: setTimeout(() => {
            line.splice(line.indexOf(entry), 1);
            resolve(undefined);
          }, maxWaitMs),
        };
        line.push(entry);
      });
    },
  };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
}

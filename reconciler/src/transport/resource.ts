/**
 * Each reconciler process logs in with its own XMPP resource. With one shared resource ("reconciler")
 * the server kicks the older session off when a second process logs in (RFC 6120 §7.7.2.2: resource
 * conflict), so a `plan` started during an `apply` made that apply lose its session and roll back.
 * Host and pid say in the server's logs which process a session is; the random part keeps two
 * containers with the same pid apart.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

export function processResource(prefix = "reconciler"): string {
  const host = hostname()
    .replace(/[^A-Za-z0-9.-]/g, "-")
    .slice(0, 40);
  return `${prefix}-${host}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

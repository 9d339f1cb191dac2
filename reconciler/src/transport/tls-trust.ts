/**
 * Per-connection TLS trust. @xmpp/starttls upgrades with `tls.connect({ socket, host: domain })` and has no
 * option for `ca`, `cert` or `key`, and process-wide trust (NODE_EXTRA_CA_CERTS, or turning verification off)
 * would trust the test CA for every TLS socket in the process. So `tls.connect` is wrapped once, and only
 * the sockets registered here (ours, keyed by the raw TCP socket being upgraded) get their material added.
 * Lab-verified: shared/reference/xmpp-prosody.md, "Mutual TLS + SASL EXTERNAL", step 3.
 */
import tls from "node:tls";

export interface TlsMaterial {
  /** CA certificates (PEM) the server certificate must chain to; when absent, Node's default CAs. */
  ca?: string[];
  /** Client certificate and key (PEM) for mutual TLS. */
  cert?: string;
  key?: string;
}

const materialBySocket = new WeakMap<object, TlsMaterial>();
const WRAPPED = Symbol.for("fabric-reconciler.tls-connect-wrapped");

function installWrapper(): void {
  const current = tls.connect as typeof tls.connect & { [WRAPPED]?: true };
  if (current[WRAPPED]) return;
  const original = current;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    const options = args[0] as { socket?: object } | undefined;
    const material =
      options && typeof options === "object" && options.socket && materialBySocket.get(options.socket);
    if (material) args[0] = { ...options, ...material };
    return (original as (...a: unknown[]) => tls.TLSSocket).apply(this, args);
  } as typeof tls.connect & { [WRAPPED]?: true };
  wrapped[WRAPPED] = true;
  tls.connect = wrapped;
}

/** Registers the TLS material for a TCP socket that is about to be upgraded with STARTTLS. */
export function trustForSocket(socket: object, material: TlsMaterial): void {
  installWrapper();
  materialBySocket.set(socket, material);
}

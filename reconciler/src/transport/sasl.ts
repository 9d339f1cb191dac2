/**
 * SASL for @xmpp/client 0.14: PLAIN inside TLS for passwords, EXTERNAL for client certificates.
 * - Not SCRAM-SHA-1: the library runs its PBKDF2 as 10 000 sequential WebCrypto calls, ~1.4 s of CPU per
 *   login (50 switches: 21.8 s). PLAIN is safe here because it is only ever sent on a TLS stream.
 * - The library has no EXTERNAL mechanism; this one sends the authzid, which must be non-empty: with an
 *   empty one the library sends an empty <auth/> and Prosody 0.12 crashes in util/sasl/external.lua.
 * Source: shared/reference/xmpp-prosody.md (PLAIN, SASL EXTERNAL).
 */
import type { Authenticate, Client, SaslMechanismClass } from "@xmpp/client";
import { AuthFailedError, TlsUntrustedError } from "./errors.ts";

class External {
  response(credentials: Record<string, unknown>): string {
    return String(credentials.authzid ?? "");
  }
  challenge(): this {
    return this;
  }
}
(External.prototype as unknown as { name: string; clientFirst: boolean }).name = "EXTERNAL";
(External.prototype as unknown as { name: string; clientFirst: boolean }).clientFirst = true;

export const ExternalMechanism = External as unknown as SaslMechanismClass;

export type Credentials =
  | { kind: "password"; username: string; password: string }
  | { kind: "external"; jid: string }; // bare JID the client certificate names

export function credentialsHandler(
  credentials: Credentials,
  allowPlaintext: boolean,
): (authenticate: Authenticate, mechanisms: string[], fast: unknown, entity: Client) => Promise<void> {
  return async (authenticate, mechanisms, _fast, entity) => {
    if (credentials.kind === "external") {
      if (!mechanisms.includes("EXTERNAL")) {
        throw new AuthFailedError(
          `the server does not offer SASL EXTERNAL (offers ${mechanisms.join(", ")}); ` +
            "enable client-certificate authentication (mod_auth_ccert) or use a password",
        );
      }
      await authenticate({ authzid: credentials.jid }, "EXTERNAL");
      return;
    }
    if (!entity.isSecure() && !allowPlaintext) {
      throw new TlsUntrustedError(
        "the server did not offer TLS, and the fabric requires it: refusing to send the password in clear " +
          "text (tls: insecure-permit allows it, for a lab only)",
      );
    }
    if (!mechanisms.includes("PLAIN")) {
      throw new AuthFailedError(`the server does not offer SASL PLAIN (offers ${mechanisms.join(", ")})`);
    }
    await authenticate({ username: credentials.username, password: credentials.password }, "PLAIN");
  };
}

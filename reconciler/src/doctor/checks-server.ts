/** Checks of the XMPP server and its certificate, seen from outside (pure: observations in, outcomes out). */

import { type DoctorCheck, fail, type Outcome, pass, unexamined, warn } from "./outcome.ts";
import { CERT_MIN_DAYS, SAFE_INSIDE_TLS, UNSAFE_MECHANISMS } from "./rules.ts";

export const SERVER_CHECKS: DoctorCheck[] = [
  {
    id: "server-reachable",
    area: "server",
    title: "the XMPP server answers",
    fix: "check xmpp.host / xmpp.port (RECONCILER_XMPP_HOST, _PORT) and that the server runs",
    evaluate: (o) =>
      o.server.error ? [fail(o.server.error)] : [pass("it opened an XMPP stream for the fabric's domain")],
  },
  {
    id: "no-auth-before-tls",
    area: "server",
    title: "no authentication before TLS",
    fix: "Prosody: c2s_require_encryption = true (and no allow_unencrypted_plain_auth); ejabberd: starttls_required: true on the c2s listener",
    evaluate(o) {
      const early = unexamined(o, "stream");
      if (early) return early;
      const b = o.server.beforeTls!;
      const out: Outcome[] = [];
      if (!b.starttlsOffered) out.push(fail("the server offers no STARTTLS at all"));
      else if (!b.starttlsRequired) out.push(warn("STARTTLS is offered but not marked required"));
      if (b.plainAttempt === "accepted") out.push(fail("it took a PLAIN login before TLS"));
      else if (b.plainAttempt === "refused-not-authorized")
        out.push(
          fail("it checked a PLAIN password sent before TLS (the password crossed the wire in clear)"),
        );
      else if (b.mechanisms.length > 0 && b.plainAttempt !== "refused-encryption-required")
        out.push(fail(`it offers SASL before TLS: ${b.mechanisms.join(", ")}`));
      if (out.length === 0) out.push(pass("no SASL mechanism before STARTTLS; PLAIN before TLS is refused"));
      return out;
    },
  },
  {
    id: "no-leaky-mechanism",
    area: "server",
    title: "no SASL mechanism that leaks the password",
    fix: 'offer SCRAM-SHA-1/-256 (and PLAIN only inside TLS): Prosody authentication = "internal_hashed"; ejabberd auth_password_format: scram; disable ANONYMOUS and DIGEST-MD5',
    evaluate(o) {
      const early = unexamined(o, "tls");
      if (early) return early;
      const offered = o.server.afterTls?.mechanisms ?? [];
      const bad = UNSAFE_MECHANISMS.filter((m) => offered.includes(m.name) && !SAFE_INSIDE_TLS.has(m.name));
      return bad.length > 0
        ? bad.map((m) => fail(`offers ${m.name}: ${m.why}`))
        : [pass(`inside TLS it offers ${offered.join(", ") || "no password mechanism"}`)];
    },
  },
  {
    id: "cert-pinned-ca",
    area: "certificate",
    title: "the certificate chains to the fabric's pinned CA",
    fix: "serve a certificate issued by the CA in xmpp.caFile (RECONCILER_XMPP_CA), with the intermediates",
    evaluate(o) {
      const c = o.server.certificate;
      if (!c) return unexamined(o, "tls") ?? [];
      if (!c.pinnedCa) return [warn("no CA is pinned (xmpp.caFile unset): any public CA would be trusted")];
      return c.chainsToPinnedCa
        ? [pass(`issued by ${c.issuer.replace(/\n/g, ", ")}`)]
        : [fail(`does not chain to the pinned CA (${c.chainError ?? "unknown reason"})`)];
    },
  },
  {
    id: "cert-names-domain",
    area: "certificate",
    title: "the certificate names the XMPP domain",
    fix: "put the domain in the certificate's subjectAltName (DNS name, or xmppAddr)",
    evaluate(o) {
      const c = o.server.certificate;
      if (!c) return unexamined(o, "tls") ?? [];
      return c.namesDomain
        ? [pass(`names ${o.expected.domain}`)]
        : [fail(`does not name ${o.expected.domain} (subject ${c.subject.replace(/\n/g, ", ")})`)];
    },
  },
  {
    id: "cert-validity",
    area: "certificate",
    title: `the certificate is valid for at least ${CERT_MIN_DAYS} more days`,
    fix: "renew the server certificate (and reload the server)",
    evaluate(o) {
      const c = o.server.certificate;
      if (!c) return unexamined(o, "tls") ?? [];
      if (c.daysLeft < 0) return [fail(`expired on ${c.validTo}`)];
      if (c.daysLeft < CERT_MIN_DAYS)
        return [fail(`expires on ${c.validTo}, in ${Math.floor(c.daysLeft)} days`)];
      return [pass(`valid until ${c.validTo}`)];
    },
  },
  {
    id: "cert-not-self-signed",
    area: "certificate",
    title: "the certificate is not self-signed",
    fix: "issue the server certificate from the fabric's CA instead of signing it with its own key",
    evaluate(o) {
      const c = o.server.certificate;
      if (!c) return unexamined(o, "tls") ?? [];
      return c.selfSigned ? [fail("it is signed by its own key")] : [pass("signed by a CA")];
    },
  },
  {
    id: "cert-not-sample",
    area: "certificate",
    title: "the certificate is not a sample or snake-oil one",
    fix: "replace the package's generated certificate with one from the fabric's CA",
    evaluate(o) {
      const c = o.server.certificate;
      if (!c) return unexamined(o, "tls") ?? [];
      return c.sample ? [fail(`it is the ${c.sample}`)] : [pass("not a known sample certificate")];
    },
  },
  {
    id: "registration-closed",
    area: "server",
    title: "in-band registration is closed",
    fix: 'Prosody: allow_registration = false (and no "register" module); ejabberd: no mod_register, access_rules register: deny: all',
    evaluate(o) {
      const early = unexamined(o, "tls");
      if (early) return early;
      const a = o.server.afterTls!;
      if (a.registration === "created") {
        const acct = a.createdAccount;
        const cleanup =
          acct && !acct.removed
            ? `; remove the account ${acct.user} by hand`
            : "; the doctor removed it again";
        return [fail(`a stranger could register the account ${acct?.user ?? "?"}${cleanup}`)];
      }
      if (a.registration === "no-answer") return [warn("the registration attempt got no answer")];
      return [
        pass(`registering a throw-away account was refused (${a.registration.slice("refused-".length)})`),
      ];
    },
  },
  {
    id: "reconciler-login",
    area: "server",
    title: "the reconciler logs in",
    fix: "check xmpp.reconcilerJid and its password (RECONCILER_XMPP_PASSWORD) or client certificate",
    evaluate(o) {
      const early = unexamined(o, "tls");
      if (early) return early;
      return o.loginError ? [fail(o.loginError)] : [pass("logged in over TLS with the fabric's settings")];
    },
  },
];

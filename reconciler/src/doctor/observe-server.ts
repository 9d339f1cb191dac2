/**
 * The server seen from outside, with no account: the stream before TLS (and a PLAIN attempt for a
 * made-up user), the certificate after STARTTLS, the mechanisms inside TLS, and a registration attempt
 * for a throw-away account (removed again when the server let it through).
 */
import { randomBytes, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { TLSSocket } from "node:tls";
import { xml } from "@xmpp/client";
import { createXmppClient, startXmppClient, stopXmppClient } from "../transport/index.ts";
import { mechanismsOf, RawStream } from "./raw-stream.ts";
import { SAMPLE_CERTIFICATE_FILES, SAMPLE_CERTIFICATES } from "./rules.ts";
import type { CertificateObservation, ServerObservation } from "./types.ts";

export interface ServerTarget {
  host: string;
  port: number;
  domain: string;
  /** PEM of the pinned CA, when the fabric has one. */
  ca?: string;
  timeoutMs?: number;
}

const SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const REGISTER = "jabber:iq:register";

export async function observeServer(t: ServerTarget): Promise<ServerObservation> {
  let stream: RawStream;
  try {
    stream = await RawStream.connect(t.host, t.port, t.domain, t.timeoutMs);
  } catch (error) {
    return { error: `cannot connect to ${t.host}:${t.port}: ${(error as Error).message}` };
  }
  const out: ServerObservation = {};
  try {
    const features = await stream.open();
    const starttls = features.getChild("starttls", "urn:ietf:params:xml:ns:xmpp-tls");
    const mechanisms = mechanismsOf(features);
    out.beforeTls = {
      starttlsOffered: starttls !== undefined,
      starttlsRequired: starttls?.getChild("required") !== undefined,
      mechanisms,
      plainAttempt: mechanisms.includes("PLAIN") ? await tryPlain(stream) : "not-offered",
    };
    if (out.beforeTls.plainAttempt !== "not-offered") {
      // a failed SASL attempt may end the stream: start over for STARTTLS
      stream.close();
      stream = await RawStream.connect(t.host, t.port, t.domain, t.timeoutMs);
      await stream.open();
    }
    if (!starttls) return out;
    const secure = await stream.startTls(t.ca);
    out.certificate = await judgeCertificate(secure, t);
    const inside = await stream.open();
    const registerOffered =
      inside.getChild("register", "http://jabber.org/features/iq-register") !== undefined;
    const registration = await tryRegistration(stream, t.domain);
    out.afterTls = { mechanisms: mechanismsOf(inside), registerOffered, ...registration };
    if (registration.createdAccount)
      registration.createdAccount.removed = await removeAccount(t, registration.createdAccount);
    return out;
  } catch (error) {
    out.error ??= out.beforeTls ? undefined : `no XMPP stream: ${(error as Error).message}`;
    return out;
  } finally {
    stream.close();
  }
}

/** PLAIN for a user that does not exist, with a random password: never anyone's real credentials. */
async function tryPlain(
  stream: RawStream,
): Promise<NonNullable<ServerObservation["beforeTls"]>["plainAttempt"]> {
  const user = `doctor-probe-${randomBytes(4).toString("hex")}`;
  const payload = Buffer.from(`\0${user}\0${randomBytes(12).toString("hex")}`).toString("base64");
  stream.send(xml("auth", { xmlns: SASL, mechanism: "PLAIN" }, payload));
  try {
    const answer = await stream.next((e) => e.getNS() === SASL);
    if (answer.is("success")) return "accepted";
    const condition = answer.children.find((c) => typeof c !== "string") as { name: string } | undefined;
    return `refused-${condition?.name ?? "unknown"}`;
  } catch (error) {
    // ejabberd closes the stream with a policy-violation error when TLS is required
    return /stream error|closed/.test((error as Error).message) ? "refused-encryption-required" : "no-answer";
  }
}

async function tryRegistration(
  stream: RawStream,
  domain: string,
): Promise<Pick<NonNullable<ServerObservation["afterTls"]>, "registration" | "createdAccount">> {
  const user = `doctor-probe-${randomBytes(4).toString("hex")}`;
  const password = randomBytes(16).toString("base64url");
  const id = `reg-${randomBytes(3).toString("hex")}`;
  stream.send(
    xml(
      "iq",
      { type: "set", id, to: domain },
      xml("query", { xmlns: REGISTER }, xml("username", {}, user), xml("password", {}, password)),
    ),
  );
  try {
    const answer = await stream.next((e) => e.is("iq") && e.attrs.id === id);
    if (answer.attrs.type === "result")
      return { registration: "created", createdAccount: { user: `${user}\0${password}`, removed: false } };
    const error = answer.getChild("error");
    const condition = error?.children.find((c) => typeof c !== "string") as { name: string } | undefined;
    return { registration: `refused-${condition?.name ?? "error"}` };
  } catch (error) {
    return /stream error|closed/.test((error as Error).message)
      ? { registration: "refused-stream-closed" }
      : { registration: "no-answer" };
  }
}

/** Logs in as the throw-away account and cancels it (XEP-0077 §3.2), so a failed check leaves nothing. */
async function removeAccount(t: ServerTarget, account: { user: string }): Promise<boolean> {
  const [user, password] = account.user.split("\0") as [string, string];
  account.user = `${user}@${t.domain}`;
  const client = createXmppClient({
    host: t.host,
    port: t.port,
    domain: t.domain,
    resource: "doctor",
    tls: "starttls",
    credentials: { kind: "password", username: user, password },
    tlsMaterial: t.ca ? { ca: [t.ca] } : {},
  });
  try {
    await startXmppClient(client, "doctor probe account", undefined, t.timeoutMs);
    await client.iqCaller.request(
      xml("iq", { type: "set" }, xml("query", { xmlns: REGISTER }, xml("remove"))),
    );
    return true;
  } catch {
    return false;
  } finally {
    await stopXmppClient(client).catch(() => undefined);
  }
}

async function judgeCertificate(socket: TLSSocket, t: ServerTarget): Promise<CertificateObservation> {
  const peer = socket.getPeerX509Certificate();
  if (!peer) throw new Error("the server presented no certificate");
  const selfSigned = peer.checkIssued(peer) && peer.verify(peer.publicKey);
  const samples = await sampleFingerprints();
  const names = `${peer.subject}\n${peer.issuer}`;
  const sample =
    samples.get(peer.fingerprint256) ?? SAMPLE_CERTIFICATES.find((s) => s.match.test(names))?.name;
  const daysLeft = (new Date(peer.validTo).getTime() - Date.now()) / 86_400_000;
  return {
    subject: peer.subject,
    issuer: peer.issuer,
    validTo: new Date(peer.validTo).toISOString(),
    daysLeft,
    fingerprint256: peer.fingerprint256,
    pinnedCa: t.ca !== undefined,
    chainsToPinnedCa: t.ca !== undefined && socket.authorized,
    ...(socket.authorized ? {} : { chainError: String(socket.authorizationError ?? "not authorized") }),
    // RFC 6125 matching of the DNS names (the domain is what an XMPP client verifies, RFC 6120 §13.7.2)
    namesDomain: peer.checkHost(t.domain) !== undefined,
    selfSigned,
    ...(sample ? { sample } : {}),
  };
}

async function sampleFingerprints(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of SAMPLE_CERTIFICATE_FILES) {
    const pem = await readFile(file, "utf8").catch(() => undefined);
    if (!pem) continue;
    try {
      out.set(new X509Certificate(pem).fingerprint256, `package sample certificate ${file}`);
    } catch {
      // not a certificate (a key only): nothing to compare
    }
  }
  return out;
}

/**
 * Transport failures as typed values with a stable `code`. Callers branch on the class or the code, never on
 * the message (the rollout decides retry vs stall from it: STYLE "the error type decides the retry").
 */

export type TransportErrorCode =
  | "timeout"
  | "offline"
  | "command-error"
  | "not-authorized"
  | "transport-lost"
  | "connect-failed"
  | "tls-untrusted"
  | "auth-failed"
  | "too-large"
  | "reply-too-large"
  | "session-conflict"
  | "room-anonymous"
  | "room-occupants-hidden";

export abstract class TransportError extends Error {
  abstract readonly code: TransportErrorCode;
  /** The switch (device name) the request went to, when there is one. */
  readonly device: string | undefined;

  constructor(message: string, device?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.device = device;
    this.name = new.target.name;
  }
}

/** No reply within the time limit. For a group: the member did not answer. */
export class TimeoutError extends TransportError {
  readonly code = "timeout";
  constructor(
    device: string,
    readonly timeoutMs: number,
    /** Replies that did arrive before the time ran out (e.g. error lines of a per-sender script). */
    readonly partialOutput = "",
  ) {
    super(`${device}: no reply within ${timeoutMs} ms`, device);
  }
}

/** The server says the switch is not connected (or its presence says unavailable). */
export class OfflineError extends TransportError {
  readonly code = "offline";
  constructor(device: string, detail = "") {
    super(`${device} is offline${detail ? ` (${detail})` : ""}`, device);
  }
}

/** The switch ran the command and printed an EOS error line (`% Invalid input …`). */
export class CommandError extends TransportError {
  readonly code: "command-error" | "not-authorized" = "command-error";
  constructor(
    device: string,
    /** The first `%` line, as the switch printed it. */
    readonly switchMessage: string,
    /** The whole reply, including the output of the lines that worked. */
    readonly output: string,
  ) {
    super(`${device}: ${switchMessage}`, device);
  }
}

/** The switch refused: we are not an authorized sender, or the session privilege is too low. */
export class NotAuthorizedError extends CommandError {
  override readonly code = "not-authorized";
}

/** The XMPP connection dropped (or was closed) while the request was in flight. */
export class TransportLostError extends TransportError {
  readonly code = "transport-lost";
  constructor(device: string | undefined, detail = "connection to the XMPP server lost") {
    super(device ? `${device}: ${detail}` : detail, device);
  }
}

/** Could not connect or the stream failed before we were online (refused, DNS, stream error). */
export class ConnectFailedError extends TransportError {
  readonly code = "connect-failed";
  constructor(message: string, cause?: unknown) {
    super(message, undefined, { cause });
  }
}

/** The server's certificate does not chain to the configured CA, or names another host. */
export class TlsUntrustedError extends TransportError {
  readonly code = "tls-untrusted";
  constructor(message: string, cause?: unknown) {
    super(message, undefined, { cause });
  }
}

/** SASL refused our credentials (wrong password, unknown user, client certificate not accepted). */
export class AuthFailedError extends TransportError {
  readonly code = "auth-failed";
  constructor(message: string, cause?: unknown) {
    super(message, undefined, { cause });
  }
}

/** A single script line is longer than one message may be (the server's stanza size limit). */
export class TooLargeError extends TransportError {
  readonly code = "too-large";
  constructor(device: string, detail: string) {
    super(`${device}: ${detail}`, device);
  }
}

/**
 * A switch's reply grew past the fabric's bound (xmpp.maxReplySize): the rest is dropped and the request
 * fails, so one switch (or something speaking as it) cannot exhaust the reconciler's memory or its time.
 */
export class ReplyTooLargeError extends TransportError {
  readonly code = "reply-too-large";
  constructor(
    device: string,
    readonly limitBytes: number,
  ) {
    super(
      `${device}: the reply is larger than ${limitBytes} bytes (xmpp.maxReplySize); the rest was dropped. ` +
        "Check what the switch sends, or raise xmpp.maxReplySize in fabric.yaml",
      device,
    );
  }
}

/**
 * Two clients are logged in as one switch: a second resource of its account is online, or a reply came
 * from a resource other than the one the request was bound to. Neither is taken as the switch's answer
 * (anyone holding the switch's password could otherwise forge its running config).
 */
export class SessionConflictError extends TransportError {
  readonly code = "session-conflict";
  constructor(
    device: string,
    /** The full JIDs seen for the switch's account (the bound one first). */
    readonly sessions: string[],
  ) {
    super(
      `${device}: more than one client is logged in as this switch (${sessions.join(", ")}); no reply is ` +
        "trusted until only one is. Find and stop the other client, or change the switch's XMPP password",
      device,
    );
  }
}

/**
 * A group room that does not show occupants' real JIDs: a reply there cannot be tied to a switch (a
 * nickname proves nothing), so the room is not used.
 */
export class RoomAnonymousError extends TransportError {
  readonly code = "room-anonymous";
  constructor(
    device: string | undefined,
    readonly room: string,
  ) {
    super(
      `${device ? `${device}: ` : ""}the room ${room} hides its occupants' real JIDs, so replies in it cannot ` +
        "be tied to switches; make it non-anonymous (XEP-0045 whois=anyone; Prosody: " +
        "muc_room_default_public_jids = true; ejabberd: anonymous: false)",
      device,
    );
  }
}

/**
 * A group room does not broadcast its participants' presence (only moderators'), and refused the
 * reconciler the list of its occupants: a reply there cannot be tied to a switch, so the request fails
 * at once instead of timing out member by member.
 */
export class RoomOccupantsHiddenError extends TransportError {
  readonly code = "room-occupants-hidden";
  constructor(
    device: string | undefined,
    readonly room: string,
    readonly reason: string,
  ) {
    super(
      `${device ? `${device}: ` : ""}the room ${room} does not show its participants' presence and refused ` +
        `the reconciler its occupant list (${reason}), so replies in it cannot be tied to switches; make ` +
        "the reconciler an owner or admin of the room (README: group rooms), or broadcast participants' " +
        "presence (Prosody: muc_room_default_presence_broadcast; ejabberd: presence_broadcast)",
      device,
    );
  }
}

/** Node/OpenSSL codes for a certificate we must not trust. */
const UNTRUSTED_TLS_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Maps what @xmpp/client rejects `start()` with to a typed error that says what to fix. */
export function classifyConnectError(error: unknown, where: string, caFile?: string): TransportError {
  if (error instanceof TransportError) return error;
  const e = error as { name?: string; code?: string; condition?: string; message?: string };
  const detail = e.message ?? String(error);
  if (e.name === "SASLError") {
    return new AuthFailedError(
      `${where}: the XMPP server refused the login (${e.condition ?? detail}); check the JID and password ` +
        "(or the client certificate)",
      error,
    );
  }
  if (e.code && UNTRUSTED_TLS_CODES.has(e.code)) {
    return new TlsUntrustedError(
      `${where}: the server's TLS certificate is not trusted (${e.code}: ${detail}); ` +
        (caFile ? `it does not chain to the CA in ${caFile}` : "set the fabric's xmpp CA file"),
      error,
    );
  }
  if (e.name === "StreamError") {
    return new ConnectFailedError(
      `${where}: the XMPP server closed the stream (${e.condition ?? detail})`,
      error,
    );
  }
  return new ConnectFailedError(`${where}: cannot connect to the XMPP server (${e.code ?? detail})`, error);
}

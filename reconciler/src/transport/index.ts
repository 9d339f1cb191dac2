/**
 * The XMPP transport (DESIGN §8): a session, request/reply correlation, group fan-out, TLS trust and SASL,
 * each in its own file. Other modules import from here only.
 */
export { type BackoffOptions, backoffDelay } from "./backoff.ts";
export { type ConnectionOptions, createXmppClient, startXmppClient, stopXmppClient } from "./connection.ts";
export { DEFAULT_MAX_REPLY_BYTES } from "./correlation.ts";
export { fabricDirectory } from "./directory.ts";
export {
  AuthFailedError,
  CommandError,
  ConnectFailedError,
  classifyConnectError,
  NotAuthorizedError,
  OfflineError,
  ReplyTooLargeError,
  RoomAnonymousError,
  RoomOccupantsHiddenError,
  SessionConflictError,
  TimeoutError,
  TlsUntrustedError,
  TooLargeError,
  TransportError,
  type TransportErrorCode,
  TransportLostError,
} from "./errors.ts";
export { type OpenFabricTransportOptions, openFabricTransport } from "./fabric-transport.ts";
export {
  DEFAULT_TERMINATOR,
  endsWithTerminator,
  hasOutput,
  isErrorLine,
  replyError,
  stripTerminator,
} from "./reply.ts";
export { processResource } from "./resource.ts";
export { DEFAULT_MAX_BODY_BYTES, normaliseScript, scriptMessages } from "./script.ts";
export { type SessionHandlers, type SessionOptions, XmppSession } from "./session.ts";
export {
  resolveTransportSettings,
  type SettingsError,
  type SettingsResult,
  type TransportFlags,
  type TransportSettings,
} from "./settings.ts";
export {
  connectTransport,
  type GroupReply,
  type GroupRequestOptions,
  type RequestOptions,
  type Transport,
  type TransportDirectory,
  type TransportHooks,
} from "./transport.ts";

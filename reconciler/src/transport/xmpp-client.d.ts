// Types for the parts of @xmpp/client 0.14 (ships no declarations) that the transport and simulator use.
declare module "@xmpp/client" {
  import type { EventEmitter } from "node:events";

  export interface Element {
    name: string;
    attrs: Record<string, string | undefined>;
    children: (Element | string)[];
    is(name: string, xmlns?: string): boolean;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    getNS(): string | undefined;
    text(): string;
    toString(): string;
  }

  export interface JID {
    local: string;
    domain: string;
    resource: string;
    bare(): JID;
    toString(): string;
  }

  export type Authenticate = (credentials: Record<string, unknown>, mechanism: string) => Promise<void>;

  export interface ClientOptions {
    service: string;
    domain: string;
    resource?: string;
    username?: string;
    password?: string;
    credentials?: (
      authenticate: Authenticate,
      mechanisms: string[],
      fast: unknown,
      entity: Client,
    ) => Promise<void>;
    timeout?: number;
  }

  export interface Reconnect extends EventEmitter {
    delay: number;
    start(): void;
    stop(): void;
    reconnect(): Promise<void>;
  }

  export interface SaslMechanismClass {
    new (): { response(credentials: Record<string, unknown>): string; challenge(data: string): unknown };
    prototype: { name: string; clientFirst: boolean };
  }

  export interface Client extends EventEmitter {
    status: string;
    jid: JID | null;
    socket: unknown;
    timeout: number;
    options: ClientOptions;
    reconnect: Reconnect;
    saslFactory: { use(mechanism: SaslMechanismClass): void };
    streamManagement: { id: string; outbound_q: unknown[] };
    iqCaller: { request(stanza: Element, timeoutMs?: number): Promise<Element> };
    start(): Promise<JID>;
    connect(service: string): Promise<void>;
    open(options: { domain: string; lang?: string }): Promise<void>;
    stop(): Promise<void>;
    disconnect(): Promise<void>;
    send(element: Element): Promise<void>;
    sendMany(elements: Element[]): Promise<void>;
    isSecure(): boolean;
    write(data: string): Promise<void>;
    _onData(data: Buffer): void;
    parser: unknown;
  }

  export function client(options: ClientOptions): Client;
  export function xml(
    name: string,
    attrs?: Record<string, string | undefined> | null,
    ...children: (Element | string | undefined | null)[]
  ): Element;
  export function jid(value: string): JID;
}

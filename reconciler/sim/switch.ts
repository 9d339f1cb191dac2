/**
 * One simulated EOS switch on XMPP: logs in as the user its own `management xmpp` block names, joins its
 * switch-group rooms, runs each command message from an authorized sender through the simulated CLI at its
 * session privilege, and answers with the output, if any: by chat to the sender, or in the room for a
 * groupchat command. Messages are handled one at a time, in arrival order.
 */
import { readFileSync } from "node:fs";
import { type Element, jid, xml } from "@xmpp/client";
import type { CliMode, TlsMode } from "../src/fabric/types.ts";
import { bareJidOf } from "../src/transport/bare-jid.ts";
import { XmppSession } from "../src/transport/index.ts";
import { CliSession, runningHeader, type SwitchEnv } from "./cli/interpreter.ts";
import { ConfigStore } from "./cli/store.ts";
import { DEFAULT_DRIFT, type Fault, parseFault } from "./faults.ts";
import { SwitchRooms } from "./switch-rooms.ts";
import { readXmppIdentity, type XmppIdentity } from "./xmpp-identity.ts";

export interface SimServer {
  host: string;
  port: number;
  domain: string;
  mucService: string;
  caFile: string;
  tls?: TlsMode;
}

export interface SimSwitchSpec {
  /** Device name (as in the fabric). */
  name: string;
  /** Initial running-config text (EOS format); its `management xmpp` block decides the XMPP identity. */
  runningConfig: string;
  /** XMPP password (PLAIN inside TLS). Not read from the config: EOS shows it only as `password 7 …`. */
  password?: string;
  /** Client certificate + key (PEM file paths) for SASL EXTERNAL instead of a password. */
  clientCert?: { cert: string; key: string };
  cliMode?: CliMode;
  /** XMPP resource it logs in with (default "eos"); a new one at the next start models a reloaded switch. */
  resource?: string;
  /** Echo the request's <thread> in replies (default true; off exercises the transport's in-order path). */
  echoThread?: boolean;
  /** Bare JIDs allowed to run commands (the reconciler and operators); default: the fleet's list. */
  authorizedJids?: string[];
  /**
   * Where the answer to a groupchat command goes: the room (default; every occupant receives every
   * member's reply, O(N²) stanzas per group command) or a chat to the sender. EOS's choice is not
   * documented (eos-xmpp.md §2.2); the transport accepts both.
   */
  groupReplies?: "room" | "sender";
  faults?: Fault[];
}

class DisconnectNow extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SimSwitch {
  readonly store: ConfigStore;
  /** Mutable so a test can model a switch that comes back (new resource) framing differently. */
  cliMode: CliMode;
  resource: string;
  echoThread: boolean;
  groupReplies: "room" | "sender";
  authorized: Set<string>;
  #faults: Fault[] = [];
  #session: XmppSession | undefined;
  #rooms: SwitchRooms | undefined;
  #identity: XmppIdentity;
  #cliBySender = new Map<string, CliSession>();
  #queue: Promise<void> = Promise.resolve();
  #ready: Promise<void> = Promise.resolve();
  #neighbors = new Map<string, number>(); // bare JID → last seen
  readonly #started = Date.now();

  constructor(
    readonly spec: SimSwitchSpec,
    readonly server: SimServer,
    authorizedJids: string[],
  ) {
    this.store = new ConfigStore(spec.runningConfig);
    this.cliMode = spec.cliMode ?? "multiline";
    this.resource = spec.resource ?? "eos";
    this.echoThread = spec.echoThread ?? true;
    this.groupReplies = spec.groupReplies ?? "room";
    this.authorized = new Set((spec.authorizedJids ?? authorizedJids).map((j) => j.toLowerCase()));
    this.#identity = readXmppIdentity(this.store.running, server.mucService);
    this.#faults = [...(spec.faults ?? [])];
    this.store.onChange(() => this.#onRunningChanged());
  }

  get name(): string {
    return this.spec.name;
  }

  get user(): string {
    return this.#identity.user ?? this.spec.name;
  }

  get jid(): string {
    return `${this.user}@${this.#identity.domain ?? this.server.domain}`;
  }

  get isOnline(): boolean {
    return this.#session?.isOnline ?? false;
  }

  get privilege(): number {
    return this.#identity.privilege;
  }

  runningConfig(): string {
    return this.store.renderRunning(runningHeader(this.#hostname()));
  }

  setRunningConfig(text: string): void {
    this.store.setRunningText(text);
  }

  /** Changes running-config out of band (drift): config lines applied as if typed in `configure`. */
  drift(lines: string[] = DEFAULT_DRIFT): void {
    // out of band = someone on the console, not a command over XMPP: no privilege limit, no faults
    const cli = new CliSession({
      ...this.#env(),
      privilege: () => 15,
      isRejected: undefined,
      isIgnored: undefined,
    });
    cli.runScript(["configure", ...lines, "end"].join("\n"));
  }

  rooms(): string[] {
    return this.#rooms?.joined() ?? [];
  }

  faults(): Fault[] {
    return [...this.#faults];
  }

  /** Replaces the switch's faults (offline and drift act at once). */
  async setFaults(faults: (Fault | string)[]): Promise<void> {
    const parsed = faults.map((f) => (typeof f === "string" ? parseFault(f) : f));
    const bad = parsed.find((f) => typeof f === "string");
    if (bad) throw new Error(String(bad));
    this.#faults = (parsed as Fault[]).filter((f) => f.kind !== "drift");
    for (const f of parsed as Fault[]) if (f.kind === "drift") this.drift(f.lines);
    const offline = this.#faults.some((f) => f.kind === "offline");
    if (offline && this.#session) await this.stop();
    if (!offline && !this.#session) await this.start();
  }

  async start(): Promise<void> {
    if (this.#session || this.#faults.some((f) => f.kind === "offline")) return;
    const s = this.server;
    const ca = [readFileSync(s.caFile, "utf8")];
    const cert = this.spec.clientCert;
    const session = new XmppSession(
      {
        label: this.name,
        host: s.host,
        port: s.port,
        domain: this.#identity.domain ?? s.domain,
        resource: this.resource,
        tls: s.tls ?? "starttls",
        caFile: s.caFile,
        credentials: cert
          ? { kind: "external", jid: this.jid }
          : { kind: "password", username: this.user, password: this.spec.password ?? "" },
        tlsMaterial: cert
          ? { ca, cert: readFileSync(cert.cert, "utf8"), key: readFileSync(cert.key, "utf8") }
          : { ca },
        backoff: { initialMs: 200, maxMs: 5000, factor: 2 },
        // A fleet of a thousand logs in 16 at a time through one server: on a busy machine a login waits
        // its turn for longer than a real switch's would.
        connectTimeoutMs: 90_000,
        timeoutMs: 30_000, // the stream header too
      },
      {
        onStanza: (st) => this.#onStanza(st),
        onOnline: () => this.#onOnline(),
        onLost: () => {
          this.#rooms?.reset();
          this.#cliBySender.clear();
        },
      },
    );
    this.#session = session;
    this.#rooms = new SwitchRooms(this.user, (st) => session.send(st));
    try {
      await session.start();
    } catch (error) {
      this.#session = undefined;
      throw error;
    }
    await this.#ready;
  }

  async stop(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    this.#rooms = undefined;
    this.#cliBySender.clear();
    await session?.close();
  }

  dispose(): void {
    this.store.dispose();
  }

  /** Runs on every `online` (a new stream): presence, subscriptions, rooms. start() waits for it. */
  #onOnline(): Promise<void> {
    this.#ready = (async () => {
      const session = this.#session;
      if (!session) return;
      this.#rooms?.reset();
      // Available presence: needed for messages to our bare JID, and tells subscribers we are up.
      await session.send(xml("presence"));
      for (const j of this.authorized) await session.send(xml("presence", { to: j, type: "subscribe" }));
      await this.#rooms?.sync(this.#identity.rooms);
    })();
    return this.#ready;
  }

  #onRunningChanged(): void {
    this.#identity = readXmppIdentity(this.store.running, this.server.mucService);
    void this.#rooms?.sync(this.#identity.rooms).catch(() => undefined);
  }

  #hostname(): string {
    return this.store.running.find((n) => n.text.startsWith("hostname "))?.text.slice(9) ?? this.name;
  }

  #env(): SwitchEnv {
    return {
      store: this.store,
      privilege: () => this.#identity.privilege,
      hostname: () => this.#hostname(),
      showVersion: () => this.#showVersion(),
      showXmpp: (what) => this.#showXmpp(what),
      isRejected: (line) => this.#faults.some((f) => f.kind === "reject" && line.trim().includes(f.pattern)),
      isIgnored: (line) => this.#faults.some((f) => f.kind === "ignore" && line.trim().includes(f.pattern)),
      beforeSessionLine: () => {
        const i = this.#faults.findIndex((f) => f.kind === "disconnect-in-session");
        if (i < 0) return;
        this.#faults.splice(i, 1); // once
        throw new DisconnectNow();
      },
    };
  }

  #onStanza(st: Element): void {
    const session = this.#session;
    if (!session) return;
    const from = st.attrs.from;
    if (!from) return;
    const bare = bareJidOf(from);
    if (st.is("presence")) {
      if (this.#rooms?.handlePresence(st)) return;
      const type = st.attrs.type;
      if (type === "subscribe") {
        const answer = this.authorized.has(bare) ? "subscribed" : "unsubscribed";
        void session.send(xml("presence", { to: bare, type: answer })).catch(() => undefined);
      } else if (type === undefined) this.#neighbors.set(bare, Date.now());
      else if (type === "unavailable") this.#neighbors.delete(bare);
      return;
    }
    if (!st.is("message") || st.attrs.type === "error") return;
    if (st.getChild("delay", "urn:xmpp:delay")) return; // room history, never a live command
    const body = st.getChildText("body");
    if (body === null) return;
    const thread = st.getChildText("thread") ?? undefined;
    if (st.attrs.type === "groupchat") {
      if (!this.#rooms?.has(bare)) return;
      const nick = jid(from).resource;
      if (nick === this.user) return; // our own reply, reflected
      // by the occupant's real JID when the room shows it, else by nickname = user part
      const real = this.#rooms.realJid(bare, nick);
      const sender = real ?? [...this.authorized].find((j) => j.split("@")[0] === nick.toLowerCase());
      if (!sender || !this.authorized.has(sender)) return; // another switch's answer, or a stranger: stay silent
      const reply =
        this.groupReplies === "sender" ? { to: sender, type: "chat" } : { to: bare, type: "groupchat" };
      this.#enqueue(body, `${bare}/${nick}`, reply, thread);
      return;
    }
    if (!this.authorized.has(bare)) {
      // An error reply to an error could ping-pong between two switches: do not answer "% …".
      if (!body.startsWith("%")) {
        const text = `% Authorization denied: ${bare} may not run commands on this switch`;
        void session
          .send(xml("message", { to: from, type: "chat" }, xml("body", {}, text)))
          .catch(() => undefined);
      }
      return;
    }
    this.#enqueue(body, bare, { to: from, type: "chat" }, thread);
  }

  #enqueue(
    body: string,
    sender: string,
    reply: { to: string; type: string },
    thread: string | undefined,
  ): void {
    this.#queue = this.#queue.then(() => this.#handle(body, sender, reply, thread)).catch(() => undefined);
  }

  async #handle(
    body: string,
    sender: string,
    reply: { to: string; type: string },
    thread?: string,
  ): Promise<void> {
    if (this.#faults.some((f) => f.kind === "hang" && body.includes(f.pattern))) return;
    const slow = this.#faults.find((f) => f.kind === "slow");
    if (slow) await sleep(slow.ms);
    let cli = this.#cliBySender.get(sender);
    if (!cli || this.cliMode === "multiline") {
      cli = new CliSession(this.#env());
      if (this.cliMode === "per-sender") this.#cliBySender.set(sender, cli);
    }
    let output: string;
    try {
      output = cli.runScript(body);
    } catch (error) {
      if (!(error instanceof DisconnectNow)) throw error;
      this.#session?.dropConnection();
      return;
    }
    if (output === "" || this.#faults.some((f) => f.kind === "drop-reply")) return;
    if (this.#faults.some((f) => f.kind === "garble-reply"))
      output = "interface Ethernet1\n   description spaces\ninterface Ethernet2\n\tdescription a tab";
    const slowReply = this.#faults.find((f) => f.kind === "slow-reply");
    if (slowReply) await sleep(slowReply.ms);
    const children = [
      xml("body", {}, output),
      this.echoThread && thread ? xml("thread", {}, thread) : undefined,
    ];
    await this.#session?.send(xml("message", reply, ...children));
  }

  #showVersion(): string {
    const minutes = Math.floor((Date.now() - this.#started) / 60_000);
    return [
      "Arista vEOS-lab",
      "Hardware version:",
      `Serial number: SIM-${this.name.toUpperCase()}`,
      "",
      "Software image version: 4.30.0F-sim",
      "Architecture: x86_64",
      `Uptime: 0 weeks, 0 days, ${Math.floor(minutes / 60)} hours and ${minutes % 60} minutes`,
    ].join("\n");
  }

  #showXmpp(what: "status" | "neighbors" | "switch-group"): string {
    const id = this.#identity;
    if (what === "status") {
      return [
        `XMPP Server: ${id.server ?? ""} port ${id.port}`,
        `Client username: ${this.jid}`,
        `Default domain: ${id.domain ?? ""}`,
        `Default privilege level for received commands: ${id.privilege}`,
        `Connection status: ${this.isOnline ? "connected" : "unknown"}`,
      ].join("\n");
    }
    if (what === "switch-group") return this.rooms().join("\n");
    const rows = [...this.#neighbors].map(([j, seen]) => {
      const ago = Math.round((Date.now() - seen) / 1000);
      return `${j.padEnd(40)} ${"present".padEnd(10)} 0:00:${String(ago % 60).padStart(2, "0")} ago`;
    });
    return [
      `${"Neighbor".padEnd(40)} ${"State".padEnd(10)} Last Seen`,
      `${"-".repeat(40)} ${"-".repeat(10)} --------------`,
      ...rows,
    ].join("\n");
  }
}

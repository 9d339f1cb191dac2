/**
 * A simulated switch's configuration: running-config plus named config sessions (EOS §3.1-3.2).
 * A session starts as a snapshot of running; commit replaces running by the session copy (overwriting any
 * change made since, as EOS does); `commit timer` applies now and rolls back by itself unless confirmed
 * with `configure session NAME commit` in time; `abort` discards (or rolls back a pending commit).
 */
import { type ConfigNode, cloneTree, parseConfig, renderBody } from "./config-tree.ts";

export type SessionState = "pending" | "pendingCommitTimer";

export interface ConfigSession {
  name: string;
  config: ConfigNode[];
  state: SessionState;
  /** Running config before a timed commit, restored when the timer runs out. */
  rollback?: ConfigNode[];
  expiresAt?: number;
  timer?: NodeJS.Timeout;
}

/** EOS limits uncommitted sessions; ansible treats this text as an error (eos-xmpp.md §3.2). */
export const MAX_PENDING_SESSIONS = 5;
/** EOS's `show configuration sessions detail` header: "Maximum number of completed sessions: 1". */
export const MAX_COMPLETED_SESSIONS = 1;

export class ConfigStore {
  #running: ConfigNode[];
  readonly sessions = new Map<string, ConfigSession>();
  /** Names of the last committed sessions, newest last: EOS keeps and lists them as "completed". */
  readonly completed: string[] = [];
  readonly #listeners: (() => void)[] = [];
  /** running-config as `show running-config` prints it after its header, until running changes. */
  #renderedBody: string | undefined;

  /** startup-config: what `write memory` / `copy running-config startup-config` saved last (a reload boots it). */
  startup: ConfigNode[];

  constructor(runningText: string) {
    this.#running = parseConfig(runningText);
    this.startup = cloneTree(this.#running);
  }

  saveStartup(): void {
    this.startup = cloneTree(this.#running);
  }

  get running(): ConfigNode[] {
    return this.#running;
  }

  /** Called after every change of running-config (commit, rollback, direct edit, out-of-band change). */
  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  changed(): void {
    this.#renderedBody = undefined;
    for (const l of this.#listeners) l();
  }

  /**
   * `show running-config` under `header`. Rendered once per change of running (every change calls
   * `changed`): a fleet renders it for each observation and each session diff, on the bench's shared cores.
   */
  renderRunning(header: string[]): string {
    this.#renderedBody ??= [...renderBody(this.#running), "end", ""].join("\n");
    return `${header.join("\n")}\n${this.#renderedBody}`;
  }

  setRunningText(text: string): void {
    this.#running = parseConfig(text);
    this.changed();
  }

  /** Opens (or re-enters) a session. Returns an error line or the session. */
  openSession(name: string): ConfigSession | string {
    const existing = this.sessions.get(name);
    if (existing) {
      return existing.state === "pendingCommitTimer"
        ? `% Session ${name} has a pending commit timer: confirm it with 'configure session ${name} commit' or abort it`
        : existing;
    }
    const pending = [...this.sessions.values()].filter((s) => s.state === "pending").length;
    if (pending >= MAX_PENDING_SESSIONS) return "% Maximum number of pending sessions has been reached";
    const session: ConfigSession = { name, config: cloneTree(this.#running), state: "pending" };
    this.sessions.set(name, session);
    return session;
  }

  /** `commit` / `commit timer`: "" on success or an error line. */
  commit(name: string, timerMs?: number): string {
    const session = this.sessions.get(name);
    if (!session) return `% Error: no configuration session named ${name}`;
    if (session.state === "pendingCommitTimer") return this.confirm(name);
    if (timerMs !== undefined) {
      const other = [...this.sessions.values()].find((s) => s.state === "pendingCommitTimer");
      if (other) return `% Error: session ${other.name} already has a pending commit timer`;
      // running is replaced below, so its tree itself is what the rollback restores
      session.rollback = this.#running;
      session.state = "pendingCommitTimer";
      session.expiresAt = Date.now() + timerMs;
      session.timer = setTimeout(() => this.#expire(name), timerMs);
      session.timer.unref?.();
      this.#running = cloneTree(session.config);
      this.changed();
      return "";
    }
    this.sessions.delete(name);
    this.#completed(name);
    this.#running = session.config;
    this.changed();
    return "";
  }

  #completed(name: string): void {
    this.completed.push(name);
    this.completed.splice(0, Math.max(0, this.completed.length - MAX_COMPLETED_SESSIONS));
  }

  /** `configure session NAME commit` for a session with a pending commit timer: keep the change. */
  confirm(name: string): string {
    const session = this.sessions.get(name);
    if (!session) return `% Error: no configuration session named ${name}`;
    if (session.state !== "pendingCommitTimer") return this.commit(name);
    clearTimeout(session.timer);
    this.sessions.delete(name);
    this.#completed(name);
    return "";
  }

  abort(name: string): string {
    const session = this.sessions.get(name);
    if (!session) return `% Error: no configuration session named ${name}`;
    this.sessions.delete(name);
    if (session.state === "pendingCommitTimer" && session.rollback) {
      clearTimeout(session.timer);
      this.#running = session.rollback;
      this.changed();
    }
    return "";
  }

  #expire(name: string): void {
    const session = this.sessions.get(name);
    if (session?.state !== "pendingCommitTimer" || !session.rollback) return;
    this.sessions.delete(name);
    this.#running = session.rollback;
    this.changed();
  }

  /** Cancels timers (the switch is being thrown away). */
  dispose(): void {
    for (const s of this.sessions.values()) clearTimeout(s.timer);
  }
}

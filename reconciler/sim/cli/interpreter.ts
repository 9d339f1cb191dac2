/**
 * The simulated EOS CLI: one CliSession is one CLI session (EXEC, config, config session and their
 * sub-modes). `run(line)` returns what EOS would print ("" for a config line that worked). Written from
 * shared/reference/eos-xmpp.md alone; it must not import reconciler/src/eos.
 */
import { applyConfigLine, INCOMPLETE, invalidInput, type ModePath } from "./config-edit.ts";
import {
  COMMENT_COMMAND,
  type ConfigNode,
  MULTILINE_COMMAND,
  renderConfig,
  renderSection,
} from "./config-tree.ts";
import { sessionDiff } from "./diff.ts";
import type { ConfigStore } from "./store.ts";

export interface SwitchEnv {
  store: ConfigStore;
  /** Privilege level received commands run at (`session privilege`, default 1). */
  privilege(): number;
  hostname(): string;
  showVersion(): string;
  showXmpp(what: "status" | "neighbors" | "switch-group"): string;
  /** Fault injection: a config line the switch refuses. */
  isRejected?(line: string): boolean;
  /** Fault injection: a config line the switch accepts silently without applying it. */
  isIgnored?(line: string): boolean;
  /** Called before each config line is applied inside a config session (fault injection may throw). */
  beforeSessionLine?(): void;
}

type Mode = { kind: "exec" } | { kind: "config"; session?: string; path: ModePath };

const EMPTY_PATH: ModePath = { texts: [], kinds: [] };
const PRIVILEGED = "% Invalid input (privileged mode required)";

export const runningHeader = (hostname: string, command = "show running-config") => [
  `! Command: ${command}`,
  `! device: ${hostname} (vEOS-lab, EOS-4.30.0F-sim)`,
];

export function parseTimer(text: string | undefined): number | undefined {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(text ?? "");
  if (!m) return undefined;
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mi < 60 && s < 60 ? ((h * 60 + mi) * 60 + s) * 1000 : undefined;
}

export class CliSession {
  #mode: Mode = { kind: "exec" };
  #autoNames = 0;
  /** While a multi-line value (`banner login`) is being typed: its command and lines so far. */
  #collecting: { command: string; lines: string[]; path: string[] } | undefined;

  constructor(readonly env: SwitchEnv) {}

  get mode(): Mode {
    return this.#mode;
  }

  /** Runs a whole message body line by line; the outputs joined (EOS replies "with the output, if any"). */
  runScript(body: string): string {
    const outputs: string[] = [];
    const lines = body.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const out = this.run(lines[i]!, lines[i + 1]);
      if (out !== "") outputs.push(out);
    }
    return outputs.join("\n");
  }

  /** `next`: the line that follows in the same script (its indentation tells an unknown sub-mode). */
  run(rawLine: string, next?: string): string {
    if (this.#collecting) return this.#collect(rawLine);
    const line = rawLine.trim();
    if (line === "" || line.startsWith("!")) return "";
    const [command, ...pipes] = line.split(/\s+\|\s+/);
    const tokens = command!.split(/\s+/);
    if (tokens[0] === "show" || (tokens[0] === "do" && tokens[1] === "show")) {
      return applyPipes(this.#show(tokens[0] === "do" ? tokens.slice(2) : tokens.slice(1)), pipes);
    }
    if (this.#mode.kind === "exec") return this.#exec(tokens);
    const opensBlock = next !== undefined && indentOf(next) > indentOf(rawLine) && next.trim() !== "";
    return this.#config(tokens, line, opensBlock);
  }

  #needsPrivilege(): string | undefined {
    return this.env.privilege() < 15 ? PRIVILEGED : undefined;
  }

  #exec(t: string[]): string {
    const [verb] = t;
    if (verb === "exit" || verb === "end" || verb === "disable") return "";
    if (verb === "enable") return this.#needsPrivilege() ?? "";
    if (verb === "configure") {
      const denied = this.#needsPrivilege();
      if (denied) return denied;
      if (t.length === 1 || (t.length === 2 && t[1] === "terminal")) {
        this.#mode = { kind: "config", path: EMPTY_PATH };
        return "";
      }
      if (t[1] !== "session") return invalidInput(1, t[1]!);
      const name = t[2] ?? `sess-${process.pid}-${++this.#autoNames}`;
      if (t.length <= 3) return this.#enterSession(name);
      const store = this.env.store;
      if (t[3] === "abort" && t.length === 4) return store.abort(name);
      if (t[3] === "commit" && t.length === 4) return store.commit(name);
      if (t[3] === "commit" && t[4] === "timer") {
        if (t.length < 6) return INCOMPLETE;
        const ms = parseTimer(t[5]);
        return ms === undefined ? invalidInput(5, t[5]!) : store.commit(name, ms);
      }
      return invalidInput(3, t[3]!);
    }
    if (
      (verb === "write" && (t[1] ?? "memory") === "memory") ||
      (verb === "copy" && t[1] === "running-config" && (t[2] ?? "startup-config") === "startup-config")
    ) {
      const denied = this.#needsPrivilege();
      if (denied) return denied;
      this.env.store.saveStartup();
      return "Copy completed successfully.";
    }
    return invalidInput(0, verb!);
  }

  #enterSession(name: string): string {
    const opened = this.env.store.openSession(name);
    if (typeof opened === "string") return opened;
    this.#mode = { kind: "config", session: name, path: EMPTY_PATH };
    return "";
  }

  #tree(): ConfigNode[] | undefined {
    const mode = this.#mode;
    if (mode.kind !== "config") return undefined;
    return mode.session ? this.env.store.sessions.get(mode.session)?.config : this.env.store.running;
  }

  #config(t: string[], line: string, opensBlock: boolean): string {
    const mode = this.#mode as Extract<Mode, { kind: "config" }>;
    const [verb] = t;
    if (verb === "end") {
      this.#mode = { kind: "exec" };
      return "";
    }
    if (verb === "exit") {
      if (mode.path.texts.length === 0) this.#mode = { kind: "exec" };
      else
        this.#mode = {
          ...mode,
          path: { texts: mode.path.texts.slice(0, -1), kinds: mode.path.kinds.slice(0, -1) },
        };
      return "";
    }
    if (mode.session && t.length <= 3 && (verb === "commit" || verb === "abort")) {
      if (verb === "abort" && t.length === 1) {
        this.#mode = { kind: "exec" };
        return this.env.store.abort(mode.session);
      }
      if (verb === "commit" && t.length === 1) {
        this.#mode = { kind: "exec" };
        return this.env.store.commit(mode.session);
      }
      if (verb === "commit" && t[1] === "timer") {
        const ms = parseTimer(t[2]);
        if (t.length < 3) return INCOMPLETE;
        if (ms === undefined) return invalidInput(2, t[2]!);
        this.#mode = { kind: "exec" };
        return this.env.store.commit(mode.session, ms);
      }
    }
    if (mode.session && verb === "rollback" && t[1] === "clean-config") {
      const session = this.env.store.sessions.get(mode.session);
      if (session) session.config = [];
      this.#mode = { ...mode, path: EMPTY_PATH };
      return "";
    }
    if (verb === "configure") {
      // `configure session NAME [commit|abort|commit timer T]` also works from config mode
      this.#mode = { kind: "exec" };
      return this.#exec(t);
    }
    if (this.env.isRejected?.(line)) return invalidInput(0, verb!);
    if (this.env.isIgnored?.(line)) return "";
    if (
      (mode.path.texts.length === 0 && MULTILINE_COMMAND.test(t.join(" "))) ||
      t.join(" ") === COMMENT_COMMAND
    ) {
      this.#collecting = { command: t.join(" "), lines: [], path: mode.path.texts };
      return "";
    }
    const tree = this.#tree();
    if (!tree) {
      this.#mode = { kind: "exec" };
      return `% Error: configuration session ${mode.session} no longer exists`;
    }
    if (mode.session) this.env.beforeSessionLine?.();
    const result = applyConfigLine(tree, mode.path, t.join(" "), opensBlock);
    if (!result.ok) return result.error;
    this.#mode = { ...mode, path: result.path };
    if (!mode.session) this.env.store.changed();
    return "";
  }

  /** A line of a multi-line value; `EOF` ends it and the value replaces the command's previous one. */
  #collect(rawLine: string): string {
    const collecting = this.#collecting!;
    const isComment = collecting.command === COMMENT_COMMAND;
    if (rawLine.trim() !== "EOF") {
      collecting.lines.push(isComment ? rawLine.trim() : rawLine.trimEnd());
      return "";
    }
    this.#collecting = undefined;
    let tree = this.#tree();
    if (!tree)
      return `% Error: configuration session ${(this.#mode as { session?: string }).session} no longer exists`;
    for (const text of collecting.path) tree = tree?.find((n) => n.text === text)?.children;
    if (!tree) return "% Internal error: mode path lost";
    const at = tree.findIndex((n) => n.text === collecting.command);
    const node: ConfigNode = { text: collecting.command, children: [], body: collecting.lines };
    if (at >= 0) tree[at] = node;
    else tree.push(node);
    if (this.#mode.kind === "config" && !this.#mode.session) this.env.store.changed();
    return "";
  }

  #show(t: string[]): string {
    const store = this.env.store;
    const what = t.join(" ");
    if (what === "version") return this.env.showVersion();
    if (what === "hostname") return `Hostname: ${this.env.hostname()}\nFQDN:     ${this.env.hostname()}`;
    if (what === "clock") return new Date().toString();
    if (what === "privilege") return `Current privilege level is ${this.env.privilege()}`;
    if (
      t[0] === "xmpp" &&
      (t[1] === "status" || t[1] === "neighbors" || t[1] === "switch-group") &&
      t.length === 2
    ) {
      return this.env.showXmpp(t[1]);
    }
    if (t[0] !== "running-config" && t[0] !== "session-config" && t[0] !== "configuration") {
      return invalidInput(1, t[0] ?? "");
    }
    const denied = this.#needsPrivilege();
    if (denied) return denied;
    if (t[0] === "running-config") {
      if (t.length === 1 || (t.length === 2 && t[1] === "all")) {
        return store.renderRunning(runningHeader(this.env.hostname())).trimEnd();
      }
      if (t[1] === "section")
        return t.length > 2 ? renderSection(store.running, t.slice(2).join(" ")) : INCOMPLETE;
      return invalidInput(2, t[1]!);
    }
    if (t[0] === "configuration") {
      if (t[1] !== "sessions") return invalidInput(2, t[1] ?? "");
      const rows = [
        ...store.completed.map((name) => `${name.padEnd(24)} completed`),
        ...[...store.sessions.values()].map((s) => `${s.name.padEnd(24)} ${s.state}`),
      ];
      return ["Name                     State", "------------------------ -----------------", ...rows].join(
        "\n",
      );
    }
    // session-config [named NAME] [diffs]
    const mode = this.#mode;
    let name = mode.kind === "config" ? mode.session : undefined;
    let rest = t.slice(1);
    if (rest[0] === "named") {
      name = rest[1];
      if (!name) return INCOMPLETE;
      rest = rest.slice(2);
    }
    if (!name) return "% Error: not in a configuration session (use: show session-config named NAME)";
    const session = store.sessions.get(name);
    if (!session) return `% Error: no configuration session named ${name}`;
    const host = this.env.hostname();
    if (rest.length === 0)
      return renderConfig(session.config, runningHeader(host, "show session-config")).trimEnd();
    if (rest.length === 1 && rest[0] === "diffs") {
      return sessionDiff(
        name,
        store.renderRunning(runningHeader(host)),
        renderConfig(session.config, runningHeader(host)),
      );
    }
    return invalidInput(t.length - rest.length, rest[0]!);
  }
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** `| include X`, `| exclude X`, `| begin X`, `| section X` on show output. */
function applyPipes(output: string, pipes: string[]): string {
  let lines = output.split("\n");
  for (const pipe of pipes) {
    const [filter, ...words] = pipe.trim().split(/\s+/);
    const pattern = new RegExp(words.join(" "));
    if (filter === "include" || filter === "inc" || filter === "i")
      lines = lines.filter((l) => pattern.test(l));
    else if (filter === "exclude" || filter === "exc") lines = lines.filter((l) => !pattern.test(l));
    else if (filter === "begin")
      lines = lines.slice(
        Math.max(
          0,
          lines.findIndex((l) => pattern.test(l)),
        ),
      );
    else if (filter === "section") lines = sectionLines(lines, pattern);
    else return invalidInput(0, filter ?? "");
  }
  return lines.join("\n");
}

function sectionLines(lines: string[], pattern: RegExp): string[] {
  const out: string[] = [];
  let keep = false;
  for (const line of lines) {
    if (!line.startsWith(" ")) keep = pattern.test(line) && line !== "!";
    if (keep) out.push(line);
  }
  return out;
}

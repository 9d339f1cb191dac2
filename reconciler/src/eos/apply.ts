/**
 * The predictor: what running-config will be after a script runs, by the same rules the remediation
 * uses. Copy-on-write: subtrees the script does not touch are shared with the running tree.
 *
 * Modes: in an indented script (what `remediate` produces) indentation says which mode a line is in
 * and `exit` closes a mode; in a script with no indentation at all, a line that opens a known mode
 * enters it, `exit` leaves it, and a mode header valid only further out leaves the inner modes first
 * (as EOS falls back to the parent mode).
 */
import {
  classifyLine,
  expandTemplate,
  type LineClass,
  modeOf,
  multilineTerminator,
  ROOT_MODE,
  sequencingOf,
  UNKNOWN_MODE,
} from "./classify.ts";
import { ApplyError } from "./errors.ts";
import type { ConfigNode, ConfigTree } from "./types.ts";
import { editVlanList } from "./value-forms.ts";

interface MutableNode {
  text: string;
  line: number;
  body?: readonly string[];
  children: ConfigNode[];
}

interface Frame {
  node: MutableNode;
  mode: string;
  indent: number;
  byKey?: Map<string, ConfigNode[]>;
  /** Position of each child; children are never spliced while the script runs (see `detach`). */
  positions?: Map<ConfigNode, number>;
}

const SEQUENCE_NUMBER = /^(?:seq )?(\d+) /;
const INDENTED = /^[ \t]+\S/;

/** Applies `commands` (as `remediate` writes them) to `running`. Throws `ApplyError` for a command EOS would refuse. */
export function applyCommands(running: ConfigTree, commands: readonly string[]): ConfigTree {
  const root: MutableNode = { text: "", line: 0, children: [...running.children] };
  const state = new Predictor(root);
  state.run(commands);
  state.compact();
  return { children: root.children, comments: running.comments };
}

class Predictor {
  private readonly owned = new Set<ConfigNode | MutableNode>();
  /** Removed children stay in their arrays until the end, so positions stay valid (no O(n) splices). */
  private readonly removed = new Set<ConfigNode>();
  private readonly withRemovals = new Set<MutableNode>();
  private readonly classes = new Map<ConfigNode, LineClass>();
  private readonly stack: Frame[];

  constructor(root: MutableNode) {
    this.stack = [{ node: root, mode: ROOT_MODE, indent: 0 }];
  }

  run(commands: readonly string[]): void {
    const isFlat = !commands.some((line) => INDENTED.test(line));
    let last: { node: MutableNode; frame: Frame } | undefined;
    for (let index = 0; index < commands.length; index++) {
      const raw = commands[index]!;
      let indent = 0;
      while (indent < raw.length && (raw[indent] === " " || raw[indent] === "\t")) indent++;
      let content = raw.slice(indent).trimEnd();
      if (content === "" || content.startsWith("!")) continue;
      if (/\s{2,}|\t/.test(content)) content = content.replace(/\s+/g, " ");
      if (content === "end") {
        this.stack.length = 1;
        last = undefined;
        continue;
      }
      if (isFlat) {
        if (last && last.frame === this.top && modeOf(last.frame.mode, last.node.text) !== UNKNOWN_MODE) {
          this.enter(last.node, indent);
        }
        if (content !== "exit") this.fallBack(content);
      } else if (indent > this.top.indent) {
        if (!last || last.frame !== this.top) {
          throw new ApplyError(
            "orphan-command",
            index,
            `"${content}" is indented but no mode line comes before it`,
          );
        }
        this.enter(last.node, indent);
      } else if (indent < this.top.indent) {
        while (this.stack.length > 1 && this.top.indent > indent) this.stack.pop();
        if (this.top.indent !== indent) {
          throw new ApplyError(
            "orphan-command",
            index,
            `"${content}" is indented ${indent}, matching no open mode`,
          );
        }
      }
      last = undefined;
      if (content === "exit") {
        if (this.stack.length === 1)
          throw new ApplyError("exit-at-top", index, "`exit` with no mode to leave");
        this.stack.pop();
        continue;
      }
      const frame = this.top;
      const node = this.applyLine(frame, content, index);
      if (!node) continue;
      const terminator = multilineTerminator(frame.mode, node.text);
      if (terminator) {
        const body: string[] = [];
        let end = index + 1;
        while (end < commands.length && commands[end]!.trim() !== terminator) body.push(commands[end++]!);
        if (end === commands.length) {
          throw new ApplyError(
            "unterminated-multiline",
            index,
            `"${node.text}" is not ended by "${terminator}"`,
          );
        }
        node.body = body;
        index = end;
      }
      last = { node, frame };
    }
  }

  /** Drops removed children from every array that had some. */
  compact(): void {
    for (const node of this.withRemovals)
      node.children = node.children.filter((child) => !this.removed.has(child));
  }

  private get top(): Frame {
    return this.stack[this.stack.length - 1]!;
  }

  private enter(node: MutableNode, indent: number): void {
    this.stack.push({ node, mode: this.classOf(this.top, node as ConfigNode).childMode, indent });
  }

  /** A mode header that only an outer mode knows leaves the inner modes (EOS tries parent modes). */
  private fallBack(content: string): void {
    if (this.stack.length === 1 || modeOf(this.top.mode, content) !== UNKNOWN_MODE) return;
    for (let depth = this.stack.length - 2; depth >= 0; depth--) {
      if (modeOf(this.stack[depth]!.mode, content) !== UNKNOWN_MODE) {
        this.stack.length = depth + 1;
        return;
      }
    }
  }

  private applyLine(frame: Frame, content: string, index: number): MutableNode | undefined {
    const sequencing = sequencingOf(frame.mode);
    if (sequencing?.unnumbered.test(content)) {
      let highest = 0;
      for (const child of frame.node.children) {
        if (this.removed.has(child)) continue;
        const m = SEQUENCE_NUMBER.exec(child.text);
        if (m) highest = Math.max(highest, Number(m[1]));
      }
      content = sequencing.number
        .replace("$seq", String(highest + sequencing.step))
        .replace("$line", content);
    }
    let cls = classifyLine(frame.mode, content);
    const edit = cls.rule?.listEdit;
    if (edit && cls.match) {
      const current = this.keyIndex(frame).get(edit.base)?.[0];
      // A trunk with no `allowed vlan` line allows every VLAN [reference §4.5].
      const list = current ? current.text.slice(edit.base.length + 1) : "all";
      const items = expandTemplate(edit.items, cls.match);
      cls = classifyLine(frame.mode, `${edit.base} ${editVlanList(list, edit.op, items)}`);
    }
    if (!cls.rule && (content.startsWith("no ") || content.startsWith("default "))) {
      this.remove(frame, content.slice(content.indexOf(" ") + 1));
      return undefined;
    }
    return this.set(frame, cls, index);
  }

  /** Enters a setting: replaces the line of the same key in place, or appends a new line. */
  private set(frame: Frame, cls: LineClass, index: number): MutableNode {
    const byKey = this.keyIndex(frame);
    const existing = byKey.get(cls.key);
    if (existing && existing.length > 0) {
      const first = existing[0]!;
      if (first.text !== cls.text && cls.rule?.replace === "remove-first") {
        throw new ApplyError(
          "duplicate-sequence",
          index,
          `"${cls.text}" would replace "${first.text}", which EOS refuses: remove the entry first`,
        );
      }
      for (const duplicate of existing.slice(1)) this.detach(frame, duplicate);
      const writable = this.writable(frame, first);
      writable.text = cls.text;
      this.classes.set(writable as ConfigNode, cls);
      byKey.set(cls.key, [writable as ConfigNode]);
      return writable;
    }
    const node: MutableNode = { text: cls.text, line: 0, children: [] };
    this.owned.add(node);
    this.classes.set(node as ConfigNode, cls);
    frame.positions?.set(node as ConfigNode, frame.node.children.length);
    frame.node.children.push(node as ConfigNode);
    byKey.set(cls.key, [node as ConfigNode]);
    return node;
  }

  /** `no X` / `default X`: the whole object X, else the setting keyed X, else the line X. */
  private remove(frame: Frame, target: string): void {
    const children = frame.node.children;
    const targetKey = classifyLine(frame.mode, target).key;
    const predicates: ((cls: LineClass) => boolean)[] = [
      (cls) => cls.group === target,
      (cls) => cls.key === target,
      (cls) => cls.text === target,
      (cls) => cls.key === targetKey,
    ];
    for (const matches of predicates) {
      const hits = children.filter(
        (child) => !this.removed.has(child) && matches(this.classOf(frame, child)),
      );
      if (hits.length === 0) continue;
      for (const hit of hits) {
        if (this.classOf(frame, hit).rule?.persistent) {
          const reset = this.writable(frame, hit);
          reset.children = [];
        } else {
          this.detach(frame, hit);
        }
      }
      frame.byKey = undefined;
      return;
    }
  }

  private classOf(frame: Frame, node: ConfigNode): LineClass {
    let cls = this.classes.get(node);
    if (!cls) {
      cls = classifyLine(frame.mode, node.text);
      this.classes.set(node, cls);
    }
    return cls;
  }

  private keyIndex(frame: Frame): Map<string, ConfigNode[]> {
    if (frame.byKey) return frame.byKey;
    const byKey = new Map<string, ConfigNode[]>();
    for (const child of frame.node.children) {
      if (this.removed.has(child)) continue;
      const key = this.classOf(frame, child).key;
      const list = byKey.get(key);
      if (list) list.push(child);
      else byKey.set(key, [child]);
    }
    frame.byKey = byKey;
    return byKey;
  }

  private detach(frame: Frame, node: ConfigNode): void {
    this.removed.add(node);
    this.withRemovals.add(frame.node);
  }

  private positionOf(frame: Frame, node: ConfigNode): number {
    if (frame.node.children.length <= 16) return frame.node.children.indexOf(node);
    if (!frame.positions) {
      const positions = new Map<ConfigNode, number>();
      const children = frame.node.children;
      for (let i = 0; i < children.length; i++) positions.set(children[i]!, i);
      frame.positions = positions;
    }
    return frame.positions.get(node) ?? -1;
  }

  /** The child as a node this predictor may change, copied from the running tree on first write. */
  private writable(frame: Frame, node: ConfigNode): MutableNode {
    if (this.owned.has(node)) return node as MutableNode;
    const copy: MutableNode = { text: node.text, line: node.line, children: [...node.children] };
    if (node.body) copy.body = node.body;
    this.owned.add(copy);
    const cls = this.classes.get(node);
    if (cls) this.classes.set(copy as ConfigNode, cls);
    const at = this.positionOf(frame, node);
    frame.node.children[at] = copy as ConfigNode;
    frame.positions?.set(copy as ConfigNode, at);
    return copy;
  }
}

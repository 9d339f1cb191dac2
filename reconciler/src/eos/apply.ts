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
import { quoteLine } from "./redact.ts";
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
  index?: LevelIndex;
  /** The highest sequence number among the children of a sequenced mode. */
  highestSequence?: number;
}

/**
 * One level's children by key, group and text, built in one pass the first time the level is edited,
 * so that each command of a script costs the same however many lines the level has.
 */
interface LevelIndex {
  /** Key → position of the child with that key (positions are stable: see `detach`). */
  byKey: Map<string, number | number[]>;
  /**
   * Group and text → positions, for `no X`; built on the level's first removal (most levels have
   * none), appended to, never pruned: stale entries are skipped.
   */
  byGroup?: Map<string, number[]>;
  byText?: Map<string, number[]>;
  /** The class of the child at each position. */
  classes: LineClass[];
}

const SEQUENCE_NUMBER = /^(?:seq )?(\d+) /;
const INDENTED = /^[ \t]+\S/;

/** True when some command (not a line of a multi-line value, which is verbatim) is indented. */
function hasIndentedCommand(commands: readonly string[]): boolean {
  let terminator: string | undefined;
  for (const line of commands) {
    if (terminator !== undefined) {
      if (line.trim() === terminator) terminator = undefined;
      continue;
    }
    if (INDENTED.test(line)) return true;
    terminator = multilineTerminator(ROOT_MODE, line);
  }
  return false;
}

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
  private readonly stack: Frame[];

  constructor(root: MutableNode) {
    this.stack = [{ node: root, mode: ROOT_MODE, indent: 0 }];
  }

  run(commands: readonly string[]): void {
    const isFlat = !hasIndentedCommand(commands);
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
            `${quoteLine(content)} is indented but no mode line comes before it`,
          );
        }
        this.enter(last.node, indent);
      } else if (indent < this.top.indent) {
        while (this.stack.length > 1 && this.top.indent > indent) this.stack.pop();
        if (this.top.indent !== indent) {
          throw new ApplyError(
            "orphan-command",
            index,
            `${quoteLine(content)} is indented ${indent}, matching no open mode`,
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
            `${quoteLine(node.text)} is not ended by "${terminator}"`,
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
    this.stack.push({ node, mode: classifyLine(this.top.mode, node.text).childMode, indent });
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
      content = sequencing.number
        .replace("$seq", String(this.highestSequence(frame) + sequencing.step))
        .replace("$line", content);
    }
    let cls = classifyLine(frame.mode, content);
    const edit = cls.rule?.listEdit;
    if (edit && cls.match) {
      const at = this.indexOf(frame).byKey.get(edit.key ?? edit.base);
      const position = at === undefined ? undefined : typeof at === "number" ? at : at[0]!;
      const current = position === undefined ? undefined : frame.node.children[position];
      // A trunk with no `allowed vlan` line allows every VLAN [reference §4.5].
      const list = current ? current.text.slice(edit.base.length + 1) : (edit.absent ?? "all");
      const items = expandTemplate(edit.items, cls.match);
      const edited = editVlanList(list, edit.op, items);
      if (edited === "none" && edit.dropsWhenEmpty) {
        if (position !== undefined) this.detach(frame, position);
        return undefined;
      }
      cls = classifyLine(frame.mode, `${edit.base} ${edited}`);
    }
    if (!cls.rule && (content.startsWith("no ") || content.startsWith("default "))) {
      // `no X` removes what X names; naming nothing, it is itself the shown negative state of X.
      // A mode header's `no` (`no interface Ethernet9`) only ever removes.
      const target = content.slice(content.indexOf(" ") + 1);
      const removed = this.remove(frame, target);
      if (removed || content.startsWith("default ") || modeOf(frame.mode, target) !== UNKNOWN_MODE)
        return undefined;
    }
    return this.set(frame, cls, index);
  }

  /** Enters a setting: replaces the line of the same key in place, or appends a new line. */
  private set(frame: Frame, cls: LineClass, index: number): MutableNode {
    const { byKey } = this.indexOf(frame);
    const children = frame.node.children;
    const found = byKey.get(cls.key);
    if (found !== undefined) {
      const first = typeof found === "number" ? found : found[0]!;
      const existing = children[first]!;
      if (existing.text !== cls.text && cls.rule?.replace === "remove-first") {
        throw new ApplyError(
          "duplicate-sequence",
          index,
          `${quoteLine(cls.text)} would replace ${quoteLine(existing.text)}, which EOS refuses: remove the entry first`,
        );
      }
      if (typeof found !== "number") {
        for (const duplicate of found.slice(1)) this.detach(frame, duplicate);
        byKey.set(cls.key, first);
      }
      const writable = this.writable(frame, first);
      writable.text = cls.text;
      this.indexed(frame, cls, first);
      return writable;
    }
    const node: MutableNode = { text: cls.text, line: 0, children: [] };
    this.owned.add(node);
    byKey.set(cls.key, children.length);
    this.indexed(frame, cls, children.length);
    children.push(node);
    return node;
  }

  /** Records a new or rewritten child in the indexes. */
  private indexed(frame: Frame, cls: LineClass, at: number): void {
    const index = frame.index!;
    index.classes[at] = cls;
    if (index.byText) append(index.byText, cls.text, at);
    if (index.byGroup && cls.group !== undefined) append(index.byGroup, cls.group, at);
    if (frame.highestSequence !== undefined) {
      const m = SEQUENCE_NUMBER.exec(cls.text);
      if (m) frame.highestSequence = Math.max(frame.highestSequence, Number(m[1]));
    }
  }

  private highestSequence(frame: Frame): number {
    if (frame.highestSequence === undefined) {
      let highest = 0;
      for (const child of frame.node.children) {
        if (this.removed.has(child)) continue;
        const m = SEQUENCE_NUMBER.exec(child.text);
        if (m) highest = Math.max(highest, Number(m[1]));
      }
      frame.highestSequence = highest;
    }
    return frame.highestSequence;
  }

  /**
   * `no X` / `default X`: the whole object X, else the setting keyed X, else the line X, else the
   * setting X's key names. Looked up in the level's index, so many removals stay linear.
   */
  private remove(frame: Frame, target: string): boolean {
    const index = this.indexOf(frame);
    if (!index.byGroup || !index.byText) {
      const byGroup = new Map<string, number[]>();
      const byText = new Map<string, number[]>();
      const children = frame.node.children;
      for (let at = 0; at < children.length; at++) {
        if (this.removed.has(children[at]!)) continue;
        const cls = index.classes[at]!;
        append(byText, cls.text, at);
        if (cls.group !== undefined) append(byGroup, cls.group, at);
      }
      index.byGroup = byGroup;
      index.byText = byText;
    }
    if (this.removeAll(frame, index.byGroup.get(target), (cls) => cls.group === target)) return true;
    if (this.removeAll(frame, index.byKey.get(target), (cls) => cls.key === target)) return true;
    if (this.removeAll(frame, index.byText.get(target), (cls) => cls.text === target)) return true;
    const targetKey = classifyLine(frame.mode, target).key;
    return (
      targetKey !== target &&
      this.removeAll(frame, index.byKey.get(targetKey), (cls) => cls.key === targetKey)
    );
  }

  /** Removes the live children at `positions` whose class `matches`; true when there was one. */
  private removeAll(
    frame: Frame,
    positions: readonly number[] | number | undefined,
    matches: (cls: LineClass) => boolean,
  ): boolean {
    if (positions === undefined) return false;
    if (typeof positions === "number") return this.removeAt(frame, positions, matches);
    // `detach` replaces the key index's arrays rather than changing them, so this one stays valid.
    let hit = false;
    for (const at of positions) if (this.removeAt(frame, at, matches)) hit = true;
    return hit;
  }

  private removeAt(frame: Frame, at: number, matches: (cls: LineClass) => boolean): boolean {
    const cls = frame.index!.classes[at]!;
    if (this.removed.has(frame.node.children[at]!) || !matches(cls)) return false;
    if (cls.rule?.persistent) this.writable(frame, at).children = [];
    else this.detach(frame, at);
    return true;
  }

  private indexOf(frame: Frame): LevelIndex {
    if (frame.index) return frame.index;
    const index: LevelIndex = { byKey: new Map(), classes: [] };
    const children = frame.node.children;
    for (let at = 0; at < children.length; at++) {
      const child = children[at]!;
      const cls = classifyLine(frame.mode, child.text);
      index.classes.push(cls);
      if (this.removed.has(child)) continue;
      const known = index.byKey.get(cls.key);
      if (known === undefined) index.byKey.set(cls.key, at);
      else if (typeof known === "number") index.byKey.set(cls.key, [known, at]);
      else known.push(at);
    }
    frame.index = index;
    return index;
  }

  /** Marks a child removed; it leaves its array in `compact`, so no position shifts meanwhile. */
  private detach(frame: Frame, at: number): void {
    const node = frame.node.children[at]!;
    this.removed.add(node);
    this.withRemovals.add(frame.node);
    const index = frame.index;
    if (!index) return;
    const key = index.classes[at]!.key;
    const known = index.byKey.get(key);
    if (known === at) index.byKey.delete(key);
    else if (Array.isArray(known)) {
      const rest = known.filter((position) => position !== at);
      if (rest.length === 0) index.byKey.delete(key);
      else index.byKey.set(key, rest.length === 1 ? rest[0]! : rest);
    }
  }

  /** The child at `at` as a node this predictor may change, copied from the running tree on first write. */
  private writable(frame: Frame, at: number): MutableNode {
    const node = frame.node.children[at]!;
    if (this.owned.has(node)) return node as MutableNode;
    const copy: MutableNode = { text: node.text, line: node.line, children: [...node.children] };
    if (node.body) copy.body = node.body;
    this.owned.add(copy);
    frame.node.children[at] = copy;
    return copy;
  }
}

function append(map: Map<string, number[]>, key: string, at: number): void {
  const list = map.get(key);
  if (list) list.push(at);
  else map.set(key, [at]);
}

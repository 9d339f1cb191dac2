/**
 * The EOS config tree and the results of the engine. Trees are immutable values: the predictor shares
 * untouched subtrees between the running tree and the predicted one.
 */

/** One line of config with the lines nested under it. */
export interface ConfigNode {
  /** The command without indentation, inner whitespace collapsed to one space. */
  readonly text: string;
  readonly children: readonly ConfigNode[];
  /** Lines of a multi-line value (a `banner` body), verbatim, without the terminating `EOF`. */
  readonly body?: readonly string[];
  /** 1-based line in the parsed text; 0 for a line the predictor created. */
  readonly line: number;
}

/** A `! …` comment (header or `!!` mode comment): kept aside, never compared nor reconciled. */
export interface ConfigComment {
  readonly line: number;
  readonly text: string;
}

export interface ConfigTree {
  readonly children: readonly ConfigNode[];
  readonly comments: readonly ConfigComment[];
}

/** The commands that make running equal intended in scope, and the tree the switch will have afterwards. */
export interface Remediation {
  /**
   * The linear script: one command per entry, indented 3 spaces per mode level for display, every
   * entered mode closed with an explicit `exit`. These exact lines are what is sent to the switch.
   */
  readonly commands: string[];
  /** `applyCommands(running, commands)`: already checked to equal intended in scope. */
  readonly predicted: ConfigTree;
  readonly hasChanges: boolean;
  /**
   * What the script stops on the switch while it runs, one sentence each (a routing instance replaced
   * by removing it first). Redacted; for the plan.
   */
  readonly disruptions: readonly string[];
}

export interface ScopeComparison {
  equal: boolean;
  /** The first line that differs, with its path and line number, when `equal` is false. */
  firstDifference?: string;
}

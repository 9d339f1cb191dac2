/**
 * Errors of the EOS engine. Each has a stable `code` that callers branch on (never on the message).
 * `ConfigParseError` is bad input the user can fix (it names the line); `ApplyError` and
 * `PredictionMismatchError` mean a plan must not be sent. Messages quote config lines with `quoteLine`
 * (redacted): they end up in terminals, logs and PR comments.
 */

export type ConfigParseErrorCode =
  | "binary"
  | "mixed-indentation"
  | "orphan-line"
  | "bad-indentation"
  | "unterminated-multiline";

export class ConfigParseError extends Error {
  override readonly name = "ConfigParseError";
  constructor(
    readonly code: ConfigParseErrorCode,
    /** 1-based line number in the text that was parsed. */
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export type ApplyErrorCode =
  | "orphan-command"
  | "exit-at-top"
  | "duplicate-sequence"
  | "unterminated-multiline";

/** A command the predictor (and therefore the switch) cannot accept. `index` is 0-based in the command list. */
export class ApplyError extends Error {
  override readonly name = "ApplyError";
  constructor(
    readonly code: ApplyErrorCode,
    readonly index: number,
    message: string,
  ) {
    super(`command ${index + 1}: ${message}`);
  }
}

/** The predicted result of a remediation differs from intended: an engine gap, never a silent plan. */
export class PredictionMismatchError extends Error {
  override readonly name = "PredictionMismatchError";
  readonly code = "prediction-mismatch";
  constructor(
    /** Already redacted (it comes from `compareInScope`). */
    readonly firstDifference: string,
    /** The script as it would be sent: not redacted. */
    readonly commands: readonly string[],
  ) {
    super(`the remediation would not produce the intended config: ${firstDifference}`);
  }
}

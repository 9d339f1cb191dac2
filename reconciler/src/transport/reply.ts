/**
 * Reading a switch's reply: EOS prints errors as lines that start with "% " (shared/reference/eos-xmpp.md
 * §2.3, §5.1). Which ones mean "not allowed" rather than "bad command" is data, not code.
 */
import { CommandError, NotAuthorizedError } from "./errors.ts";

/** A "% " line matching one of these is a refusal of the sender or its privilege, not a bad command. */
const NOT_AUTHORIZED: RegExp[] = [
  /privileged mode required/i,
  /^% Authorization denied/i,
  /^% Not authorized/i,
  /^% Permission denied/i,
];

/** "% " lines that are not errors. */
const NOT_ERRORS: RegExp[] = [/^% Warning\b/i, /^% Note\b/i];

export function isErrorLine(line: string): boolean {
  return line.startsWith("% ") && !NOT_ERRORS.some((re) => re.test(line));
}

/** The typed error for a reply that carries an EOS error line, or undefined when the reply is clean. */
export function replyError(device: string, text: string): CommandError | undefined {
  const line = text.split("\n").find(isErrorLine);
  if (line === undefined) return undefined;
  return NOT_AUTHORIZED.some((re) => re.test(line))
    ? new NotAuthorizedError(device, line, text)
    : new CommandError(device, line, text);
}

/**
 * The terminator: EOS replies only when a command prints, and even a show command may print nothing
 * (`show session-config … diffs` with no change, `show running-config section X` with no match). So the
 * transport ends every script with a command that always prints, recognises its output as the end of
 * the reply, and removes it: the caller gets exactly what its own lines printed.
 * `show hostname` runs at privilege 1 and in every mode, and prints "Hostname: X" / "FQDN: X".
 */
export const DEFAULT_TERMINATOR = "show hostname";
const TERMINATOR_OUTPUT = /(?:^|\n)Hostname: [^\n]*\nFQDN:[^\n]*$/;

export function endsWithTerminator(text: string): boolean {
  return TERMINATOR_OUTPUT.test(text);
}

export function stripTerminator(text: string): string {
  return text.replace(TERMINATOR_OUTPUT, "");
}

/** True when a reply has a line that is not an error: the output of a command that printed. */
export function hasOutput(text: string): boolean {
  return text.split("\n").some((line) => line.trim() !== "" && !isErrorLine(line));
}

/** CLI exit codes (DESIGN §10). Documented in the README; never reuse a number for another meaning. */
export const ExitCode = {
  ok: 0,
  invalidInput: 1,
  planHasChanges: 2,
  driftFound: 3,
  applyFailed: 4,
  unreachable: 5,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

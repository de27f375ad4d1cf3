/** The exit codes of the command-line contract (docs/architecture.md). */
export const ExitCode = {
  Done: 0,
  SomeFailed: 1,
  Usage: 2,
  Aborted: 3,
  Locked: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

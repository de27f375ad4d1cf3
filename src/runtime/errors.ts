/** The run stopped before finishing: a service unreachable, a required input missing, a daily API budget spent. */
export class AbortError extends Error {
  override readonly name = "AbortError";
  readonly code = "EABORT";
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Another run of the same job (and institution) holds the lock. */
export class LockedError extends Error {
  override readonly name = "LockedError";
  readonly code = "ELOCKED";
  constructor(
    message: string,
    readonly holderPid: number,
    readonly lockFile: string,
  ) {
    super(message);
  }
}

/** The command line was used wrongly (a missing or contradictory option). */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly code = "EUSAGE";
}

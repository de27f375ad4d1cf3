/** A request export file that cannot be read as a whole (not well-formed XML, not an export): kept for reprocessing. */
export class RequestExportError extends Error {
  override readonly name = "RequestExportError";
  readonly code = "EREQUEST_EXPORT";

  constructor(
    readonly file: string,
    readonly reason: string,
    /** 1-based line and column of the fault, when the XML parser gave them. */
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line !== undefined ? ` at line ${line}, column ${column ?? 0}` : ""}: ${reason}`);
  }
}

/**
 * One request could not be carried to the SCF for a reason that will not go away by retrying (an item unknown to
 * the SCF, Alma refusing the request). `cancelSource` says whether the patron's request is cancelled because of it
 * (seed 001 §7.10) or left for staff (a patron the SCF cannot link, our own configuration missing).
 */
export class RequestFailure extends Error {
  override readonly name: string = "RequestFailure";
  readonly code = "EREQUEST_FAILED";
  readonly cancelSource: boolean;

  constructor(message: string, options: { cancelSource?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.cancelSource = options.cancelSource ?? true;
  }
}

/**
 * Something the SCF must hold before the request can be placed is missing (the user it is placed for): staff's to
 * set up, not the patron's fault. The patron's request is left alone and the file kept, so a later run places it.
 */
export class MissingSetup extends RequestFailure {
  override readonly name = "MissingSetup";

  constructor(message: string, cause?: unknown) {
    super(message, { cancelSource: false, cause });
  }
}

/**
 * The member's request has ended (cancelled, fulfilled) since it was exported: nothing is placed for it, and it is
 * not cancelled again.
 */
export class EndedSourceRequest extends RequestFailure {
  override readonly name = "EndedSourceRequest";

  constructor(message: string) {
    super(message, { cancelSource: false });
  }
}

/** Aleph's items endpoint could not be reached, or answered with an HTTP error, after every retry. */
export class AlephHttpError extends Error {
  override readonly name = "AlephHttpError";
  readonly code = "EALEPH_HTTP";
  constructor(
    message: string,
    /** The URL asked for (Aleph's items endpoint takes no secret). */
    readonly url: string,
    /** Aleph's HTTP status, when it answered. */
    readonly status: number | undefined,
    /** Aleph's body, when it answered. */
    readonly body: string | undefined,
    readonly attempts: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Aleph answered, but its body is not the items response the continuation protocol expects. */
export class AlephResponseError extends Error {
  override readonly name = "AlephResponseError";
  readonly code = "EALEPH_RESPONSE";
  constructor(
    message: string,
    /** Where the body was saved before it was read, when it was. */
    readonly savedAs?: string,
  ) {
    super(message);
  }
}

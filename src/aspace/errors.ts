/** What every ArchivesSpace failure carries: the request (never its password or session) and the status, if any. */
export interface AspaceErrorContext {
  method: string;
  /** The path and query of the request, without the base URL, the password or the session token. */
  path: string;
  /** The HTTP status, when ArchivesSpace answered at all. */
  status?: number;
  /** The first characters of the answer, to see what ArchivesSpace said. */
  body?: string;
  /** Node's error code for a failed connection (ECONNRESET, ETIMEDOUT…). */
  networkCode?: string;
  attempts?: number;
}

/** Any failure talking to ArchivesSpace. */
export class AspaceError extends Error {
  override readonly name: string = "AspaceError";
  readonly code: string = "EASPACE";
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly body: string | undefined;
  readonly networkCode: string | undefined;
  readonly attempts: number | undefined;

  constructor(message: string, context: AspaceErrorContext) {
    super(message);
    this.method = context.method;
    this.path = context.path;
    this.status = context.status;
    this.body = context.body;
    this.networkCode = context.networkCode;
    this.attempts = context.attempts;
  }
}

/** ArchivesSpace refused the login, or answered it without a session token. */
export class AspaceLoginError extends AspaceError {
  override readonly name = "AspaceLoginError";
  override readonly code = "EASPACE_LOGIN";
}

/** ArchivesSpace answered with an error status (after any retries and re-logins). */
export class AspaceHttpError extends AspaceError {
  override readonly name = "AspaceHttpError";
  override readonly code = "EASPACE_HTTP";
}

/** ArchivesSpace could not be reached, or did not answer in time (after the retries). */
export class AspaceNetworkError extends AspaceError {
  override readonly name = "AspaceNetworkError";
  override readonly code = "EASPACE_NETWORK";
}

/** ArchivesSpace answered 200 with something that is not what the endpoint returns. */
export class AspaceResponseError extends AspaceError {
  override readonly name = "AspaceResponseError";
  override readonly code = "EASPACE_RESPONSE";
}

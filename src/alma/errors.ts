import { AbortError } from "../runtime/errors.js";
import type { AlmaErrorEntry } from "./error-body.js";

/** Where a failed call went: never the API key (it travels in a header, never in the path). */
export interface AlmaCallContext {
  institution: string;
  method: string;
  /** Path and query, e.g. `/almaws/v1/items?item_barcode=123`. */
  path: string;
  /** How many times the call was retried before this outcome. */
  retries: number;
}

/** Alma answered a call with an error status (4xx or 5xx); `errorCode` and `errorMessage` are Alma's own. */
export class AlmaError extends Error {
  override readonly name = "AlmaError";
  readonly code = "EALMA";
  readonly institution: string;
  readonly method: string;
  readonly path: string;
  readonly retries: number;
  /** Alma's first error code (`401689`, `ROUTING_ERROR`, …), or "" when the body had none. */
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly trackingId: string | undefined;
  /** Every entry of the body's `errorList`. */
  readonly errors: readonly AlmaErrorEntry[];

  constructor(
    readonly status: number,
    context: AlmaCallContext,
    errors: readonly AlmaErrorEntry[],
    /** The body carried `errorsExist`/`errorList`. */
    readonly hasErrorList: boolean,
  ) {
    const first = errors[0];
    const detail = first ? `${first.errorCode} ${first.errorMessage}`.trim() : "no error details";
    const tracking = first?.trackingId ? ` (tracking id ${first.trackingId})` : "";
    super(
      `${context.institution}: Alma answered ${status} to ${context.method} ${context.path}: ${detail}${tracking}`,
    );
    this.institution = context.institution;
    this.method = context.method;
    this.path = context.path;
    this.retries = context.retries;
    this.errors = errors;
    this.errorCode = first?.errorCode ?? "";
    this.errorMessage = first?.errorMessage ?? "";
    this.trackingId = first?.trackingId;
  }

  /**
   * Alma says "no such thing": a 404, or a 400 with an `errorList` (how Alma answers a look-up of an unknown
   * item, bib, user or request). Only look-ups turn this into `undefined`; a write that gets it still fails.
   */
  get isNotFound(): boolean {
    return this.status === 404 || (this.status === 400 && this.hasErrorList);
  }
}

/** A call got no answer from Alma (connection refused or reset, time-out, DNS failure), even after retries. */
export class AlmaNetworkError extends Error {
  override readonly name = "AlmaNetworkError";
  readonly code = "EALMA_NETWORK";
  readonly institution: string;
  readonly method: string;
  readonly path: string;
  readonly retries: number;

  constructor(
    context: AlmaCallContext,
    /** The socket-level code: `ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`, … */
    readonly networkCode: string,
    detail: string,
  ) {
    const after = context.retries > 0 ? ` after ${context.retries} retries` : "";
    super(
      `${context.institution}: no answer from Alma to ${context.method} ${context.path}${after}: ${detail}`,
    );
    this.institution = context.institution;
    this.method = context.method;
    this.path = context.path;
    this.retries = context.retries;
  }
}

/**
 * A write (POST, PUT, DELETE) may or may not have reached Alma (time-out, reset, 5xx): it is not replayed
 * blindly. Look first (`writeOnce`), and write again only if the look-up shows nothing was written.
 */
export class AlmaWriteUncertainError extends Error {
  override readonly name = "AlmaWriteUncertainError";
  readonly code = "WRITE_UNCERTAIN";
  readonly institution: string;
  readonly method: string;
  readonly path: string;
  readonly retries: number;

  constructor(
    context: AlmaCallContext,
    /** What happened: the network error or Alma's 5xx answer. */
    override readonly cause: AlmaError | AlmaNetworkError,
  ) {
    super(
      `${context.institution}: ${context.method} ${context.path} may or may not have reached Alma ` +
        `(${cause instanceof AlmaError ? `HTTP ${cause.status}` : cause.networkCode}); look before writing again`,
    );
    this.institution = context.institution;
    this.method = context.method;
    this.path = context.path;
    this.retries = context.retries;
  }
}

/**
 * The institution's daily API budget is spent (429 `DAILY_THRESHOLD`): the run stops (exit 3) and no further
 * call is made to that institution today.
 */
export class AlmaDailyLimitError extends AbortError {
  readonly errorCode = "DAILY_THRESHOLD";

  constructor(readonly institution: string) {
    super(
      `Alma's daily API limit is reached for institution ${institution} (429 DAILY_THRESHOLD); ` +
        `the run stops; Alma accepts calls again the next day`,
    );
  }
}

/** Alma answered with success but the body could not be read (not the JSON that was asked for). */
export class AlmaBodyError extends Error {
  override readonly name = "AlmaBodyError";
  readonly code = "EALMA_BODY";
  readonly institution: string;
  readonly method: string;
  readonly path: string;

  constructor(
    context: AlmaCallContext,
    readonly status: number,
    detail: string,
  ) {
    super(
      `${context.institution}: unreadable answer ${status} to ${context.method} ${context.path}: ${detail}`,
    );
    this.institution = context.institution;
    this.method = context.method;
    this.path = context.path;
  }
}

/** Runs a look-up and gives `undefined` when Alma says the thing does not exist. */
export async function unlessNotFound<T>(lookup: Promise<T>): Promise<T | undefined> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof AlmaError && error.isNotFound) return undefined;
    throw error;
  }
}

/**
 * Alma cannot serve the rest of a run: it is unreachable, a key is refused (401/403: the configuration, not the
 * record), or it still answers 5xx after every retry. Every further call would fail the same way, each after
 * waiting out the retry budget again, so a job stops rather than fail record after record.
 */
export function almaCannotServe(error: unknown): boolean {
  if (error instanceof AlmaNetworkError) return true;
  return error instanceof AlmaError && (error.status === 401 || error.status === 403 || error.status >= 500);
}

import { almaCannotServe, AlmaError } from "../../alma/errors.js";
import { AbortError } from "../../runtime/errors.js";
import { RequestFailure } from "./errors.js";

/**
 * What an error means for the request it happened to:
 * - `refused`: a lasting answer about this request (a `RequestFailure`, Alma's 4xx): the source request is
 *   cancelled when the failure says so (seed 001 §7.10);
 * - `uncertain`: Alma or the job stumbled (a write whose outcome is unknown, a bug): the request is reported, the
 *   patron's request is left alone and the file is kept for another run;
 * - `stop`: Alma cannot be reached or kept answering 5xx through the whole retry budget (every request would wait
 *   that budget out in turn), an API key may not do what the job needs (401/403: every request would fail, and
 *   no patron's request must be cancelled for our configuration), the daily budget is spent, or the run was
 *   interrupted: the run stops.
 */
export type ErrorKind = "refused" | "uncertain" | "stop";

export function kindOf(error: unknown): ErrorKind {
  if (error instanceof RequestFailure) return "refused";
  if (error instanceof AbortError || almaCannotServe(error)) return "stop";
  if (isClientError(error)) return "refused";
  return "uncertain";
}

/** Alma's 4xx other than 429 (which the client retries or turns into a stop). */
function isClientError(error: unknown): error is AlmaError {
  return error instanceof AlmaError && error.status >= 400 && error.status < 500 && error.status !== 429;
}

/** Alma says the thing is not there (a look-up's 400 with an error list, or a 404). */
export function isNotFound(error: unknown): boolean {
  return error instanceof AlmaError && error.isNotFound;
}

/** Alma's "User with identifier X was not found" (`401861`, or `401890` for an identifier of a given type). */
export function isUnknownUser(error: unknown): error is AlmaError {
  return error instanceof AlmaError && ["401861", "401890"].includes(error.errorCode);
}

/** A library list Alma refuses (a key without the Configuration area, say) falls back to `default_library`. */
export function libraryListFallsBack(error: unknown): boolean {
  return isClientError(error);
}

import { AlmaError, AlmaNetworkError } from "../../alma/errors.js";
import { AbortError } from "../../runtime/errors.js";
import { RequestFailure } from "./errors.js";

/**
 * What an error means for the request it happened to:
 * - `refused`: a lasting answer about this request (a `RequestFailure`, Alma's 4xx): the source request is
 *   cancelled when the failure says so (seed 001 §7.10);
 * - `uncertain`: Alma or the job stumbled (5xx after retries, a write whose outcome is unknown, a bug): the
 *   request is reported, the patron's request is left alone and the file is kept for another run;
 * - `stop`: Alma cannot be reached or the daily budget is spent or the run was interrupted: the run stops.
 */
export type ErrorKind = "refused" | "uncertain" | "stop";

export function kindOf(error: unknown): ErrorKind {
  if (error instanceof RequestFailure) return "refused";
  if (error instanceof AbortError || error instanceof AlmaNetworkError) return "stop";
  if (error instanceof AlmaError && error.status >= 400 && error.status < 500 && error.status !== 429) {
    return "refused";
  }
  return "uncertain";
}

/** Alma says the thing is not there (a look-up's 400 with an error list, or a 404). */
export function isNotFound(error: unknown): boolean {
  return error instanceof AlmaError && error.isNotFound;
}

/** A failed library list (a key without the Configuration area, say) falls back to `default_library`. */
export function libraryListFallsBack(error: unknown): boolean {
  return kindOf(error) === "refused";
}

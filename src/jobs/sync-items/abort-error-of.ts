import { almaCannotServe } from "../../alma/errors.js";
import { AbortError } from "../../runtime/errors.js";

/**
 * The error as an AbortError when it must stop the run rather than fail one item (see almaCannotServe; the daily
 * API budget spent is an AbortError already). Otherwise undefined.
 */
export function abortErrorOf(error: unknown): AbortError | undefined {
  if (error instanceof AbortError) return error;
  return almaCannotServe(error) ? new AbortError((error as Error).message, { cause: error }) : undefined;
}

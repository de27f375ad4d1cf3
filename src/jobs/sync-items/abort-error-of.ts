import { AlmaError, AlmaNetworkError } from "../../alma/errors.js";
import { AbortError } from "../../runtime/errors.js";

/**
 * The error as an AbortError when it must stop the run rather than fail one item, because every item after it
 * would fail the same way: Alma cannot be reached, a key is refused (401/403: our configuration, not the item),
 * Alma still answers 5xx after every retry (each further item would wait out `alma.retry_max_total_ms` again),
 * or the daily API budget is spent. Otherwise undefined.
 */
export function abortErrorOf(error: unknown): AbortError | undefined {
  if (error instanceof AbortError) return error;
  const stops =
    error instanceof AlmaNetworkError ||
    (error instanceof AlmaError && (error.status === 401 || error.status === 403 || error.status >= 500));
  return stops ? new AbortError(error.message, { cause: error }) : undefined;
}

import { ConfigError } from "../../config/config-error.js";
import { AlmaError, AlmaNetworkError, AlmaWriteUncertainError } from "../../alma/errors.js";
import { AbortError } from "../../runtime/errors.js";

/** One event's record cannot be processed as it stands (an item missing, a library without a desk). */
export class RecordError extends Error {
  override readonly name = "RecordError";
  readonly code = "ERECORD";
  constructor(
    /** The step that found it: "find SCF item", "find home item", … */
    readonly step: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Whether an error means "try again later" (the run is aborted, exit 3, the webhook event retried) rather than
 * "this record fails" (exit 1, the event set aside): Alma unreachable, a 5xx or 429 after the client's retries,
 * a write whose outcome is unknown, the daily budget spent, a stop signal.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof RecordError || error instanceof ConfigError) return false;
  if (error instanceof AbortError || error instanceof AlmaNetworkError) return true;
  if (error instanceof AlmaWriteUncertainError) return true;
  if (error instanceof AlmaError) return error.status >= 500 || error.status === 429;
  return (error as Error | undefined)?.name === "AbortError";
}

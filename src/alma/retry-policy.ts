import type { AlmaErrorEntry } from "./error-body.js";

/** What to do after one attempt of a call. */
export type AttemptVerdict =
  /** Alma answered with success. */
  | { action: "done" }
  /** Try again after a wait (the call surely did not happen, or it is a read). */
  | { action: "retry" }
  /** A write may have happened: do not replay it, tell the caller to look first. */
  | { action: "uncertain" }
  /** The daily budget is spent: stop the run. */
  | { action: "daily-limit" }
  /** A final answer (4xx) or a failure that waiting will not cure. */
  | { action: "fail" };

export type AttemptOutcome =
  | { kind: "answer"; status: number; errors: readonly AlmaErrorEntry[] }
  | { kind: "network"; code: string; event?: string };

/** Network failures where the request surely never reached Alma: no connection was made. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);
/** Time-outs that fire before the connection exists. */
const NOT_SENT_TIMEOUT_EVENTS = new Set(["lookup", "connect", "secureConnect"]);
/** Network failures after the request may have been sent: worth another try for a read. */
const MAYBE_SENT_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "ECONNABORTED",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

/**
 * The retry rules (issue 3): 5xx, `ROUTING_ERROR`, resets, refusals and time-outs are retried; 429
 * `PER_SECOND_THRESHOLD` waits and retries; 429 `DAILY_THRESHOLD` stops; any other 4xx is final. A write is
 * replayed only when it surely did not reach Alma (refused connection, 429) or is marked replay-safe.
 */
export function judgeAttempt(outcome: AttemptOutcome, isWrite: boolean): AttemptVerdict {
  if (outcome.kind === "network") {
    const notSent =
      NOT_SENT_CODES.has(outcome.code) ||
      (outcome.code === "ETIMEDOUT" &&
        outcome.event !== undefined &&
        NOT_SENT_TIMEOUT_EVENTS.has(outcome.event));
    if (notSent) return { action: "retry" };
    if (!MAYBE_SENT_CODES.has(outcome.code)) return { action: "fail" };
    return isWrite ? { action: "uncertain" } : { action: "retry" };
  }
  const { status, errors } = outcome;
  if (status < 400) return { action: "done" };
  const codes = new Set(errors.map((error) => error.errorCode));
  if (status === 429) return codes.has("DAILY_THRESHOLD") ? { action: "daily-limit" } : { action: "retry" };
  if (status >= 500 || codes.has("ROUTING_ERROR"))
    return isWrite ? { action: "uncertain" } : { action: "retry" };
  return { action: "fail" };
}

/** How a client retries a call that failed in a way worth retrying (time-out, connection error, 5xx). */
export interface RetryPolicy {
  /** Calls made in all, the first included (1: no retry). */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Random source for the jitter (tests pass a fixed one). */
  random?: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, initialDelayMs: 1_000, maxDelayMs: 300_000 };

const RETRYABLE_CODES = new Set([
  "ETIMEDOUT",
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
]);

/** What went wrong with one call, in the words the error message uses. */
export interface CallFailure {
  retryable: boolean;
  status?: number;
  body?: string;
  /** `HTTP 503`, `timed out after 120000 ms`, `ECONNREFUSED`. */
  cause: string;
}

/** Classifies a got error: 5xx, 408, 429, time-outs and connection errors are worth another try. */
export function describeCallFailure(error: unknown, timeoutMs: number): CallFailure {
  const err = error as { name?: string; code?: string; response?: { statusCode: number; body: unknown } };
  if (err.name === "HTTPError" && err.response) {
    const status = err.response.statusCode;
    const body = typeof err.response.body === "string" ? err.response.body : undefined;
    return {
      retryable: status >= 500 || status === 408 || status === 429,
      status,
      body,
      cause: `HTTP ${status}`,
    };
  }
  if (err.name === "TimeoutError") return { retryable: true, cause: `timed out after ${timeoutMs} ms` };
  const code = err.code ?? "";
  if (RETRYABLE_CODES.has(code)) return { retryable: true, cause: code };
  return { retryable: false, cause: code || (error instanceof Error ? error.message : String(error)) };
}

import got from "got";
import { calculateRetryDelay, sleep } from "../runtime/backoff.js";
import type { Logger } from "../runtime/logger.js";
import { CaiasoftHttpError } from "./caiasoft-error.js";
import { DEFAULT_RETRY_POLICY, describeCallFailure, type RetryPolicy } from "../runtime/http-retry.js";

export interface CaiasoftClientOptions {
  /** `caiasoft.base_url`, e.g. `https://{site}.caiasoft.com/api`. */
  baseUrl: string;
  /** `caiasoft.api_key`: sent as `X-API-Key`, never logged. */
  apiKey: string;
  /** `caiasoft.timeout_ms`: one call, from the request to the end of the body. */
  timeoutMs: number;
  retry?: RetryPolicy;
  logger: Logger;
  /** Cuts a wait between retries short; a call under way is let finish (its answer is saved and recorded). */
  signal?: AbortSignal;
}

/** CaiaSoft's raw answer to one call: the caller saves the body before reading it. */
export interface CaiasoftAnswer {
  /** `POST /incomingitems/v1`. */
  call: string;
  status: number;
  body: string;
  attempts: number;
}

/**
 * Client of CaiaSoft's item endpoints: JSON POSTs with `X-API-Key`, a time-out, and retries with backoff on
 * 5xx, time-outs and connection errors. Resending a batch is safe: CaiaSoft keys incoming items and item
 * updates by barcode (docs/adr/0004-aleph-checkpoint.md).
 */
export class CaiasoftClient {
  readonly #options: CaiasoftClientOptions;

  constructor(options: CaiasoftClientOptions) {
    this.#options = options;
  }

  /** Posts a JSON body to an endpoint (`/incomingitems/v1`); throws CaiasoftHttpError when every attempt failed. */
  async post(endpoint: string, body: string): Promise<CaiasoftAnswer> {
    const { timeoutMs, logger, signal } = this.#options;
    const retry = this.#options.retry ?? DEFAULT_RETRY_POLICY;
    const call = `POST ${endpoint}`;
    const url = `${this.#options.baseUrl.replace(/\/+$/, "")}/${endpoint.replace(/^\/+/, "")}`;
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await got(url, {
          method: "POST",
          body,
          headers: {
            "content-type": "application/json",
            accept: "application/json",
            "x-api-key": this.#options.apiKey,
          },
          timeout: { request: timeoutMs },
          retry: { limit: 0 },
          responseType: "text",
        });
        return { call, status: response.statusCode, body: response.body, attempts: attempt };
      } catch (error) {
        const failure = describeCallFailure(error, timeoutMs);
        if (!failure.retryable || attempt >= retry.attempts) {
          const message = failure.retryable
            ? `CaiaSoft ${call} failed after ${attempt} attempts: ${failure.cause}`
            : `CaiaSoft ${call} answered ${failure.cause}`;
          // got's error is not attached as the cause: its options carry the X-API-Key header.
          throw new CaiasoftHttpError(message, call, failure.status, failure.body, attempt);
        }
        signal?.throwIfAborted();
        const delay = calculateRetryDelay(attempt, retry);
        logger.warn(`CaiaSoft ${call}: ${failure.cause}; retry ${attempt} in ${delay} ms`);
        await sleep(delay, signal);
      }
    }
  }
}

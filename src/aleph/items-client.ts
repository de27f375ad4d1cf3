import got from "got";
import { calculateRetryDelay, sleep } from "../runtime/backoff.js";
import type { Logger } from "../runtime/logger.js";
import { AlephHttpError } from "./aleph-error.js";
import { itemsQueryUrl, type ItemsQuery } from "./items-query.js";
import { DEFAULT_RETRY_POLICY, describeCallFailure, type RetryPolicy } from "../runtime/http-retry.js";

export interface AlephItemsClientOptions {
  /** `aleph.items_url`. */
  itemsUrl: string;
  /** `aleph.timeout_ms`: one call, from the request to the end of the body. */
  timeoutMs: number;
  retry?: RetryPolicy;
  logger: Logger;
  /** Cuts a wait between retries short; a call under way is let finish (its answer is saved and recorded). */
  signal?: AbortSignal;
}

/** Aleph's raw answer to one query: the body is returned as text so the caller can save it before reading it. */
export interface AlephAnswer {
  url: string;
  status: number;
  body: string;
  attempts: number;
}

/** Client of Aleph's items endpoint: GET with a time-out, retried with backoff on 5xx, time-outs and connection errors. */
export class AlephItemsClient {
  readonly #options: AlephItemsClientOptions;

  constructor(options: AlephItemsClientOptions) {
    this.#options = options;
  }

  /** Asks for one page; throws AlephHttpError once every attempt failed or Aleph answered with a 4xx. */
  async fetchItems(query: ItemsQuery): Promise<AlephAnswer> {
    const { timeoutMs, logger, signal } = this.#options;
    const retry = this.#options.retry ?? DEFAULT_RETRY_POLICY;
    const url = itemsQueryUrl(this.#options.itemsUrl, query);
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await got(url, {
          method: "GET",
          headers: { accept: "application/json" },
          timeout: { request: timeoutMs },
          retry: { limit: 0 },
          responseType: "text",
        });
        return { url, status: response.statusCode, body: response.body, attempts: attempt };
      } catch (error) {
        const failure = describeCallFailure(error, timeoutMs);
        if (!failure.retryable || attempt >= retry.attempts) {
          const message = failure.retryable
            ? `Aleph items endpoint ${url} failed after ${attempt} attempts: ${failure.cause}`
            : `Aleph items endpoint ${url} answered ${failure.cause}`;
          throw new AlephHttpError(message, url, failure.status, failure.body, attempt, { cause: error });
        }
        signal?.throwIfAborted();
        const delay = calculateRetryDelay(attempt, retry);
        logger.warn(`Aleph items endpoint ${url}: ${failure.cause}; retry ${attempt} in ${delay} ms`);
        await sleep(delay, signal);
      }
    }
  }
}

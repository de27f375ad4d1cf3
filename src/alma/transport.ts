import type { IncomingHttpHeaders } from "node:http";
import got, { RequestError, TimeoutError, type Got } from "got";
import type { Config } from "../config/config.js";
import { calculateRetryDelay, sleep } from "../runtime/backoff.js";
import type { Logger } from "../runtime/logger.js";
import type { ApiBudget } from "./api-budget.js";
import { parseErrorBody } from "./error-body.js";
import {
  AlmaBodyError,
  AlmaDailyLimitError,
  AlmaError,
  AlmaNetworkError,
  AlmaWriteUncertainError,
  type AlmaCallContext,
} from "./errors.js";
import type { RateLimiter } from "./rate-limiter.js";
import { judgeAttempt, type AttemptOutcome } from "./retry-policy.js";
import { writeOnce } from "./write-once.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";
export type QueryValue = string | number | boolean | undefined;

/** One call to the Alma API. */
export interface AlmaRequest {
  method: HttpMethod;
  /** Relative to `/almaws/v1/`, built with `almaPath` so every segment is encoded. */
  path: string;
  /** Query parameters; every value is URL-encoded; `undefined` ones are left out. */
  query?: Record<string, QueryValue>;
  /** A JSON body (items, requests, loans, users). */
  json?: unknown;
  /** An XML body (bibs, holdings). */
  xml?: string;
  /** The write can be repeated without harm (a user refresh): replay it like a read. */
  replaySafe?: boolean;
}

export interface AlmaResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; `undefined` when the body is empty or not JSON (see `text`). */
  body: unknown;
  text: string;
  retries: number;
}

/** The `alma` section of the configuration. */
export type AlmaSettings = Config["alma"];

export interface AlmaTransportOptions {
  /** The institution code: the limiter's key, and named in every message. */
  institution: string;
  /** The API gateway (`https://api-na.hosted.exlibrisgroup.com`). */
  gateway: string;
  apikey: string;
  settings: AlmaSettings;
  limiter: RateLimiter;
  budget: ApiBudget;
  logger: Logger;
  /** Aborts waits between retries (SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Random source for the retry jitter (tests pass a fixed one). */
  random?: () => number;
}

interface Attempt {
  outcome: AttemptOutcome;
  status?: number;
  headers?: IncomingHttpHeaders;
  text?: string;
  detail: string;
  ms: number;
}

/**
 * Sends calls to one institution's Alma API: the key in the `Authorization` header, through the institution's
 * rate limiter, with the retry rules of `judgeAttempt`, reading the daily budget from every answer.
 */
export class AlmaTransport {
  readonly institution: string;
  readonly #options: AlmaTransportOptions;
  readonly #got: Got;

  constructor(options: AlmaTransportOptions) {
    this.#options = options;
    this.institution = options.institution;
    const { settings } = options;
    this.#got = got.extend({
      prefixUrl: `${options.gateway.replace(/\/+$/, "")}/almaws/v1/`,
      headers: {
        authorization: `apikey ${options.apikey}`,
        accept: "application/json",
        "user-agent": "alma-rs",
      },
      retry: { limit: 0 },
      throwHttpErrors: false,
      responseType: "text",
      timeout: {
        lookup: settings.connect_timeout_ms,
        connect: settings.connect_timeout_ms,
        secureConnect: settings.connect_timeout_ms,
        // Like the Java app's read time-out: the longest silence while waiting for or reading the answer.
        socket: settings.read_timeout_ms,
      },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** Sends the call, retrying as the rules allow; resolves with a success answer or throws an Alma error. */
  async call(request: AlmaRequest): Promise<AlmaResponse> {
    const { settings, budget, limiter, logger } = this.#options;
    const search = toSearchParams(request.query);
    const shownPath = `/almaws/v1/${request.path}${search.size > 0 ? `?${search.toString()}` : ""}`;
    const isWrite = request.method !== "GET" && !request.replaySafe;
    // The retry budget runs from the first failure: waiting for the limiter is not retrying.
    let firstFailure: number | undefined;
    let retries = 0;
    for (;;) {
      const context: AlmaCallContext = {
        institution: this.institution,
        method: request.method,
        path: shownPath,
        retries,
      };
      // Checked again when the call's turn comes: calls queued behind the one that hit the limit stay home.
      const attempt = await limiter.schedule((sent) =>
        budget.isSpent(this.institution)
          ? Promise.reject(new AlmaDailyLimitError(this.institution))
          : this.#send(request, search, sent),
      );
      if (attempt.headers) budget.record(this.institution, attempt.headers["x-exl-api-remaining"]);
      const verdict = judgeAttempt(attempt.outcome, isWrite);
      logger.debug(`Alma ${request.method} ${shownPath} ${attempt.status ?? attempt.detail}`, {
        institution: this.institution,
        status: attempt.status ?? attempt.detail,
        ms: Math.round(attempt.ms),
        retries,
      });
      if (verdict.action === "done") return this.#success(attempt, context);
      const failure = this.#failure(attempt, context);
      if (verdict.action === "daily-limit") {
        budget.markSpent(this.institution);
        throw new AlmaDailyLimitError(this.institution);
      }
      if (verdict.action === "fail") throw failure;
      if (verdict.action === "uncertain") throw new AlmaWriteUncertainError(context, failure);
      const delay = this.#retryDelay(retries + 1);
      firstFailure ??= performance.now();
      if (performance.now() - firstFailure + delay > settings.retry_max_total_ms) throw failure;
      logger.debug(
        `Alma ${request.method} ${shownPath}: retry ${retries + 1} in ${delay} ms (${attempt.detail})`,
        {
          institution: this.institution,
        },
      );
      await sleep(delay, this.#options.signal);
      retries += 1;
    }
  }

  /**
   * "Look, then write" (see `writeOnce`) with this institution's back-off as the pause before each look-up, and
   * a warning in the log for every uncertain write.
   */
  writeOnce<T>(write: () => Promise<T>, lookup: () => Promise<T | undefined>): Promise<T> {
    // Like the retries of a read: until retry_max_total_ms has passed since the first uncertain outcome.
    let firstUncertain: number | undefined;
    return writeOnce({
      write,
      lookup,
      giveUp: (attempt) =>
        performance.now() - (firstUncertain ?? 0) + this.#retryDelay(attempt + 1) >
        this.#options.settings.retry_max_total_ms,
      pause: (attempt) => sleep(this.#retryDelay(attempt), this.#options.signal),
      onUncertain: (error) => {
        firstUncertain ??= performance.now();
        this.#options.logger.warn(`${error.message}: looking it up`);
      },
    });
  }

  #retryDelay(attempt: number): number {
    const { settings, random } = this.#options;
    return calculateRetryDelay(attempt, {
      initialDelayMs: settings.retry_initial_delay_ms,
      maxDelayMs: settings.retry_max_delay_ms,
      ...(random ? { random } : {}),
    });
  }

  async #send(request: AlmaRequest, searchParams: URLSearchParams, sent: () => void): Promise<Attempt> {
    const began = performance.now();
    const body =
      request.xml !== undefined
        ? { body: request.xml, headers: { "content-type": "application/xml" } }
        : request.json !== undefined
          ? { json: request.json }
          : {};
    try {
      const pending = this.#got(request.path, {
        method: request.method,
        searchParams,
        ...body,
      });
      // "finish": the whole request has been handed to the socket, i.e. it is on its way to Alma.
      void pending.on("request", (clientRequest) => clientRequest.once("finish", sent));
      const response = await pending;
      const errors = response.statusCode >= 400 ? parseErrorBody(response.body).errors : [];
      return {
        outcome: { kind: "answer", status: response.statusCode, errors },
        status: response.statusCode,
        headers: response.headers,
        text: response.body,
        detail: `HTTP ${response.statusCode}`,
        ms: performance.now() - began,
      };
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      const event = error instanceof TimeoutError ? error.event : undefined;
      const code = error.code || "ERR_UNKNOWN";
      return {
        outcome: { kind: "network", code, ...(event ? { event } : {}) },
        detail: event ? `${code} (${event} time-out)` : code,
        ms: performance.now() - began,
      };
    }
  }

  #success(attempt: Attempt, context: AlmaCallContext): AlmaResponse {
    const text = attempt.text ?? "";
    let body: unknown;
    if (/^\s*[[{]/.test(text)) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new AlmaBodyError(context, attempt.status ?? 0, "the body is not valid JSON");
      }
    }
    return {
      status: attempt.status ?? 0,
      headers: attempt.headers ?? {},
      body,
      text,
      retries: context.retries,
    };
  }

  #failure(attempt: Attempt, context: AlmaCallContext): AlmaError | AlmaNetworkError {
    if (attempt.outcome.kind === "network") {
      return new AlmaNetworkError(context, attempt.outcome.code, attempt.detail);
    }
    const parsed = parseErrorBody(attempt.text ?? "");
    return new AlmaError(attempt.outcome.status, context, parsed.errors, parsed.hasErrorList);
  }
}

function toSearchParams(query: Record<string, QueryValue> | undefined): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) search.append(key, String(value));
  }
  return search;
}

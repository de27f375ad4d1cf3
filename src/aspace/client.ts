import got, { RequestError } from "got";
import { calculateRetryDelay, sleep } from "../runtime/backoff.js";
import type { Logger } from "../runtime/logger.js";
import {
  AspaceHttpError,
  AspaceLoginError,
  AspaceNetworkError,
  AspaceResponseError,
  type AspaceErrorContext,
} from "./errors.js";
import { parseTopContainerPage } from "./top-containers.js";
import type { AspaceRepository, AspaceTopContainer, ResourceRef } from "./types.js";

export interface AspaceClientOptions {
  /** The backend API, e.g. `https://aspace-api.example.edu` (a path prefix is kept). */
  baseUrl: string;
  username: string;
  password: string;
  /** Whole-request time-out. */
  timeoutMs?: number;
  /** Tries per request for 5xx answers and failed connections (1 = no retry). */
  maxAttempts?: number;
  retryInitialDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Re-logins one request may make when ArchivesSpace says its session is gone. */
  maxRelogins?: number;
  /** Page size asked of the top-container search. */
  topContainerPageSize?: number;
  logger?: Logger;
  signal?: AbortSignal;
  random?: () => number;
}

const DEFAULTS = {
  timeoutMs: 60_000,
  maxAttempts: 4,
  retryInitialDelayMs: 1_000,
  retryMaxDelayMs: 30_000,
  maxRelogins: 2,
  topContainerPageSize: 250,
};

/** ArchivesSpace answers these when a session has expired or was never valid. */
const SESSION_GONE = new Set([401, 403, 412]);

/** Connection failures worth another try: resets, aborts, time-outs, refusals. */
const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

type ResolvedOptions = Required<Omit<AspaceClientOptions, "logger" | "signal" | "random">> &
  Pick<AspaceClientOptions, "logger" | "signal" | "random">;

interface Answer {
  status: number;
  body: string;
  attempts: number;
}

interface Counters {
  requests: number;
  logins: number;
  relogins: number;
  retries: number;
}

/**
 * The ArchivesSpace backend API: login with a session header, automatic re-login when the session expires,
 * retries with backoff for 5xx answers and failed connections. The password travels only in the body of the
 * login request, never in a URL, a log line or an error.
 */
export class AspaceClient {
  readonly #options: ResolvedOptions;
  readonly #base: string;
  #token: string | undefined;
  #loginInFlight: Promise<string> | undefined;
  readonly counters: Counters = { requests: 0, logins: 0, relogins: 0, retries: 0 };

  constructor(options: AspaceClientOptions) {
    this.#options = { ...DEFAULTS, ...stripUndefined(options) } as ResolvedOptions;
    this.#base = options.baseUrl.replace(/\/+$/, "");
  }

  /** Logs in now (the other calls log in on first use). */
  async login(): Promise<void> {
    await this.#session();
  }

  /** `GET /repositories`. */
  async repositories(): Promise<AspaceRepository[]> {
    const value = await this.#getJson("/repositories");
    if (!Array.isArray(value) || value.some((repo) => typeof (repo as AspaceRepository)?.uri !== "string")) {
      throw new AspaceResponseError("ArchivesSpace listed repositories without a uri", {
        method: "GET",
        path: "/repositories",
      });
    }
    return value as AspaceRepository[];
  }

  /** `GET {repo}/resources?all_ids=true`: every resource id of one repository. */
  async resourceIds(repositoryUri: string): Promise<number[]> {
    const path = `${repositoryUri}/resources`;
    const value = await this.#getJson(path, { all_ids: "true" });
    if (!Array.isArray(value) || value.some((id) => !Number.isInteger(id))) {
      throw new AspaceResponseError(
        `ArchivesSpace listed resource ids of ${repositoryUri} that are not integers`,
        {
          method: "GET",
          path: `${path}?all_ids=true`,
        },
      );
    }
    return value as number[];
  }

  /** `GET {repo}/resources/marc21/{id}.xml`: the MARC-XML export of one resource, as text. */
  async resourceMarcXml(resource: ResourceRef): Promise<string> {
    return (await this.#authorized(`${resource.repositoryUri}/resources/marc21/${resource.id}.xml`)).body;
  }

  /**
   * The top containers of one resource (`{repo}/top_containers/search`), page by page. ArchivesSpace itself
   * ignores the paging parameters and caps the answer at `max_top_container_results`; when a server does not
   * page, the first answer is all there is, and a capped answer is reported through `onIncomplete`.
   */
  async topContainers(
    resource: ResourceRef,
    onIncomplete?: (found: number, received: number) => void,
  ): Promise<AspaceTopContainer[]> {
    const path = `${resource.repositoryUri}/top_containers/search`;
    const pageSize = this.#options.topContainerPageSize;
    const containers: AspaceTopContainer[] = [];
    let numFound = 0;
    for (let page = 1; ; page++) {
      const searchParams = {
        q: `collection_uri_u_sstr:"${resource.uri}"`,
        page: String(page),
        page_size: String(pageSize),
      };
      const answer = await this.#authorized(path, searchParams);
      const result = parseTopContainerPage(answer.body, {
        method: "GET",
        path: describe(path, searchParams),
      });
      if (page > 1 && result.start !== (page - 1) * pageSize) break; // `page` ignored: this is page 1 again
      numFound = result.numFound;
      containers.push(...result.containers);
      if (result.containers.length === 0 || containers.length >= numFound) break;
      if (result.containers.length > pageSize) break; // `page_size` ignored: this is all the server gives
    }
    if (numFound > containers.length) onIncomplete?.(numFound, containers.length);
    return containers;
  }

  async #getJson(path: string, searchParams?: Record<string, string>): Promise<unknown> {
    const answer = await this.#authorized(path, searchParams);
    try {
      return JSON.parse(answer.body) as unknown;
    } catch {
      throw new AspaceResponseError(`ArchivesSpace answered ${path} with something that is not JSON`, {
        method: "GET",
        path,
        status: answer.status,
        body: excerpt(answer.body),
      });
    }
  }

  /** A GET with the session header; logs in again (once or twice) when ArchivesSpace says the session is gone. */
  async #authorized(path: string, searchParams?: Record<string, string>): Promise<Answer> {
    for (let relogins = 0; ; relogins++) {
      const token = await this.#session();
      const answer = await this.#send("GET", path, {
        searchParams,
        headers: { "X-ArchivesSpace-Session": token },
      });
      if (SESSION_GONE.has(answer.status) && relogins < this.#options.maxRelogins) {
        this.counters.relogins++;
        this.#options.logger?.info(
          `ArchivesSpace answered ${answer.status} to GET ${path}: session expired, logging in again`,
        );
        if (this.#token === token) this.#token = undefined;
        continue;
      }
      if (answer.status >= 400) {
        throw new AspaceHttpError(
          `ArchivesSpace answered ${answer.status} to GET ${describe(path, searchParams)}`,
          {
            method: "GET",
            path: describe(path, searchParams),
            status: answer.status,
            body: excerpt(answer.body),
            attempts: answer.attempts,
          },
        );
      }
      return answer;
    }
  }

  /** The current session token; one login at a time however many requests are waiting for it. */
  #session(): Promise<string> {
    if (this.#token) return Promise.resolve(this.#token);
    this.#loginInFlight ??= this.#login().finally(() => {
      this.#loginInFlight = undefined;
    });
    return this.#loginInFlight;
  }

  async #login(): Promise<string> {
    const { username, password } = this.#options;
    const path = `/users/${encodeURIComponent(username)}/login`;
    this.counters.logins++;
    // The password goes in a form body (as ArchivesSpace's own API docs do with `curl -F`), so it never
    // appears in a URL that proxies and access logs keep.
    const answer = await this.#send("POST", path, { form: { password } });
    const context: AspaceErrorContext = {
      method: "POST",
      path,
      status: answer.status,
      body: excerpt(answer.body.split(password).join("***")),
      attempts: answer.attempts,
    };
    if (answer.status !== 200) {
      throw new AspaceLoginError(
        `login failed as user ${username}: ArchivesSpace answered ${answer.status}`,
        context,
      );
    }
    let session: unknown;
    try {
      session = (JSON.parse(answer.body) as { session?: unknown }).session;
    } catch {
      session = undefined;
    }
    if (typeof session !== "string" || session === "") {
      throw new AspaceLoginError(`login failed as user ${username}: no session in the answer`, context);
    }
    this.#token = session;
    return session;
  }

  /** One request with retries for 5xx answers and failed connections; any other status is returned. */
  async #send(
    method: "GET" | "POST",
    path: string,
    options: {
      searchParams?: Record<string, string>;
      form?: Record<string, string>;
      headers?: Record<string, string>;
    },
  ): Promise<Answer> {
    const { maxAttempts, timeoutMs, signal } = this.#options;
    for (let attempt = 1; ; attempt++) {
      this.counters.requests++;
      let answer: Answer | undefined;
      let failure: RequestError | undefined;
      try {
        const response = await got(this.#base + path, {
          method,
          searchParams: options.searchParams,
          form: options.form,
          headers: { Accept: "application/json, application/xml;q=0.9", ...options.headers },
          timeout: { request: timeoutMs },
          retry: { limit: 0 },
          throwHttpErrors: false,
          followRedirect: false,
          responseType: "text",
          signal,
        });
        answer = { status: response.statusCode, body: response.body, attempts: attempt };
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (!(error instanceof RequestError)) throw error;
        failure = error;
      }
      const transient = answer ? answer.status >= 500 : TRANSIENT_CODES.has(failure!.code);
      if (!transient || attempt >= maxAttempts) {
        if (answer) return answer;
        // No `cause`: got's error holds the request options, and those hold the password or the session.
        throw new AspaceNetworkError(
          `ArchivesSpace did not answer ${method} ${describe(path, options.searchParams)}: ${failure!.code} ${failure!.message}`.trim(),
          {
            method,
            path: describe(path, options.searchParams),
            networkCode: failure!.code,
            attempts: attempt,
          },
        );
      }
      const delay = calculateRetryDelay(attempt, {
        initialDelayMs: this.#options.retryInitialDelayMs,
        maxDelayMs: this.#options.retryMaxDelayMs,
        random: this.#options.random,
      });
      this.counters.retries++;
      this.#options.logger?.debug(
        `ArchivesSpace ${method} ${path}: ${answer ? `answered ${answer.status}` : failure!.code}; retry ${attempt} in ${delay} ms`,
      );
      await sleep(delay, signal);
    }
  }
}

function describe(path: string, searchParams?: Record<string, string>): string {
  if (!searchParams) return path;
  return `${path}?${new URLSearchParams(searchParams).toString()}`;
}

function excerpt(body: string): string {
  return body.length > 300 ? `${body.slice(0, 300)}…` : body;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TopContainerRecord } from "./top-container.js";

/** One resource of the simulated ArchivesSpace: its MARC-XML export and its top containers. */
export interface SimulatedResource {
  id: number;
  /** What `GET …/resources/marc21/{id}.xml` answers, byte for byte. */
  marcXml: string;
  topContainers: TopContainerRecord[];
  /** Why this fixture exists: which rule it exercises (documentation only). */
  exercises?: string;
}

export interface SimulatedRepository {
  uri: string;
  repo_code: string;
  name: string;
  /** In the order `?all_ids=true` lists them. */
  resources: SimulatedResource[];
}

export interface AspaceSimulatorOptions {
  repositories: SimulatedRepository[];
  username?: string;
  password?: string;
  /** Delay before every answer, in ms, or a function of the path (to make some answers slower than others). */
  latencyMs?: number | ((path: string) => number);
  /** A session serves this many calls, then answers 412 SESSION_GONE (none: sessions never expire). */
  sessionCallLimit?: number;
  /** Honour `page`/`page_size` on the top-container search (real ArchivesSpace does not). Default true. */
  topContainerPaging?: boolean;
  /** ArchivesSpace's `max_top_container_results` (default 10000). */
  maxTopContainerResults?: number;
}

/** A fault for one path: an error status, or a reset connection; for the next `times` calls (default: all). */
export interface AspaceFault {
  status?: number;
  reset?: boolean;
  times?: number;
}

export interface AspaceSimulatorStats {
  logins: number;
  requests: number;
  /** Calls refused because their session had expired or was unknown. */
  rejectedSessions: number;
  /** Logins that carried the password in the URL instead of the body. */
  passwordInQuery: number;
  /** The most requests under way at once. */
  maxInFlight: number;
  /** Every request as `METHOD path?query`, in arrival order (the login's query is kept out). */
  log: string[];
}

interface Session {
  calls: number;
}

/**
 * ArchivesSpace's backend API on 127.0.0.1: login, repositories, resource ids, MARC export and top-container
 * search, with session expiry and injected faults. Start with {@link AspaceSimulator.start}.
 */
export class AspaceSimulator {
  readonly stats: AspaceSimulatorStats = {
    logins: 0,
    requests: 0,
    rejectedSessions: 0,
    passwordInQuery: 0,
    maxInFlight: 0,
    log: [],
  };
  readonly #options: AspaceSimulatorOptions;
  readonly #sessions = new Map<string, Session>();
  readonly #faults = new Map<string, AspaceFault>();
  readonly #server: Server;
  #inFlight = 0;
  #url = "";

  private constructor(options: AspaceSimulatorOptions) {
    this.#options = { ...options };
    this.#server = createServer((request, response) => {
      void this.#handle(request, response);
    });
  }

  static async start(options: AspaceSimulatorOptions): Promise<AspaceSimulator> {
    const simulator = new AspaceSimulator(options);
    await new Promise<void>((resolve, reject) => {
      simulator.#server.once("error", reject);
      simulator.#server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = simulator.#server.address() as AddressInfo;
    simulator.#url = `http://127.0.0.1:${port}`;
    return simulator;
  }

  get url(): string {
    return this.#url;
  }

  get username(): string {
    return this.#options.username ?? "admin";
  }

  get password(): string {
    return this.#options.password ?? "admin";
  }

  setLatency(ms: number | ((path: string) => number)): void {
    this.#options.latencyMs = ms;
  }

  /** From now on each session serves `calls` calls (undefined: forever). */
  expireSessionsAfter(calls: number | undefined): void {
    this.#options.sessionCallLimit = calls;
  }

  /** Every current session ends now: the next call with one is answered 412. */
  expireSessions(): void {
    this.#sessions.clear();
  }

  /** Injects a fault for a path (without query), e.g. `/repositories/3/resources/marc21/2.xml`. */
  fail(path: string, fault: AspaceFault): void {
    this.#faults.set(path, { ...fault });
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.#inFlight++;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.#inFlight);
    this.stats.requests++;
    try {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const isLogin = /^\/users\/[^/]+\/login$/.test(url.pathname);
      this.stats.log.push(`${request.method} ${isLogin ? url.pathname : url.pathname + url.search}`);
      const body = await readBody(request);
      const latency = this.#options.latencyMs;
      const delay = typeof latency === "function" ? latency(url.pathname) : (latency ?? 0);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      const fault = this.#takeFault(url.pathname);
      if (fault?.reset) {
        request.socket.destroy();
        return;
      }
      if (fault?.status) return send(response, fault.status, { error: "Simulated failure" });
      if (isLogin && request.method === "POST") return this.#login(request, url, body, response);
      if (request.method !== "GET") return send(response, 404, { error: "Sinatra doesn't know this ditty" });
      const token = request.headers["x-archivesspace-session"];
      if (typeof token !== "string" || token === "") {
        this.stats.rejectedSessions++;
        return send(response, 403, { error: "Access denied" });
      }
      if (!this.#useSession(token)) {
        this.stats.rejectedSessions++;
        return send(response, 412, { code: "SESSION_GONE", error: "No session found for token" });
      }
      this.#route(url, response);
    } catch (error) {
      send(response, 500, { error: (error as Error).message });
    } finally {
      this.#inFlight--;
    }
  }

  #takeFault(path: string): AspaceFault | undefined {
    const fault = this.#faults.get(path);
    if (!fault) return undefined;
    if (fault.times !== undefined) {
      fault.times--;
      if (fault.times <= 0) this.#faults.delete(path);
    }
    return fault;
  }

  #login(request: IncomingMessage, url: URL, body: string, response: ServerResponse): void {
    const username = decodeURIComponent(url.pathname.split("/")[2] ?? "");
    let password = formField(request.headers["content-type"] ?? "", body, "password");
    if (password === undefined && url.searchParams.has("password")) {
      this.stats.passwordInQuery++;
      password = url.searchParams.get("password") ?? undefined;
    }
    if (username !== this.username || password !== this.password) {
      return send(response, 403, { error: "Login failed" });
    }
    this.stats.logins++;
    const session = randomBytes(32).toString("hex");
    this.#sessions.set(session, { calls: 0 });
    send(response, 200, { session, user: { username, jsonmodel_type: "user", uri: "/users/1" } });
  }

  #useSession(token: string): boolean {
    const session = this.#sessions.get(token);
    if (!session) return false;
    const limit = this.#options.sessionCallLimit;
    if (limit !== undefined && session.calls >= limit) {
      this.#sessions.delete(token);
      return false;
    }
    session.calls++;
    return true;
  }

  #route(url: URL, response: ServerResponse): void {
    const path = url.pathname;
    if (path === "/repositories") {
      return send(
        response,
        200,
        this.#options.repositories.map((r) => ({
          uri: r.uri,
          repo_code: r.repo_code,
          name: r.name,
          jsonmodel_type: "repository",
        })),
      );
    }
    let match = /^(\/repositories\/\d+)\/resources$/.exec(path);
    if (match) {
      const repository = this.#repository(match[1]!);
      if (!repository) return send(response, 404, { error: "Repository not found" });
      if (url.searchParams.get("all_ids") !== "true") {
        return send(response, 400, { error: { page: ["Parameter required but no value provided"] } });
      }
      return send(
        response,
        200,
        repository.resources.map((r) => r.id),
      );
    }
    match = /^(\/repositories\/\d+)\/resources\/marc21\/(\d+)\.xml$/.exec(path);
    if (match) {
      const resource = this.#repository(match[1]!)?.resources.find((r) => r.id === Number(match![2]));
      if (!resource) return send(response, 404, { error: "Resource not found" });
      response.writeHead(200, { "Content-Type": "application/xml; charset=utf-8" });
      response.end(resource.marcXml);
      return;
    }
    match = /^(\/repositories\/\d+)\/top_containers\/search$/.exec(path);
    if (match) {
      const repository = this.#repository(match[1]!);
      if (!repository) return send(response, 404, { error: "Repository not found" });
      return send(response, 200, this.#searchContainers(repository, url.searchParams));
    }
    send(response, 404, { error: "Sinatra doesn't know this ditty" });
  }

  #repository(uri: string): SimulatedRepository | undefined {
    return this.#options.repositories.find((r) => r.uri === uri);
  }

  /** Solr's answer: `response.docs[].json` holds each top container as a JSON string. */
  #searchContainers(repository: SimulatedRepository, params: URLSearchParams): unknown {
    const resourceUri = /collection_uri_u_sstr:"([^"]+)"/.exec(params.get("q") ?? "")?.[1];
    const matching = repository.resources
      .filter((r) => `${repository.uri}/resources/${r.id}` === resourceUri)
      .flatMap((r) => r.topContainers);
    const max = this.#options.maxTopContainerResults ?? 10_000;
    let start = 0;
    let rows = max;
    if (this.#options.topContainerPaging !== false) {
      const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
      rows = Math.min(max, Math.max(1, Number(params.get("page_size") ?? "10") || 10));
      start = (page - 1) * rows;
    }
    const docs = matching.slice(start, start + rows).map((container) => ({
      id: container.uri,
      uri: container.uri,
      primary_type: "top_container",
      collection_uri_u_sstr: [resourceUri],
      json: JSON.stringify(container),
    }));
    return {
      responseHeader: { status: 0, QTime: 1, params: { q: params.get("q") ?? "", start: String(start) } },
      response: { numFound: matching.length, start, numFoundExact: true, docs },
    };
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** A field of a url-encoded or multipart form body, as Sinatra would read it. */
function formField(contentType: string, body: string, name: string): string | undefined {
  if (contentType.startsWith("application/x-www-form-urlencoded")) {
    return new URLSearchParams(body).get(name) ?? undefined;
  }
  if (contentType.startsWith("multipart/form-data")) {
    const match = new RegExp(`name="${name}"\\r\\n\\r\\n([\\s\\S]*?)\\r\\n--`).exec(body);
    return match?.[1];
  }
  return undefined;
}

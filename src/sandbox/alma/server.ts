import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { errorJson, errorXml, SimulatedAlmaError, trackingId } from "./alma-error.js";
import { CallLog, loggedQuery, type CallFilter, type CallRecord } from "./call-log.js";
import type { SimResponse } from "./context.js";
import { defaultFixture } from "./default-fixture.js";
import { ErrorCodes } from "./error-codes.js";
import { FaultInjector, type FaultRule } from "./faults.js";
import { buildState, type AlmaFixture } from "./fixture.js";
import { InstitutionLimits } from "./limits.js";
import { Router, UNAUTHORIZED_MESSAGE } from "./router.js";
import { almaRoutes } from "./routes/index.js";
import { apiKeyOf, BodyTooLarge, readBody, wantsXml } from "./http-input.js";
import { handleSidePath, SIDE_PATH_PREFIX, type SandboxControl } from "./side-paths.js";
import { renderXml } from "./to-xml.js";
import type { InstitutionState, SimulatorState } from "./types.js";

export interface AlmaSimulatorOptions {
  /** The institutions and their records; the default fixture when absent. */
  fixture?: AlmaFixture;
  /** Admitted calls per institution in any 1-second window (Alma: 25). */
  rateLimitPerSecond?: number;
  /** Calls per institution per day (per clock day, UTC); a fixture institution may override it. */
  dailyBudget?: number;
  /** The clock for the rate window, the budget day and dates in records; `Date.now` by default. */
  now?: () => number;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  faults?: FaultRule[];
  /** Seed for the fault generator; random when absent. */
  faultSeed?: number;
  bodyLimitBytes?: number;
  /** Answer the barcode look-up with a 302 to the item (Alma may); the item itself by default. */
  redirectBarcodeLookup?: boolean;
  /** Told about handler bugs (answered as 500 GENERAL_ERROR); writes to stderr by default. */
  onInternalError?: (error: unknown) => void;
}

export interface AlmaSimulator extends SandboxControl {
  /** The gateway URL to configure: `http://127.0.0.1:<port>` (paths start `/almaws/v1`). */
  readonly url: string;
  /** The live state (replaced by `reset`). */
  readonly state: SimulatorState;
  /** Every call received, in arrival order. */
  readonly calls: readonly CallRecord[];
  /** Calls whose method is `method` and whose path matches `path` (optionally for one institution). */
  callsTo(method: string, path: RegExp | string, institution?: string): CallRecord[];
  institution(code: string): InstitutionState;
  clearFaults(): void;
  stop(): Promise<void>;
}

const API_PREFIX = "/almaws/v1";
const JSON_TYPE = "application/json;charset=UTF-8";
const XML_TYPE = "application/xml;charset=UTF-8";

class Simulator implements AlmaSimulator {
  url = "";
  private currentState: SimulatorState;
  private readonly log = new CallLog();
  private readonly limits: InstitutionLimits;
  private readonly injector = new FaultInjector();
  private readonly router = new Router(almaRoutes);
  private readonly server: Server;
  private readonly now: () => number;
  private readonly dailyBudget: number;
  private readonly waits = new Set<() => void>();
  private stopped = false;

  constructor(private readonly options: AlmaSimulatorOptions) {
    this.currentState = buildState(options.fixture ?? defaultFixture);
    this.now = options.now ?? Date.now;
    this.dailyBudget = options.dailyBudget ?? 100_000;
    this.limits = new InstitutionLimits({
      rateLimitPerSecond: options.rateLimitPerSecond ?? 25,
      dailyBudget: this.dailyBudget,
    });
    if (options.faults) this.injector.set(options.faults, options.faultSeed);
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.reportInternal(error);
        if (!response.headersSent) response.writeHead(500).end();
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.url = `http://${address.address}:${address.port}`;
  }

  get state(): SimulatorState {
    return this.currentState;
  }

  get calls(): readonly CallRecord[] {
    return this.log.all;
  }

  get faults(): FaultRule[] {
    return this.injector.active;
  }

  callsMatching(filter: CallFilter): CallRecord[] {
    return this.log.filter(filter);
  }

  callsTo(method: string, path: RegExp | string, institution?: string): CallRecord[] {
    return this.log.filter({ method, path, ...(institution ? { institution } : {}) });
  }

  institution(code: string): InstitutionState {
    const institution = this.currentState.institutions[code];
    if (!institution) throw new Error(`The simulator has no institution ${code}.`);
    return institution;
  }

  remaining(code: string): number {
    const budget = this.currentState.institutions[code]?.daily_budget ?? this.dailyBudget;
    return this.limits.remaining(code, this.now(), budget);
  }

  setFaults(faults: FaultRule[], options: { seed?: number } = {}): void {
    this.injector.set(faults, options.seed ?? this.options.faultSeed);
  }

  clearFaults(): void {
    this.injector.clear();
  }

  /** Back to the fixture (or a new one): state, call log, limits and faults. */
  reset(fixture?: AlmaFixture): void {
    this.currentState = buildState(fixture ?? this.options.fixture ?? defaultFixture);
    this.log.clear();
    this.limits.reset();
    this.injector.clear();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.waits) wake();
    this.waits.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.waits.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waits.add(wake);
    });
  }

  private reportInternal(error: unknown): void {
    if (this.options.onInternalError) this.options.onInternalError(error);
    else
      process.stderr.write(
        `alma simulator: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
  }

  private findByKey(key: string | undefined): InstitutionState | undefined {
    if (!key) return undefined;
    return Object.values(this.currentState.institutions).find((institution) => institution.apikey === key);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://simulator");
    const method = (request.method ?? "GET").toUpperCase();
    // Arrival is when the request line came in, before the body is read.
    const time = this.now();
    let bodyText: string;
    try {
      bodyText = await readBody(request, this.options.bodyLimitBytes ?? 10 * 1024 * 1024);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      bodyText = "";
      if (!url.pathname.startsWith(SIDE_PATH_PREFIX)) {
        const xml = wantsXml(request.headers.accept, url.searchParams.get("format"));
        this.sendError(response, xml, undefined, 413, ErrorCodes.requestTooLarge, "Request is too large.");
        return;
      }
    }
    if (url.pathname.startsWith(SIDE_PATH_PREFIX)) {
      handleSidePath(this, request, response, url, bodyText);
      return;
    }

    const xml = wantsXml(request.headers.accept, url.searchParams.get("format"));
    const institution = this.findByKey(apiKeyOf(request.headers.authorization, url.searchParams));
    const call = this.log.start({
      time,
      institution: institution?.code ?? null,
      method,
      path: url.pathname,
      query: loggedQuery(url.searchParams),
    });
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
      this.sendError(response, xml, call, 404, ErrorCodes.unknownResource, `No resource at ${url.pathname}.`);
      return;
    }
    if (!institution) {
      this.sendError(response, xml, call, 401, ErrorCodes.unauthorized, UNAUTHORIZED_MESSAGE);
      return;
    }
    const admission = this.limits.admit(institution.code, time, institution.daily_budget ?? this.dailyBudget);
    response.setHeader("X-Exl-Api-Remaining", String(admission.remaining));
    if (!admission.admitted) {
      this.sendError(response, xml, call, 429, admission.errorCode, admission.message);
      return;
    }

    const decision = this.injector.decide(method, url.pathname, institution.code);
    if (decision.label) call.fault = decision.label;
    await this.sleep(decision.latencyMs);
    const action = decision.action;
    if (action && action.kind !== "timeout" && action.phase === "before") {
      this.fail(request, response, xml, call, action);
      return;
    }

    let answer: SimResponse | SimulatedAlmaError;
    try {
      answer = this.router.dispatch({
        method,
        path: url.pathname.slice(API_PREFIX.length),
        query: url.searchParams,
        bodyText,
        contentType: request.headers["content-type"] ?? "",
        institution,
        state: this.currentState,
        now: time,
        apiBase: `${this.url}${API_PREFIX}`,
        redirectBarcodeLookup: this.options.redirectBarcodeLookup ?? false,
      });
    } catch (error) {
      if (error instanceof SimulatedAlmaError) answer = error;
      else {
        this.reportInternal(error);
        answer = new SimulatedAlmaError(
          500,
          ErrorCodes.generalError,
          "General Error - An error has occurred while processing the request.",
        );
      }
    }

    if (action && action.kind !== "timeout") {
      this.fail(request, response, xml, call, action);
      return;
    }
    if (action?.kind === "timeout") await this.sleep(action.ms);
    if (this.stopped || response.destroyed) {
      // The client gave up (time-out) or we are stopping: what Alma did still stands, the answer is lost.
      call.status = answer.status;
      if (answer instanceof SimulatedAlmaError) call.errorCode = answer.errorCode;
      return;
    }
    if (answer instanceof SimulatedAlmaError) {
      this.sendError(response, xml, call, answer.status, answer.errorCode, answer.message);
      return;
    }
    call.status = answer.status;
    if (answer.body === undefined) {
      response.writeHead(answer.status, answer.headers).end();
      return;
    }
    response.writeHead(answer.status, { ...answer.headers, "Content-Type": xml ? XML_TYPE : JSON_TYPE });
    response.end(xml ? renderXml(answer.xmlRoot ?? "result", answer.body) : JSON.stringify(answer.body));
  }

  /** An injected 500/503 or reset. */
  private fail(
    request: IncomingMessage,
    response: ServerResponse,
    xml: boolean,
    call: CallRecord,
    action: { kind: "error"; status: 500 | 503 } | { kind: "reset" },
  ): void {
    if (action.kind === "reset") {
      call.status = null;
      request.socket.destroy();
      return;
    }
    if (action.status === 503) {
      this.sendError(
        response,
        xml,
        call,
        503,
        ErrorCodes.routingError,
        "Routing Error - The service is temporarily unavailable.",
      );
    } else {
      this.sendError(
        response,
        xml,
        call,
        500,
        ErrorCodes.generalError,
        "General Error - An error has occurred while processing the request.",
      );
    }
  }

  private sendError(
    response: ServerResponse,
    xml: boolean,
    call: CallRecord | undefined,
    status: number,
    errorCode: string,
    errorMessage: string,
  ): void {
    const body = {
      errorCode,
      errorMessage,
      trackingId: trackingId(call?.seq ?? 0, call?.time ?? this.now()),
    };
    if (call) {
      call.status = status;
      call.errorCode = errorCode;
    }
    if (response.destroyed) return;
    response.writeHead(status, { "Content-Type": xml ? XML_TYPE : JSON_TYPE });
    response.end(xml ? errorXml(body) : errorJson(body));
  }
}

/** Starts a simulator on 127.0.0.1 (a free port unless told otherwise). */
export async function startAlmaSimulator(options: AlmaSimulatorOptions = {}): Promise<AlmaSimulator> {
  const simulator = new Simulator(options);
  await simulator.listen();
  return simulator;
}

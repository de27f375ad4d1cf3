import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type CaiasoftEndpoint = "incomingitems" | "itemupdates";

/** One request the simulator received. */
export interface CaiasoftCall {
  n: number;
  endpoint: CaiasoftEndpoint | "other";
  /** Whether `X-API-Key` matched (the key itself is not kept). */
  authorized: boolean;
  requestBody: string;
  /** The items of the body (`incoming` or `items`), when it parsed. */
  items: Record<string, unknown>[];
  status: number;
  responseBody: string;
  /** Whether the items changed the simulator's state. */
  processed: boolean;
}

/**
 * What to do instead of answering normally. `process`: apply the items first (an answer lost after the work).
 * `success-false` changes nothing; it may name some barcodes with a reason (`rejects` of new items, `errors` of
 * updates) and claim a count of items taken (`incoming_count`, `updated_count`).
 */
export type CaiasoftFault =
  | { kind: "status"; status: number; body?: string; process?: boolean }
  | { kind: "not-json"; body?: string; process?: boolean }
  | { kind: "success-false"; error: string; named?: Record<string, string>; accepted?: number }
  | { kind: "hang"; ms: number; process?: boolean };

export interface CaiasoftSimulatorOptions {
  apiKey: string;
  latencyMs?: number;
  /** New items CaiaSoft refuses, with its reason. */
  rejects?: Record<string, string>;
  /** Updates CaiaSoft refuses, with its reason. */
  updateErrors?: Record<string, string>;
}

interface Fault {
  when: (call: CaiasoftCall) => boolean;
  fault: CaiasoftFault;
  remaining: number;
}

export const CLEAR_FIELD_MARKER = "CLEARFIELD*";

/**
 * CaiaSoft's item endpoints on 127.0.0.1 under `/api`: `POST /incomingitems/v1` stores new items by
 * barcode, `POST /itemupdates/v1` changes them (a null leaves a field as it is, `CLEARFIELD*` clears it).
 * Counts are answered as strings, like CaiaSoft.
 */
export class CaiasoftSimulator {
  latencyMs: number;
  readonly rejects: Map<string, string>;
  readonly updateErrors: Map<string, string>;
  readonly calls: CaiasoftCall[] = [];
  /** The items as CaiaSoft holds them, by barcode. */
  readonly items = new Map<string, Record<string, unknown>>();
  readonly #apiKey: string;
  readonly #faults: Fault[] = [];
  #server: Server | undefined;

  constructor(options: CaiasoftSimulatorOptions) {
    this.#apiKey = options.apiKey;
    this.latencyMs = options.latencyMs ?? 0;
    this.rejects = new Map(Object.entries(options.rejects ?? {}));
    this.updateErrors = new Map(Object.entries(options.updateErrors ?? {}));
  }

  /** Starts listening on 127.0.0.1 (a free port); returns the base URL (`…/api`). */
  async start(): Promise<string> {
    const server = createServer((req, res) => void this.#handle(req, res));
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return this.baseUrl;
  }

  get baseUrl(): string {
    const address = this.#server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error("the CaiaSoft simulator is not started");
    return `http://127.0.0.1:${address.port}/api`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Answers the calls `when` matches with `fault`, `times` times (default: always). */
  addFault(
    when: (call: CaiasoftCall) => boolean,
    fault: CaiasoftFault,
    times = Number.POSITIVE_INFINITY,
  ): void {
    this.#faults.push({ when, fault, remaining: times });
  }

  /** Fails the n-th call (1-based, over the simulator's life). */
  failCall(n: number, fault: CaiasoftFault): void {
    this.addFault((call) => call.n === n, fault, 1);
  }

  clearFaults(): void {
    this.#faults.length = 0;
  }

  /** The calls to an endpoint that changed the state, in order. */
  processed(endpoint: CaiasoftEndpoint): CaiasoftCall[] {
    return this.calls.filter((call) => call.endpoint === endpoint && call.processed);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestBody = await readBody(req);
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname.replace(/\/+$/, "");
    const endpoint: CaiasoftCall["endpoint"] =
      path === "/api/incomingitems/v1"
        ? "incomingitems"
        : path === "/api/itemupdates/v1"
          ? "itemupdates"
          : "other";
    const call: CaiasoftCall = {
      n: this.calls.length + 1,
      endpoint,
      authorized: req.headers["x-api-key"] === this.#apiKey,
      requestBody,
      items: [],
      status: 0,
      responseBody: "",
      processed: false,
    };
    this.calls.push(call);
    if (this.latencyMs > 0) await delay(this.latencyMs);
    const answer = (status: number, body: string) => {
      call.status = status;
      call.responseBody = body;
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(body);
    };
    if (req.method !== "POST" || endpoint === "other")
      return answer(404, `{"success":false,"error":"Not found"}`);
    if (!call.authorized) return answer(401, `{"success":false,"error":"Invalid API Key"}`);
    let items: Record<string, unknown>[];
    try {
      const parsed = JSON.parse(requestBody) as Record<string, unknown>;
      const list = parsed[endpoint === "incomingitems" ? "incoming" : "items"];
      if (!Array.isArray(list)) throw new Error("no list");
      items = list as Record<string, unknown>[];
    } catch {
      return answer(400, `{"success":false,"error":"Malformed JSON request"}`);
    }
    call.items = items;
    const fault = this.#faults.find((candidate) => candidate.remaining > 0 && candidate.when(call));
    if (fault) {
      fault.remaining -= 1;
      const f = fault.fault;
      if (f.kind !== "success-false" && f.process) this.#process(call);
      if (f.kind === "hang") {
        await delay(f.ms);
        res.destroy();
        return;
      }
      if (f.kind === "status")
        return answer(f.status, f.body ?? `{"success":false,"error":"Internal error"}`);
      if (f.kind === "not-json")
        return answer(200, f.body ?? "<html><body>Service temporarily unavailable</body></html>");
      return answer(200, JSON.stringify(refusal(call.endpoint, f)));
    }
    answer(200, JSON.stringify(this.#process(call)));
  }

  #process(call: CaiasoftCall): Record<string, unknown> {
    call.processed = true;
    return call.endpoint === "incomingitems" ? this.#incoming(call.items) : this.#updates(call.items);
  }

  #incoming(items: Record<string, unknown>[]): Record<string, unknown> {
    const rejects: { barcode: string; reason: string }[] = [];
    for (const item of items) {
      const barcode = String(item.barcode);
      const reason = this.rejects.get(barcode);
      if (reason !== undefined) rejects.push({ barcode, reason });
      else this.items.set(barcode, { ...item });
    }
    return {
      success: true,
      error: "",
      incoming_count: String(items.length - rejects.length),
      rejected_count: String(rejects.length),
      rejects,
      warnings: [],
    };
  }

  #updates(items: Record<string, unknown>[]): Record<string, unknown> {
    const errors: { barcode: string; error: string }[] = [];
    for (const item of items) {
      const barcode = String(item.barcode);
      const reason = this.updateErrors.get(barcode);
      if (reason !== undefined) {
        errors.push({ barcode, error: reason });
        continue;
      }
      const held = { ...(this.items.get(barcode) ?? { barcode }) };
      for (const [key, value] of Object.entries(item)) {
        if (value === CLEAR_FIELD_MARKER) delete held[key];
        else if (value !== null && value !== "") held[key] = value; // CaiaSoft ignores empty values
      }
      this.items.set(barcode, held);
    }
    return {
      success: true,
      error: "",
      total_count: String(items.length),
      updated_count: String(items.length - errors.length),
      errors,
      warnings: [],
    };
  }
}

function refusal(
  endpoint: CaiasoftCall["endpoint"],
  fault: Extract<CaiasoftFault, { kind: "success-false" }>,
): Record<string, unknown> {
  const body: Record<string, unknown> = { success: false, error: fault.error };
  const incoming = endpoint === "incomingitems";
  if (fault.accepted !== undefined)
    body[incoming ? "incoming_count" : "updated_count"] = String(fault.accepted);
  if (fault.named) {
    body[incoming ? "rejects" : "errors"] = Object.entries(fault.named).map(([barcode, reason]) =>
      incoming ? { barcode, reason } : { barcode, error: reason },
    );
  }
  return body;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

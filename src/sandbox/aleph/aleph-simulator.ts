import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** An item of the simulated Aleph catalogue and its history, in Aleph's timestamps (`YYYYMMDD[HHMM[SS]]`). */
export interface SeededItem {
  barcode: string;
  /** When the item was created: it is `new` in the window holding this time. */
  created: string;
  /** When it was changed since: it is an `update` in a window holding one of these (and not its creation). */
  updated?: string[];
  /** Its other fields as Aleph sends them; the usual fields not given are sent as null. */
  fields?: Record<string, unknown>;
}

/** One request the simulator received. */
export interface AlephCall {
  n: number;
  url: string;
  starttime?: string;
  endtime?: string;
  nextitem?: string;
  status: number;
}

/** What to do instead of answering normally. */
export type AlephFault =
  | { kind: "status"; status: number; body?: string }
  | { kind: "body"; body: string }
  | { kind: "hang"; ms: number };

export interface AlephSimulatorOptions {
  items?: SeededItem[];
  /** Aleph's clock: the `endtime` of a window's first request. Only the test moves it. */
  clock?: string;
  /** Entries per page. */
  pageSize?: number;
  /** How the last page says "no more": `""`, `null`, or no `nextitem` at all. */
  lastPageNextitem?: "" | null | "absent";
  /** Wait before each answer. */
  latencyMs?: number;
  /** The endpoint's path. */
  path?: string;
}

interface Fault {
  when: (call: AlephCall) => boolean;
  fault: AlephFault;
  remaining: number;
}

/** The usual fields of Aleph's items, sent as null when the seed gives none (Aleph sends every field). */
export const ALEPH_ITEM_FIELDS = [
  "title",
  "author",
  "volume",
  "call_number",
  "collection",
  "oclc",
  "issn",
  "isbn",
  "edition",
  "publisher",
  "bib_record_nbr",
  "flag",
] as const;

/**
 * Aleph's items endpoint on 127.0.0.1: the window [starttime, endtime) of a seeded history, paged by
 * `nextitem` (the barcode that starts the next page, entries sorted by barcode). The first request of a
 * window gets the simulated clock as `endtime`; follow-ups must repeat `endtime` and `nextitem`.
 */
export class AlephSimulator {
  clock: string;
  pageSize: number;
  lastPageNextitem: "" | null | "absent";
  latencyMs: number;
  readonly calls: AlephCall[] = [];
  readonly #items = new Map<string, SeededItem>();
  readonly #faults: Fault[] = [];
  readonly #path: string;
  #server: Server | undefined;

  constructor(options: AlephSimulatorOptions = {}) {
    this.clock = options.clock ?? "202001020000";
    this.pageSize = options.pageSize ?? 100;
    this.lastPageNextitem = options.lastPageNextitem === undefined ? null : options.lastPageNextitem;
    this.latencyMs = options.latencyMs ?? 0;
    this.#path = options.path ?? "/cgi-bin/items";
    for (const item of options.items ?? []) this.addItem(item);
  }

  /** Starts listening on 127.0.0.1 (a free port); returns the items URL. */
  async start(): Promise<string> {
    const server = createServer((req, res) => void this.#handle(req, res));
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return this.url;
  }

  get url(): string {
    const address = this.#server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error("the Aleph simulator is not started");
    return `http://127.0.0.1:${address.port}${this.#path}`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  addItem(item: SeededItem): void {
    this.#items.set(item.barcode, { ...item, updated: [...(item.updated ?? [])] });
  }

  /** Records a change of an item at Aleph time `at`, with new field values. */
  updateItem(barcode: string, at: string, fields: Record<string, unknown> = {}): void {
    const item = this.#items.get(barcode);
    if (!item) throw new Error(`no item ${barcode} in the Aleph simulator`);
    item.updated = [...(item.updated ?? []), at];
    item.fields = { ...item.fields, ...fields };
  }

  /** Answers the calls `when` matches with `fault`, `times` times (default: always). */
  addFault(when: (call: AlephCall) => boolean, fault: AlephFault, times = Number.POSITIVE_INFINITY): void {
    this.#faults.push({ when, fault, remaining: times });
  }

  /** Fails the n-th call (1-based, counted over the simulator's life). */
  failCall(n: number, fault: AlephFault): void {
    this.addFault((call) => call.n === n, fault, 1);
  }

  clearFaults(): void {
    this.#faults.length = 0;
  }

  /** The window's entries in page order: what a complete, uninterrupted paging returns. */
  entries(starttime: string, endtime: string): { list: "new" | "update"; item: Record<string, unknown> }[] {
    const from = comparable(starttime);
    const to = comparable(endtime);
    const inWindow = (at: string) => comparable(at) >= from && comparable(at) < to;
    const out: { list: "new" | "update"; item: Record<string, unknown> }[] = [];
    for (const seeded of [...this.#items.values()].sort((a, b) => compare(a.barcode, b.barcode))) {
      const list = inWindow(seeded.created)
        ? "new"
        : (seeded.updated ?? []).some(inWindow)
          ? "update"
          : undefined;
      if (!list) continue;
      const item: Record<string, unknown> = { barcode: seeded.barcode };
      for (const field of ALEPH_ITEM_FIELDS) item[field] = null;
      out.push({ list, item: { ...item, ...seeded.fields } });
    }
    return out;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const param = (name: string) => url.searchParams.get(name) ?? undefined;
    const call: AlephCall = {
      n: this.calls.length + 1,
      url: url.pathname + url.search,
      starttime: param("starttime"),
      endtime: param("endtime"),
      nextitem: param("nextitem"),
      status: 0,
    };
    this.calls.push(call);
    if (this.latencyMs > 0) await delay(this.latencyMs);
    const fault = this.#faults.find((candidate) => candidate.remaining > 0 && candidate.when(call));
    if (fault) {
      fault.remaining -= 1;
      const f = fault.fault;
      if (f.kind === "hang") {
        await delay(f.ms);
        call.status = 0;
        res.destroy();
        return;
      }
      call.status = f.kind === "status" ? f.status : 200;
      return send(res, call.status, f.body ?? `{"error":"simulated failure ${call.status}"}`);
    }
    if (req.method !== "GET" || url.pathname !== this.#path) {
      call.status = 404;
      return send(res, 404, `{"error":"not found"}`);
    }
    const problem = protocolProblem(call);
    if (problem) {
      call.status = 400;
      return send(res, 400, JSON.stringify({ error: problem }));
    }
    call.status = 200;
    send(res, 200, JSON.stringify(this.#page(call.starttime!, call.endtime ?? this.clock, call.nextitem)));
  }

  #page(starttime: string, endtime: string, nextitem: string | undefined): Record<string, unknown> {
    const all = this.entries(starttime, endtime);
    const first =
      nextitem === undefined
        ? 0
        : all.findIndex((entry) => compare(String(entry.item.barcode), nextitem) >= 0);
    const start = first < 0 ? all.length : first;
    const page = all.slice(start, start + this.pageSize);
    const following = all[start + this.pageSize];
    const answer: Record<string, unknown> = { starttime, endtime };
    if (following) answer.nextitem = following.item.barcode;
    else if (this.lastPageNextitem !== "absent") answer.nextitem = this.lastPageNextitem;
    answer.new = page.filter((entry) => entry.list === "new").map((entry) => entry.item);
    answer.update = page.filter((entry) => entry.list === "update").map((entry) => entry.item);
    return answer;
  }
}

/** Seed 002: `starttime` always; `endtime` and `nextitem` together or not at all. */
function protocolProblem(call: AlephCall): string | undefined {
  if (!call.starttime) return "starttime is required";
  if (call.endtime !== undefined && call.nextitem === undefined)
    return "endtime without nextitem: a first request takes starttime only";
  if (call.nextitem !== undefined && call.endtime === undefined) return "nextitem without endtime";
  return undefined;
}

/** Aleph's timestamps compare as digits once padded to the same length (a date is midnight). */
function comparable(timestamp: string): string {
  return timestamp.padEnd(14, "0");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(body);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One call the simulator received (keys never appear: `apikey` is dropped from the query). */
export interface CallRecord {
  seq: number;
  /** The simulator's clock at arrival, in ms. */
  time: number;
  /** Institution code, or null when the key was missing or unknown. */
  institution: string | null;
  method: string;
  /** The full path, `/almaws/v1/…`. */
  path: string;
  query: Record<string, string>;
  /** HTTP status answered; null while pending, or when the connection was reset instead. */
  status: number | null;
  errorCode?: string;
  /** The injected fault(s), e.g. `error:503`, `reset`, `latency:40ms`. */
  fault?: string;
}

export interface CallFilter {
  method?: string;
  path?: RegExp | string;
  institution?: string;
}

export function matchesCall(call: CallRecord, filter: CallFilter): boolean {
  if (filter.method && call.method !== filter.method.toUpperCase()) return false;
  if (filter.institution && call.institution !== filter.institution) return false;
  if (filter.path !== undefined) {
    const pattern = typeof filter.path === "string" ? new RegExp(filter.path) : filter.path;
    if (!pattern.test(call.path)) return false;
  }
  return true;
}

/** The query of a call as logged: every parameter but the key. */
export function loggedQuery(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name.toLowerCase() === "apikey") continue;
    query[name] = value;
  }
  return query;
}

export class CallLog {
  private records: CallRecord[] = [];
  private nextSeq = 1;

  start(call: Omit<CallRecord, "seq" | "status">): CallRecord {
    const record: CallRecord = { seq: this.nextSeq, ...call, status: null };
    this.nextSeq += 1;
    this.records.push(record);
    return record;
  }

  get all(): readonly CallRecord[] {
    return this.records;
  }

  filter(filter: CallFilter): CallRecord[] {
    return this.records.filter((call) => matchesCall(call, filter));
  }

  clear(): void {
    this.records = [];
    this.nextSeq = 1;
  }
}

import type { LastFailure } from "./processor.js";
import type { SpoolCounts } from "./spool.js";

/** What `GET /health` answers: the spool's state, never a secret nor an event's content. */
export interface HealthReport {
  status: "ok" | "attention";
  started: string;
  uptime_seconds: number;
  /** Events accepted and not yet processed (waiting, or waiting for a retry). */
  pending: number;
  processing: number;
  failed: number;
  done: number;
  oldest_pending_age_seconds: number | null;
  last_failure: LastFailure | null;
  /** The listener runs without checking signatures (`--insecure-no-signature`). */
  insecure: boolean;
}

export function healthReport(input: {
  counts: SpoolCounts;
  started: number;
  now: number;
  lastFailure: LastFailure | undefined;
  insecure: boolean;
}): HealthReport {
  const { counts, now } = input;
  return {
    status: counts.failed > 0 ? "attention" : "ok",
    started: new Date(input.started).toISOString(),
    uptime_seconds: Math.round((now - input.started) / 1000),
    pending: counts.incoming,
    processing: counts.processing,
    failed: counts.failed,
    done: counts.done,
    oldest_pending_age_seconds:
      counts.oldestPendingAt === undefined
        ? null
        : Math.max(0, Math.round((now - counts.oldestPendingAt) / 100) / 10),
    last_failure: input.lastFailure ?? null,
    insecure: input.insecure,
  };
}

import type { Config } from "../config/config.js";
import { LockedError } from "../runtime/errors.js";
import { acquireLock } from "../runtime/lock.js";
import type { Logger } from "../runtime/logger.js";
import type { RunContext } from "../runtime/run-context.js";
import type { RunSummary } from "../runtime/run-report.js";
import { Coalescer } from "./coalescer.js";
import type { WebhookEvent } from "./event.js";
import type { CancelRequestInput } from "../jobs/cancel-request/job.js";
import { cancelInputOf, scanInBarcodeOf } from "./event-input.js";

/** What became of one try of an event: processed, worth another try later, or not worth retrying. */
export type Outcome =
  | { status: "done"; note?: string }
  | { status: "retry"; message: string }
  | { status: "failed"; message: string };

/**
 * The jobs a JOB_END starts, each with the institution key holding the Alma job id it answers to. The handler
 * of each is looked up by `job` in `WebhookHandlers.jobEnd`; one without a handler fails its events (to replay).
 */
export const JOB_END_ROUTES = [
  { job: "sync-items", jobIdKey: "publishing_job_id" },
  { job: "send-requests", jobIdKey: "requests_job_id" },
] as const;

export type JobEndJob = (typeof JOB_END_ROUTES)[number]["job"];

export type JobEndHandler = (institution: string, context: RunContext) => Promise<RunSummary>;

/** The jobs the listener can run; the command wires the real ones, tests wire their own. */
export interface WebhookHandlers {
  jobEnd: Partial<Record<JobEndJob, JobEndHandler>>;
  scanIn?: (scfBarcode: string, context: RunContext) => Promise<RunSummary>;
  cancelRequest?: (input: CancelRequestInput, context: RunContext) => Promise<RunSummary>;
}

/**
 * `job` runs take as long as the Alma job's output (and wait for each other per key without holding a worker);
 * `event` runs are one item or one request each and share a bounded pool.
 */
export type Lane = "job" | "event";

export type Plan =
  | { kind: "ignore"; reason: string; level: "debug" | "info" | "warn" }
  | { kind: "run"; lane: Lane; label: string; run: (context: RunContext) => Promise<Outcome> };

const SUCCESS = "COMPLETED_SUCCESS";

/** An event the listener cannot handle whatever the retries (no job for it in this build). */
export class NotHandledError extends Error {
  override readonly name = "NotHandledError";
  readonly code = "ENOT_HANDLED";
}

/** Decides what each event means (seed 001 §5) and runs it through the matching handler. */
export class Dispatcher {
  readonly #handlers: WebhookHandlers;
  readonly #jobRuns = new Coalescer<Outcome>();

  constructor(handlers: WebhookHandlers) {
    this.#handlers = handlers;
  }

  /** What to do with an event; `logger` hears of what the event holds but cannot be used (a broken tag). */
  plan(event: WebhookEvent, config: Config, logger?: Logger): Plan {
    switch (event.action) {
      case "JOB_END":
        return this.#planJobEnd(event, config);
      case "LOAN":
        return this.#planLoan(event, config);
      case "REQUEST":
        return this.#planRequest(event, config, logger);
      default:
        return { kind: "ignore", reason: `action ${event.action ?? "(none)"} is not handled`, level: "info" };
    }
  }

  #planJobEnd(event: WebhookEvent, config: Config): Plan {
    const jobId = event.job_instance?.job_info?.id;
    const status = event.job_instance?.status?.value;
    const from = event.institution?.value;
    if (!jobId) return { kind: "ignore", reason: "JOB_END without job_instance.job_info.id", level: "warn" };
    for (const route of JOB_END_ROUTES) {
      const institution = config.institutions.find(
        (inst) => inst[route.jobIdKey] === jobId && (from === undefined || inst.code === from),
      );
      if (!institution) continue;
      if (status !== SUCCESS) {
        return {
          kind: "ignore",
          reason: `job ${jobId} (${route.job}) of ${institution.code} ended ${status ?? "without a status"}, not ${SUCCESS}`,
          level: "info",
        };
      }
      const label = `${route.job} ${institution.code}`;
      const handler = this.#handlers.jobEnd[route.job];
      return {
        kind: "run",
        lane: "job",
        label,
        run: (context) =>
          this.#jobRuns.run(label, () =>
            handler
              ? runLocked(context, `${route.job}-${institution.code}`, () =>
                  handler(institution.code, context).then((summary) => outcomeOfBatch(summary)),
                )
              : Promise.reject(new NotHandledError(`${route.job} is not available in this build`)),
          ),
      };
    }
    return { kind: "ignore", reason: `job ${jobId} of ${from ?? "?"} is not configured`, level: "debug" };
  }

  #planLoan(event: WebhookEvent, config: Config): Plan {
    const notScf = this.#notFromScf(event, config);
    if (notScf) return notScf;
    if (event.event?.value !== "LOAN_RETURNED") {
      return {
        kind: "ignore",
        reason: `LOAN event ${event.event?.value ?? "(none)"} is not handled`,
        level: "debug",
      };
    }
    const barcode = scanInBarcodeOf(event);
    if (!barcode)
      return { kind: "ignore", reason: "LOAN_RETURNED without item_loan.item_barcode", level: "warn" };
    const handler = this.#handlers.scanIn;
    return {
      kind: "run",
      lane: "event",
      label: `scan-in ${barcode}`,
      run: (context) =>
        handler
          ? handler(barcode, context).then(outcomeOfSingle)
          : Promise.reject(new NotHandledError("scan-in is not available in this build")),
    };
  }

  #planRequest(event: WebhookEvent, config: Config, logger: Logger | undefined): Plan {
    const notScf = this.#notFromScf(event, config);
    if (notScf) return notScf;
    if (event.event?.value !== "REQUEST_CANCELED") {
      return {
        kind: "ignore",
        reason: `REQUEST event ${event.event?.value ?? "(none)"} is not handled`,
        level: "debug",
      };
    }
    const input = cancelInputOf(event, logger);
    if (!input) {
      return {
        kind: "ignore",
        reason: "REQUEST_CANCELED with neither a barcode nor a {Source Request …} comment",
        level: "info",
      };
    }
    const handler = this.#handlers.cancelRequest;
    return {
      kind: "run",
      lane: "event",
      label: `cancel-request ${input.scfBarcode ?? `request ${event.user_request?.request_id ?? "?"}`}`,
      run: (context) =>
        handler
          ? handler(input, context).then(outcomeOfSingle)
          : Promise.reject(new NotHandledError("cancel-request is not available in this build")),
    };
  }

  #notFromScf(event: WebhookEvent, config: Config): Plan | undefined {
    const from = event.institution?.value;
    if (config.remote_storage_inst && from === config.remote_storage_inst) return undefined;
    return {
      kind: "ignore",
      reason: `${event.action} events are handled only from the SCF ${config.remote_storage_inst ?? "(remote_storage_inst not set)"}, not from ${from ?? "(no institution)"}`,
      level: "info",
    };
  }
}

/** A job over many records: finished is done (failed records are in its report); aborted is retried. */
export function outcomeOfBatch(summary: RunSummary): Outcome {
  if (summary.aborted) return { status: "retry", message: summary.aborted };
  const failed = summary.failures.length;
  return failed > 0
    ? { status: "done", note: `${failed} record(s) failed, see ${summary.csvReport ?? "the report"}` }
    : { status: "done" };
}

/** A job over one record: aborted is retried; a failed record will fail the same way again. */
export function outcomeOfSingle(summary: RunSummary): Outcome {
  if (summary.aborted) return { status: "retry", message: summary.aborted };
  if (summary.failures.length > 0) {
    return { status: "failed", message: summary.failures.map((f) => describeFailure(f)).join("; ") };
  }
  return { status: "done" };
}

function describeFailure(failure: RunSummary["failures"][number]): string {
  return failure.step ? `${failure.step}: ${failure.message}` : failure.message;
}

/** Runs a JOB_END job under the same lock as its command, so a cron run and a webhook run never overlap. */
async function runLocked(context: RunContext, name: string, task: () => Promise<Outcome>): Promise<Outcome> {
  let lock;
  try {
    lock = await acquireLock(context.config.state_dir, name);
  } catch (error) {
    if (error instanceof LockedError) return { status: "retry", message: error.message };
    throw error;
  }
  try {
    return await task();
  } finally {
    await lock.release();
  }
}

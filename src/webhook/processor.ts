import { ConfigError } from "../config/config-error.js";
import type { Config } from "../config/config.js";
import { UsageError } from "../runtime/errors.js";
import { calculateRetryDelay } from "../runtime/backoff.js";
import type { Logger } from "../runtime/logger.js";
import type { Progress } from "../runtime/progress.js";
import type { RunContext } from "../runtime/run-context.js";
import { NotHandledError, type Dispatcher, type Lane, type Outcome, type Plan } from "./dispatcher.js";
import { describeEvent, parseWebhookEvent, type WebhookEvent } from "./event.js";
import type { AttemptRecord, Spool } from "./spool.js";

/** The longest wait between two tries of one event, whatever `retry_delay_ms` and the attempt number. */
const MAX_RETRY_DELAY_MS = 6 * 3600_000;
const KEEP_ERRORS = 10;
/** The error recorded for a try that a crash cut short (the event was found in `processing/` at start). */
export const INTERRUPTED = "interrupted: the listener stopped while processing it (crash?)";

export interface ProcessorOptions {
  spool: Spool;
  dispatcher: Dispatcher;
  /** The configuration in force (it changes on SIGHUP). */
  config: () => Config;
  logger: Logger;
  /** How many `event` runs (one item, one request) at once. */
  eventConcurrency: number;
  now?: () => number;
  random?: () => number;
}

/** The last time an event could not be processed. */
export interface LastFailure {
  id: string;
  at: string;
  message: string;
  /** The event was given up (moved to `failed/`) rather than kept for another try. */
  final: boolean;
}

interface Queued {
  id: string;
  lane: Lane;
}

const noProgress: Progress = { start() {}, setTotal() {}, increment() {}, stop() {} };

/**
 * The workers: take events from the spool in arrival order, run the dispatcher's plan for each, and move each
 * event to `done/`, back to `incoming/` for a later try (backoff with jitter), or to `failed/` after
 * `max_attempts`. `job` runs are not counted against the pool, so an hour-long sync never holds up a scan-in.
 */
export class Processor {
  readonly #options: ProcessorOptions;
  readonly #ready: Record<Lane, Queued[]> = { job: [], event: [] };
  readonly #running: Record<Lane, number> = { job: 0, event: 0 };
  readonly #queued = new Set<string>();
  /** Events in `processing/` whose run has not ended: a stop puts them back in `incoming/`. */
  readonly #claimed = new Set<string>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #controller = new AbortController();
  readonly #idleWaiters: (() => void)[] = [];
  #stopping = false;
  #lastFailure: LastFailure | undefined;

  constructor(options: ProcessorOptions) {
    this.#options = options;
  }

  get lastFailure(): LastFailure | undefined {
    return this.#lastFailure;
  }

  set lastFailure(failure: LastFailure | undefined) {
    this.#lastFailure = failure;
  }

  /**
   * Counts a failed try for every event a crash left in `processing/`, so an event that kills the process ends
   * in `failed/` after `max_attempts` instead of looping under `Restart=always`. Called on start, before
   * `loadPending` queues them with the others.
   */
  async recoverInterrupted(): Promise<void> {
    for (const id of this.#options.spool.ids("processing")) {
      await this.#record(id, { status: "retry", message: INTERRUPTED });
    }
  }

  /** Queues every event waiting in the spool (on start, and after a rescan). */
  async loadPending(): Promise<void> {
    for (const pending of await this.#options.spool.pending()) {
      if (this.#queued.has(pending.id)) continue;
      // Taken before the read below, so two reloads at once cannot queue one event twice.
      this.#queued.add(pending.id);
      const notBefore = pending.attempts.notBefore ? Date.parse(pending.attempts.notBefore) : 0;
      const raw = await this.#options.spool.read(pending.id).catch(() => undefined);
      const lane = raw ? this.#laneOf(raw) : "event";
      this.#schedule({ id: pending.id, lane }, notBefore - this.#now());
    }
  }

  /** Queues an event just accepted. */
  add(id: string, event: WebhookEvent): void {
    if (this.#queued.has(id)) return;
    this.#schedule({ id, lane: event.action === "JOB_END" ? "job" : "event" }, 0);
  }

  /** Resolves when nothing is queued, waiting for a retry or running (tests and `--replay`). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops taking events and aborts the runs under way; waits up to `graceMs` for them. Whatever was under way
   * goes back to `incoming/` without counting a try, even a run that outlives the grace (the process ends).
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stopping = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#ready.job.length = 0;
    this.#ready.event.length = 0;
    this.#controller.abort(new Error("the listener is stopping"));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.#inFlight]),
      new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
    for (const id of [...this.#claimed]) await this.#putBack(id);
  }

  #schedule(item: Queued, delayMs: number): void {
    if (this.#stopping) return;
    this.#queued.add(item.id);
    if (delayMs > 0) {
      this.#timers.set(
        item.id,
        setTimeout(() => {
          this.#timers.delete(item.id);
          this.#ready[item.lane].push(item);
          this.#pump();
        }, delayMs),
      );
      return;
    }
    this.#ready[item.lane].push(item);
    this.#pump();
  }

  #pump(): void {
    if (this.#stopping) return;
    for (const lane of ["job", "event"] as const) {
      const limit = lane === "job" ? Infinity : this.#options.eventConcurrency;
      while (this.#ready[lane].length > 0 && this.#running[lane] < limit) {
        const item = this.#ready[lane].shift()!;
        this.#running[lane] += 1;
        const run = this.#process(item).finally(() => {
          this.#running[lane] -= 1;
          this.#inFlight.delete(run);
          this.#pump();
          this.#notifyIdle();
        });
        this.#inFlight.add(run);
      }
    }
    this.#notifyIdle();
  }

  async #process(item: Queued): Promise<void> {
    const { spool, logger } = this.#options;
    const id = item.id;
    let raw: Buffer;
    try {
      raw = await spool.claim(id);
      this.#claimed.add(id);
    } catch (error) {
      this.#queued.delete(id);
      logger.error(`webhook event ${id}: cannot claim it from the spool: ${(error as Error).message}`);
      return;
    }
    let outcome: Outcome;
    try {
      outcome = await this.#run(id, raw);
    } catch (error) {
      // Retrying cannot mend a missing job or a configuration problem; anything else may pass by itself.
      const permanent =
        error instanceof NotHandledError || error instanceof ConfigError || error instanceof UsageError;
      outcome = { status: permanent ? "failed" : "retry", message: (error as Error).message };
    }
    // Not claimed any more: stop() has put it back after its grace.
    if (!this.#claimed.has(id)) return;
    if (this.#stopping) return this.#putBack(id);
    this.#claimed.delete(id);
    let retryInMs: number | undefined;
    try {
      retryInMs = await this.#record(id, outcome);
    } catch (error) {
      logger.error(
        `webhook event ${id}: cannot record its outcome in the spool: ${(error as Error).message}`,
      );
    }
    this.#queued.delete(id);
    if (retryInMs !== undefined) this.#schedule(item, retryInMs);
  }

  async #run(id: string, raw: Buffer): Promise<Outcome> {
    const { logger } = this.#options;
    const config = this.#options.config();
    let event: WebhookEvent;
    try {
      event = parseWebhookEvent(raw);
    } catch (error) {
      return { status: "failed", message: `unreadable event: ${(error as Error).message}` };
    }
    const plan: Plan = this.#options.dispatcher.plan(event, config, logger);
    if (plan.kind === "ignore") {
      logger.log(plan.level, `webhook event ${id} (${describeEvent(event)}) ignored: ${plan.reason}`);
      return { status: "done" };
    }
    logger.info(`webhook event ${id} (${describeEvent(event)}): ${plan.label}`);
    const context: RunContext = {
      config,
      logger,
      dryRun: false,
      progress: () => noProgress,
      signal: this.#controller.signal,
    };
    return plan.run(context);
  }

  /** Moves the event on according to its outcome; gives the wait before its next try, if any. */
  async #record(id: string, outcome: Outcome): Promise<number | undefined> {
    const { spool, logger } = this.#options;
    if (outcome.status === "done") {
      await spool.complete(id);
      // A retry that succeeded is no failure to look at any more: /health names the latest one in failed/.
      if (this.#lastFailure?.id === id) this.#lastFailure = await spool.latestFailure();
      if (outcome.note) logger.warn(`webhook event ${id} done: ${outcome.note}`);
      else logger.debug(`webhook event ${id} done`);
      return undefined;
    }
    const config = this.#options.config();
    const previous = await spool.attempts(id);
    const at = new Date(this.#now()).toISOString();
    const record: AttemptRecord = {
      attempts: previous.attempts + 1,
      errors: [...previous.errors, { at, message: outcome.message }].slice(-KEEP_ERRORS),
    };
    const final = outcome.status === "failed" || record.attempts >= config.webhook.max_attempts;
    this.#lastFailure = { id, at, message: outcome.message, final };
    if (final) {
      await spool.fail(id, record);
      logger.error(
        `webhook event ${id} failed after ${record.attempts} attempt(s), moved to failed/: ${outcome.message}`,
      );
      return undefined;
    }
    const delay = calculateRetryDelay(record.attempts, {
      initialDelayMs: config.webhook.retry_delay_ms,
      maxDelayMs: Math.max(config.webhook.retry_delay_ms, MAX_RETRY_DELAY_MS),
      ...(this.#options.random ? { random: this.#options.random } : {}),
    });
    record.notBefore = new Date(this.#now() + delay).toISOString();
    await spool.release(id, record);
    logger.warn(
      `webhook event ${id} attempt ${record.attempts} of ${config.webhook.max_attempts} failed, next in ${Math.round(delay / 1000)} s: ${outcome.message}`,
    );
    return delay;
  }

  async #putBack(id: string): Promise<void> {
    this.#claimed.delete(id);
    try {
      await this.#options.spool.unclaim(id);
    } catch (error) {
      this.#options.logger.error(
        `webhook event ${id}: cannot put it back in incoming/ on stop: ${(error as Error).message}`,
      );
    }
  }

  #laneOf(raw: Buffer): Lane {
    try {
      return parseWebhookEvent(raw).action === "JOB_END" ? "job" : "event";
    } catch {
      return "event";
    }
  }

  #isIdle(): boolean {
    return (
      this.#ready.job.length === 0 &&
      this.#ready.event.length === 0 &&
      this.#running.job === 0 &&
      this.#running.event === 0 &&
      this.#timers.size === 0
    );
  }

  #notifyIdle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}

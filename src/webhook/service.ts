import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigError } from "../config/config-error.js";
import type { Config } from "../config/config.js";
import { acquireLock, type RunLock } from "../runtime/lock.js";
import type { Logger } from "../runtime/logger.js";
import { Dispatcher, type WebhookHandlers } from "./dispatcher.js";
import { spoolIdOf } from "./event.js";
import { healthReport, type HealthReport } from "./health.js";
import { createWebhookListener } from "./listener.js";
import { Processor } from "./processor.js";
import { replayFailed, Spool } from "./spool.js";

/** Processed events are kept this long: their ids answer Alma's late retries (1 h, 3 h, 6 h) as duplicates. */
export const DONE_KEEP_MS = 14 * 24 * 3600_000;
const PRUNE_EVERY_MS = 24 * 3600_000;

export interface WebhookServiceOptions {
  config: Config;
  logger: Logger;
  handlers: WebhookHandlers;
  /** Start without a `webhook_secret`, accepting unsigned events (tests, a first trial behind a VPN). */
  insecureNoSignature?: boolean;
  /** Override `webhook.host` / `webhook.port` (0: any free port). */
  host?: string;
  port?: number;
  /** `event` runs at once (default: `max_number_of_threads`). */
  eventConcurrency?: number;
  /** Move `failed/` events back to the spool before starting. */
  replay?: boolean;
  /** Reads the configuration again (SIGHUP); none: a reload only rescans the spool. */
  loadConfig?: () => Promise<Config>;
  /** Masks secrets in what /health shows. */
  redact?: (text: string) => string;
  now?: () => number;
  random?: () => number;
}

/** The running listener: spool, workers and HTTP server, with reload, replay and a clean stop. */
export class WebhookService {
  readonly #options: WebhookServiceOptions;
  readonly #spool: Spool;
  readonly #processor: Processor;
  readonly #lock: RunLock;
  readonly #started: number;
  #config: Config;
  #server: Server | undefined;
  #pruneTimer: NodeJS.Timeout | undefined;

  private constructor(options: WebhookServiceOptions, spool: Spool, lock: RunLock) {
    this.#options = options;
    this.#config = options.config;
    this.#spool = spool;
    this.#lock = lock;
    this.#started = this.#now();
    this.#processor = new Processor({
      spool,
      dispatcher: new Dispatcher(options.handlers),
      config: () => this.#config,
      logger: options.logger,
      eventConcurrency: options.eventConcurrency ?? options.config.max_number_of_threads ?? 4,
      ...(options.now ? { now: options.now } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
  }

  /**
   * Takes the listener's lock (one process per spool), opens the spool (events a crash left in progress count
   * that try and wait again, or are set aside after `max_attempts`), starts the workers on what waits, then
   * listens. Throws ConfigError without a secret unless `insecureNoSignature`, and LockedError when another
   * listener runs.
   */
  static async start(options: WebhookServiceOptions): Promise<WebhookService> {
    const { config, logger } = options;
    if (!config.webhook_secret && !options.insecureNoSignature) {
      throw new ConfigError(
        'webhook_secret is not set: the listener will not accept unsigned events; set it ("env:NAME" keeps it ' +
          "out of the file) or give --insecure-no-signature for a trial",
      );
    }
    const lock = await acquireLock(config.state_dir, "serve-webhook");
    let service: WebhookService | undefined;
    try {
      if (options.replay) {
        const moved = await replayFailed(config.webhook.spool_dir);
        logger.info(`webhook replay: ${moved.length} failed event(s) moved back to the spool`);
      }
      const spool = await Spool.open(config.webhook.spool_dir, options.now ? { now: options.now } : {});
      service = new WebhookService(options, spool, lock);
      await service.#begin();
      return service;
    } catch (error) {
      if (service) await service.#closeServer();
      await lock.release();
      throw error;
    }
  }

  /** Where the listener answers. */
  get address(): { host: string; port: number } {
    const address = this.#server?.address() as AddressInfo | null | undefined;
    return { host: address?.address ?? "", port: address?.port ?? 0 };
  }

  get spool(): Spool {
    return this.#spool;
  }

  get config(): Config {
    return this.#config;
  }

  health(): HealthReport {
    const last = this.#processor.lastFailure;
    const redact = this.#options.redact ?? ((text: string) => text);
    return healthReport({
      counts: this.#spool.counts(),
      started: this.#started,
      now: this.#now(),
      lastFailure: last ? { ...last, message: redact(last.message) } : undefined,
      insecure: !this.#config.webhook_secret,
    });
  }

  /**
   * SIGHUP: reads the configuration again (a bad one is refused and the old one kept), then looks for events
   * moved back by an outside `--replay`. Host, port and spool folder take effect at the next start.
   */
  async reload(): Promise<boolean> {
    const { logger } = this.#options;
    let applied = false;
    if (this.#options.loadConfig) {
      try {
        const next = await this.#options.loadConfig();
        if (!next.webhook_secret && !this.#options.insecureNoSignature) {
          throw new Error("webhook_secret is not set");
        }
        for (const key of ["host", "port", "spool_dir"] as const) {
          if (next.webhook[key] !== this.#config.webhook[key]) {
            logger.warn(`configuration reload: webhook.${key} changes only at the next start`);
          }
        }
        this.#config = next;
        applied = true;
        logger.info("configuration reloaded");
      } catch (error) {
        logger.error(`configuration reload refused, the previous one stays: ${(error as Error).message}`);
      }
    }
    const found = await this.#spool.rescan();
    if (found.length > 0) logger.info(`webhook: ${found.length} event(s) found back in the spool`);
    await this.#processor.loadPending();
    return applied;
  }

  /** Moves `failed/` events back to the spool and queues them. */
  async replay(): Promise<number> {
    const moved = await replayFailed(this.#spool.dir);
    await this.#spool.rescan();
    await this.#processor.loadPending();
    this.#options.logger.info(`webhook replay: ${moved.length} failed event(s) moved back to the spool`);
    return moved.length;
  }

  /** Resolves when no event waits or runs (retries scheduled later count as waiting). */
  idle(): Promise<void> {
    return this.#processor.idle();
  }

  /**
   * Stops listening, lets runs under way finish for up to `graceMs` (what is left goes back to `incoming/`,
   * uncounted), and releases the lock.
   */
  async stop(graceMs = 10_000): Promise<void> {
    clearInterval(this.#pruneTimer);
    await this.#closeServer();
    await this.#processor.stop(graceMs);
    await this.#lock.release();
  }

  async #begin(): Promise<void> {
    const { logger } = this.#options;
    const config = this.#config;
    this.#processor.lastFailure = await this.#spool.latestFailure();
    const interrupted = this.#spool.counts().processing;
    if (interrupted > 0)
      logger.warn(`webhook: ${interrupted} event(s) were in progress when the listener last crashed`);
    await this.#processor.recoverInterrupted();
    await this.#prune();
    this.#pruneTimer = setInterval(() => void this.#prune(), PRUNE_EVERY_MS).unref();
    const counts = this.#spool.counts();
    if (counts.incoming > 0)
      logger.info(`webhook: ${counts.incoming} event(s) waiting in the spool are taken up`);
    await this.#processor.loadPending();
    if (!config.webhook_secret) {
      logger.warn("webhook: --insecure-no-signature: events are accepted WITHOUT checking their signature");
    }
    const server = createWebhookListener({
      settings: () => ({
        ...(this.#config.webhook_secret ? { secret: this.#config.webhook_secret } : {}),
        insecureNoSignature: this.#options.insecureNoSignature ?? false,
        bodyLimitBytes: this.#config.webhook.body_limit_bytes,
      }),
      accept: async (raw, event) => {
        const id = spoolIdOf(event, raw);
        const result = await this.#spool.accept(id, raw);
        if (result === "accepted") {
          logger.debug(`webhook event ${id} accepted (${raw.length} bytes)`);
          this.#processor.add(id, event);
        } else {
          logger.info(`webhook event ${id} delivered again: already in the spool, no second effect`);
        }
        return { id, result };
      },
      health: () => this.health(),
      logger,
    });
    this.#server = server;
    const host = this.#options.host ?? config.webhook.host;
    const port = this.#options.port ?? config.webhook.port;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    if (!["127.0.0.1", "::1", "localhost"].includes(host)) {
      logger.warn(
        `webhook: listening on ${host}, not on loopback: put it behind the TLS proxy (deploy/nginx.conf)`,
      );
    }
    logger.info(`webhook listener on http://${this.address.host}:${this.address.port}/webhook`);
  }

  async #prune(): Promise<void> {
    try {
      const removed = await this.#spool.pruneDone(DONE_KEEP_MS);
      if (removed > 0)
        this.#options.logger.debug(`webhook: ${removed} processed event(s) older than 14 days removed`);
    } catch (error) {
      this.#options.logger.warn(`webhook: cannot prune done/: ${(error as Error).message}`);
    }
  }

  async #closeServer(): Promise<void> {
    const server = this.#server;
    if (!server?.listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}

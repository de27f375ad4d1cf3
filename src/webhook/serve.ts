import type { Config, LoadedConfig } from "../config/config.js";
import { LockedError } from "../runtime/errors.js";
import type { Logger, LogLevel } from "../runtime/logger.js";
import type { WebhookHandlers } from "./dispatcher.js";
import { WebhookService } from "./service.js";
import { installSignalHandlers } from "./signals.js";
import { replayFailed } from "./spool.js";

export interface ServeOptions {
  loaded: LoadedConfig;
  logger: Logger;
  level: LogLevel;
  handlers: WebhookHandlers;
  host?: string;
  port?: number;
  replay?: boolean;
  insecureNoSignature?: boolean;
  reloadConfig: () => Promise<LoadedConfig>;
  /** The log level a reloaded configuration gives (the command's precedence). */
  levelFor?: (config: Config) => LogLevel | undefined;
  redact?: (text: string) => string;
}

/** How `serve-webhook` ended. */
export type ServeResult =
  | { kind: "stopped" }
  /** `--replay` while a listener runs: the events were moved back and that listener told to take them. */
  | { kind: "replayed-into-running"; moved: number; pid: number };

/**
 * `alma-rs serve-webhook`: runs the listener until SIGTERM/SIGINT. With `--replay` and a listener already
 * running, moves `failed/` back and sends it SIGHUP (it rescans its spool) instead of starting a second one.
 */
export async function serveWebhook(options: ServeOptions): Promise<ServeResult> {
  const { loaded, logger } = options;
  let service: WebhookService;
  try {
    service = await WebhookService.start({
      config: loaded.config,
      logger,
      handlers: options.handlers,
      ...(options.host !== undefined ? { host: options.host } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.insecureNoSignature ? { insecureNoSignature: true } : {}),
      ...(options.replay ? { replay: true } : {}),
      ...(options.redact ? { redact: options.redact } : {}),
      loadConfig: async () => (await options.reloadConfig()).config,
    });
  } catch (error) {
    if (options.replay && error instanceof LockedError && error.holderPid > 0) {
      const moved = await replayFailed(loaded.config.webhook.spool_dir);
      process.kill(error.holderPid, "SIGHUP");
      logger.info(
        `webhook replay: ${moved.length} event(s) moved back; listener pid ${error.holderPid} told to take them`,
      );
      return { kind: "replayed-into-running", moved: moved.length, pid: error.holderPid };
    }
    throw error;
  }
  const { stopped } = installSignalHandlers(service, {
    logger,
    level: options.level,
    ...(options.levelFor ? { levelFor: options.levelFor } : {}),
  });
  await stopped;
  return { kind: "stopped" };
}

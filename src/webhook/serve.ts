import { hostname } from "node:os";
import type { Config, LoadedConfig } from "../config/config.js";
import { LockedError } from "../runtime/errors.js";
import { readLockHolder, type LockContent } from "../runtime/lock.js";
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
  | { kind: "replayed-into-running"; moved: number; pid: number }
  /** `--replay` while a listener runs that this process cannot signal (another host, or it just stopped). */
  | { kind: "replayed-not-signalled"; moved: number; reason: string };

/** Whom `--replay` tells to take the events it moved back. */
export type ReplayNotice = { kind: "signal"; pid: number } | { kind: "by-hand"; reason: string };

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
      return replayIntoRunning(loaded.config.webhook.spool_dir, error.lockFile, logger);
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

/**
 * A pid is signalled only when the lock was written on this host: another host's pid names some unrelated
 * process here, which SIGHUP (default action: terminate) would kill.
 */
export function replayNoticeFor(holder: LockContent | undefined, thisHost: string): ReplayNotice {
  if (!holder) {
    return { kind: "by-hand", reason: "the listener has stopped since; its next start takes them" };
  }
  if (holder.host !== thisHost) {
    return {
      kind: "by-hand",
      reason: `the listener runs on ${holder.host}, not here: reload it there (systemctl reload alma-rs-webhook) to take them`,
    };
  }
  return { kind: "signal", pid: holder.pid };
}

async function replayIntoRunning(spoolDir: string, lockFile: string, logger: Logger): Promise<ServeResult> {
  const moved = (await replayFailed(spoolDir)).length;
  const notice = replayNoticeFor(await readLockHolder(lockFile), hostname());
  if (notice.kind === "by-hand") {
    logger.warn(`webhook replay: ${moved} event(s) moved back; ${notice.reason}`);
    return { kind: "replayed-not-signalled", moved, reason: notice.reason };
  }
  process.kill(notice.pid, "SIGHUP");
  logger.info(`webhook replay: ${moved} event(s) moved back; listener pid ${notice.pid} told to take them`);
  return { kind: "replayed-into-running", moved, pid: notice.pid };
}

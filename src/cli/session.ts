import { loadConfig } from "../config/load.js";
import type { LoadedConfig } from "../config/config.js";
import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from "../runtime/logger.js";
import { Redactor } from "../runtime/redactor.js";
import { UsageError } from "../runtime/errors.js";
import type { GlobalOptions } from "./global-options.js";
import { fetchRemoteConfig } from "./remote-config.js";

export interface Session {
  loaded: LoadedConfig;
  logger: Logger;
  redactor: Redactor;
  level: LogLevel;
}

/** Loads the configuration and builds the logger a command runs with. */
export async function openSession(
  options: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Session> {
  const loaded = await loadConfig({ configPath: options.config, env, fetchRemote: fetchRemoteConfig });
  const redactor = new Redactor(loaded.secrets);
  const level = chooseLevel(options, env, loaded.config.log.level);
  const logger = createLogger({
    level,
    fileLevel: chooseFileLevel(options, env, loaded.config.log.level) ?? level,
    folder: loaded.config.log.folder,
    keepDays: loaded.config.log.keep_days,
    redactor,
  });
  for (const warning of loaded.warnings) logger.warn(`configuration ${loaded.source}: ${warning}`);
  logger.debug(`configuration read from ${loaded.source}`);
  return { loaded, logger, redactor, level };
}

/**
 * The level on stderr: --log-level, else LOG_LEVEL, else errors only with --quiet, else the config's log.level;
 * otherwise info on a terminal and warn under cron (stderr not a terminal), so cron mails only what needs a look.
 * --quiet beats the config: a crontab's `--quiet` must hold whatever the shared config file says.
 */
export function chooseLevel(options: GlobalOptions, env: NodeJS.ProcessEnv, configured?: LogLevel): LogLevel {
  const explicit = explicitLevel(options, env);
  if (explicit !== undefined) return explicit;
  if (options.quiet) return "error";
  if (configured !== undefined) return checked(configured);
  return process.stderr.isTTY ? "info" : "warn";
}

/** The level of the log file: --log-level, else LOG_LEVEL, else the config's log.level (--quiet is for stderr). */
export function chooseFileLevel(
  options: GlobalOptions,
  env: NodeJS.ProcessEnv,
  configured?: LogLevel,
): LogLevel | undefined {
  const explicit = explicitLevel(options, env);
  if (explicit !== undefined) return explicit;
  return configured === undefined ? undefined : checked(configured);
}

function explicitLevel(options: GlobalOptions, env: NodeJS.ProcessEnv): LogLevel | undefined {
  const explicit = options.logLevel ?? (env.LOG_LEVEL?.toLowerCase() as LogLevel | undefined);
  return explicit === undefined ? undefined : checked(explicit);
}

function checked(level: LogLevel): LogLevel {
  if (!LOG_LEVELS.includes(level)) {
    throw new UsageError(`log level must be one of ${LOG_LEVELS.join(", ")}, not "${String(level)}"`);
  }
  return level;
}

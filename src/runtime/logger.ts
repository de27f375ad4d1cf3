import winston from "winston";
import DailyRotateFile from "winston-daily-rotate-file";
import type { Redactor } from "./redactor.js";

export type LogLevel = "error" | "warn" | "info" | "debug";
export const LOG_LEVELS: readonly LogLevel[] = ["error", "warn", "info", "debug"];
export type Logger = winston.Logger;

export interface LoggerOptions {
  /** Level for the terminal (stderr). */
  level: LogLevel;
  /** Level for the file (default `level`); the file gets at least `info`, or this level when it is finer. */
  fileLevel?: LogLevel;
  /** Folder for the daily JSON-lines file; none → no file. */
  folder?: string;
  keepDays?: number;
  redactor: Redactor;
  /** Write human-readable lines to stderr (default true). */
  console?: boolean;
}

const SPLAT = Symbol.for("splat");

/** Applied to every record before any transport sees it, so no log call can bypass it. */
const redact = (redactor: Redactor) =>
  winston.format((info) => {
    for (const key of Object.keys(info)) {
      info[key] = redactor.field(key, info[key]);
    }
    const splat = (info as Record<symbol, unknown>)[SPLAT];
    if (Array.isArray(splat)) (info as Record<symbol, unknown>)[SPLAT] = splat.map((v) => redactor.value(v));
    return info;
  })();

const humanLine = winston.format.printf((info) => {
  const { level, message, timestamp, stack, ...rest } = info as Record<string, unknown>;
  const meta = Object.entries(rest)
    .filter(([key]) => key !== "service")
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  const text = typeof stack === "string" && LOG_LEVEL_IS_DEBUG.has(String(level)) ? stack : String(message);
  return `${String(timestamp)} ${String(level).padEnd(5)} ${text}${meta ? ` ${meta}` : ""}`;
});
const LOG_LEVEL_IS_DEBUG = new Set(["debug"]);
const withPid = winston.format((info) => Object.assign(info, { pid: process.pid }));

const REDACTOR = Symbol("alma-rs.redactor");

export function createLogger(options: LoggerOptions): Logger {
  const transports: winston.transport[] = [];
  if (options.console !== false) {
    transports.push(
      new winston.transports.Console({
        level: options.level,
        stderrLevels: [...LOG_LEVELS],
        format: winston.format.combine(winston.format.timestamp(), humanLine),
      }),
    );
  }
  if (options.folder) {
    transports.push(
      new DailyRotateFile({
        dirname: options.folder,
        filename: "alma-rs-%DATE%.log",
        datePattern: "YYYY-MM-DD",
        maxFiles: `${options.keepDays ?? 30}d`,
        level: finer(options.fileLevel ?? options.level, "info"),
        // The pid tells apart the lines of runs that overlap in one day's file.
        format: winston.format.combine(winston.format.timestamp(), withPid(), winston.format.json()),
      }),
    );
  }
  const logger = winston.createLogger({
    level: "debug",
    format: winston.format.combine(winston.format.errors({ stack: true }), redact(options.redactor)),
    transports,
  });
  Object.defineProperty(logger, REDACTOR, { value: options.redactor });
  return logger;
}

/**
 * The redactor a logger was made with (its children share it), for what a run writes besides the log: the CSV
 * report and the JSON summary. `undefined` for a logger not made by `createLogger`.
 */
export function redactorOf(logger: Logger): Redactor | undefined {
  return (logger as unknown as Record<symbol, Redactor | undefined>)[REDACTOR];
}

/** Changes the level of every transport (SIGUSR2, --log-level reload). */
export function setLogLevel(logger: Logger, level: LogLevel): void {
  for (const transport of logger.transports) {
    transport.level = transport instanceof DailyRotateFile ? finer(level, "info") : level;
  }
}

/** Waits until every transport has written what it was given (before exit). */
export async function closeLogger(logger: Logger): Promise<void> {
  const files = logger.transports.filter((t) => t instanceof DailyRotateFile);
  const done = Promise.all(
    files.map((transport) => new Promise<void>((resolve) => transport.once("finish", () => resolve()))),
  );
  logger.end();
  // A cap so a stuck disk cannot hold the process forever; generous, because a loaded machine can take seconds
  // to open a new day's file.
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
}

/** A logger that writes nowhere (tests, library use). */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true });
}

function finer(a: LogLevel, b: LogLevel): LogLevel {
  return LOG_LEVELS.indexOf(a) > LOG_LEVELS.indexOf(b) ? a : b;
}

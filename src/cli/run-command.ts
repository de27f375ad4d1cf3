import type { Command } from "commander";
import { ConfigError } from "../config/config-error.js";
import { AbortError, LockedError, UsageError } from "../runtime/errors.js";
import { ExitCode } from "../runtime/exit-codes.js";
import { acquireLock } from "../runtime/lock.js";
import { closeLogger, type Logger } from "../runtime/logger.js";
import { createProgress } from "../runtime/progress.js";
import { exitCodeFor, type RunSummary } from "../runtime/run-report.js";
import type { RunContext } from "../runtime/run-context.js";
import { globalOptions } from "./global-options.js";
import { openSession } from "./session.js";
import { printSummary, summaryHeadline } from "./print-summary.js";

export interface JobCommandOptions {
  /** Lock name (job and institution): one run at a time. None: no lock. */
  lock?: (context: RunContext) => string | undefined;
}

/**
 * Runs one job for a command: opens the session, takes the lock, runs, prints the summary, and sets the exit
 * code of the contract. Every expected failure becomes a one-line message, never a stack.
 */
export async function runJobCommand(
  command: Command,
  job: (context: RunContext) => Promise<RunSummary>,
  options: JobCommandOptions = {},
): Promise<void> {
  const flags = globalOptions(command);
  let logger: Logger | undefined;
  let source: string | undefined;
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    const session = await openSession(flags);
    logger = session.logger;
    source = session.loaded.source;
    const context: RunContext = {
      config: session.loaded.config,
      logger,
      dryRun: flags.dryRun ?? false,
      progress: () => createProgress({ quiet: flags.quiet }),
      signal: controller.signal,
    };
    const lockName = options.lock?.(context);
    const lock = lockName ? await acquireLock(context.config.state_dir, lockName) : undefined;
    try {
      const summary = await job(context);
      printSummary(summary, flags);
      // The log file keeps each run's account (stderr under cron shows warnings only).
      logger.info(`${summaryHeadline(summary)} ${JSON.stringify(summary.counts)}`);
      process.exitCode = exitCodeFor(summary);
      if (summary.aborted) logger.error(`${summary.job} aborted: ${summary.aborted}`);
    } finally {
      await lock?.release();
    }
  } catch (error) {
    process.exitCode = reportError(withSource(error, source), logger);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    if (logger) await closeLogger(logger);
  }
}

/** A job's ConfigError names the configuration file it is about, as the loader's errors do. */
function withSource(error: unknown, source: string | undefined): unknown {
  if (!(error instanceof ConfigError) || error.source !== undefined || source === undefined) return error;
  return new ConfigError(
    `${error.headline} (configuration: ${source})`,
    error.problems,
    source,
    error.warnings,
  );
}

/** Prints an error the way the person reading cron mail needs it and returns its exit code. */
export function reportError(error: unknown, logger?: Logger): ExitCode {
  const code = exitCodeForError(error);
  const message = error instanceof Error ? error.message : String(error);
  if (logger) {
    logger.error(message);
    if (code === ExitCode.Aborted && error instanceof Error && !(error instanceof AbortError)) {
      logger.debug(error.stack ?? message);
    }
  } else {
    process.stderr.write(`alma-rs: ${message}\n`);
  }
  return code;
}

export function exitCodeForError(error: unknown): ExitCode {
  if (error instanceof ConfigError || error instanceof UsageError) return ExitCode.Usage;
  if (error instanceof LockedError) return ExitCode.Locked;
  return ExitCode.Aborted;
}

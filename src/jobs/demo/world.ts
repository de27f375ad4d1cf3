import type { Config } from "../../config/config.js";
import { validateConfig } from "../../config/validate.js";
import { createLogger, type Logger, type LogLevel } from "../../runtime/logger.js";
import { createProgress } from "../../runtime/progress.js";
import { Redactor } from "../../runtime/redactor.js";
import type { RunContext } from "../../runtime/run-context.js";
import type { InstitutionState, ItemRecord, LoanRecord, RequestRecord } from "../../sandbox/alma/index.js";
import type { Sandbox } from "../../sandbox/consortium/index.js";

/** The sandbox, its configuration as a job sees it, and views of the simulators' state for the checks. */
export interface DemoWorld {
  sandbox: Sandbox;
  config: Config;
  logger: Logger;
  /** A run's context, as a command gives it: the configuration, the logger, no dry run, no progress bar. */
  context(): RunContext;
  institution(code: string): InstitutionState;
  /** An item of an institution by barcode. */
  item(code: string, barcode: string): ItemRecord | undefined;
  /** The item's active loan in its institution. */
  activeLoan(code: string, item: ItemRecord): LoanRecord | undefined;
  /** The requests on an item that are not cancelled or completed. */
  activeRequests(code: string, item: ItemRecord): RequestRecord[];
  request(code: string, requestId: string): RequestRecord | undefined;
}

export interface DemoWorldOptions {
  /** The terminal's log level (the log file always gets info and above). */
  logLevel: LogLevel;
  signal: AbortSignal;
}

export function demoWorld(sandbox: Sandbox, options: DemoWorldOptions): DemoWorld {
  const loaded = validateConfig(sandbox.config, { source: "the sandbox", baseDir: sandbox.dir, env: {} });
  const config = loaded.config;
  const logger = createLogger({
    level: options.logLevel,
    folder: config.log.folder,
    keepDays: config.log.keep_days,
    redactor: new Redactor(loaded.secrets),
  });
  const institution = (code: string) => sandbox.alma.institution(code);
  const ended = new Set(["CANCELLED", "COMPLETED"]);
  return {
    sandbox,
    config,
    logger,
    context: () => ({
      config,
      logger,
      dryRun: false,
      progress: () => createProgress({ quiet: true }),
      signal: options.signal,
    }),
    institution,
    item: (code, barcode) => institution(code).items.find((item) => item.item_data.barcode === barcode),
    activeLoan: (code, item) =>
      institution(code).loans.find((loan) => loan.item_id === item.pid && loan.loan_status === "ACTIVE"),
    activeRequests: (code, item) =>
      institution(code).requests.filter(
        (request) => request.item_id === item.pid && !ended.has(request.request_status),
      ),
    request: (code, requestId) =>
      institution(code).requests.find((request) => request.request_id === requestId),
  };
}

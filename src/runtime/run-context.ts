import type { Config } from "../config/config.js";
import type { Logger } from "./logger.js";
import type { Progress } from "./progress.js";

/** What every job is given by the command that runs it: no globals. */
export interface RunContext {
  config: Config;
  logger: Logger;
  /** Read everything, write nothing to Alma, CaiaSoft or the file servers. */
  dryRun: boolean;
  /** A new progress display (a bar on a terminal, nothing otherwise). */
  progress: () => Progress;
  /** Aborted on SIGINT/SIGTERM: jobs stop taking new work and finish what is under way. */
  signal: AbortSignal;
}

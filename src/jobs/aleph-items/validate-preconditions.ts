import path from "node:path";
import type { AlephConfig, CaiasoftConfig, Config } from "../../config/config.js";
import { ConfigError } from "../../config/config-error.js";
import { UsageError } from "../../runtime/errors.js";
import type { RetryPolicy } from "../../runtime/http-retry.js";

/** Options of one run that do not come from the configuration. */
export interface AlephItemsOptions {
  /** `--since <starttime>`: query this window instead of the checkpoint's; the checkpoint is left alone. */
  since?: string;
  /** Overrides of the retry policy (tests use tiny delays). */
  retry?: Partial<RetryPolicy>;
  /** The run's name in `runs/` (default: the start time and the pid). */
  runId?: string;
  /** Clock for run ids and the pruning of run files (never for Aleph's timestamps). */
  now?: () => Date;
}

/** Everything a run needs, checked before anything is read or written. */
export interface AlephItemsSettings {
  aleph: AlephConfig;
  /** Absent only in a dry run, which sends nothing. */
  caiasoft?: CaiasoftConfig;
  batchSize: number;
  since?: string;
  dryRun: boolean;
  /** `{state_dir}/aleph-items/state.json`. */
  stateFile: string;
  /** `{state_dir}/aleph-items/runs`. */
  runsDir: string;
  reportFolder: string;
  /** Retries of Aleph calls (`aleph.retry_*`). */
  alephRetry: RetryPolicy;
  /** Retries of CaiaSoft calls (`caiasoft.retry_*`). */
  caiasoftRetry: RetryPolicy;
  /** `aleph.keep_run_files_days`: older run folders are removed at the start of a run. */
  keepRunFilesDays: number;
}

/** Aleph's timestamps are digits, most significant first: a date (`20200601`) or a date and a time. */
const ALEPH_TIMESTAMP = /^\d{8,14}$/;

/**
 * Step 1: the configuration has what the job needs and `--since` looks like an Aleph timestamp.
 * Throws ConfigError (exit 2) listing every missing section, or UsageError (exit 2) for `--since`.
 */
export function validatePreconditions(
  config: Config,
  options: AlephItemsOptions,
  dryRun: boolean,
): AlephItemsSettings {
  const problems: string[] = [];
  if (!config.aleph) problems.push("aleph: missing (aleph.items_url is required)");
  if (!config.caiasoft && !dryRun)
    problems.push("caiasoft: missing (caiasoft.base_url and caiasoft.api_key are required)");
  if (problems.length > 0 || !config.aleph) throw new ConfigError("aleph-items cannot run", problems);
  if (options.since !== undefined && !ALEPH_TIMESTAMP.test(options.since)) {
    throw new UsageError(
      `--since must be an Aleph timestamp of 8 to 14 digits such as 20200601 or 202006011300, not "${options.since}"`,
    );
  }
  const folder = path.join(config.state_dir, "aleph-items");
  return {
    aleph: config.aleph,
    caiasoft: config.caiasoft,
    batchSize: config.caiasoft?.batch_size ?? 500,
    since: options.since,
    dryRun,
    stateFile: path.join(folder, "state.json"),
    runsDir: path.join(folder, "runs"),
    reportFolder: config.report_file_folder,
    alephRetry: { ...retryPolicyOf(config.aleph), ...options.retry },
    caiasoftRetry: { ...retryPolicyOf(config.caiasoft), ...options.retry },
    keepRunFilesDays: config.aleph.keep_run_files_days,
  };
}

/** A service section's retry keys as a policy (defaults apply when the section is absent). */
function retryPolicyOf(
  section: { retry_attempts: number; retry_initial_delay_ms: number; retry_max_delay_ms: number } | undefined,
): RetryPolicy {
  if (!section) return { attempts: 5, initialDelayMs: 1_000, maxDelayMs: 300_000 };
  return {
    attempts: section.retry_attempts,
    initialDelayMs: section.retry_initial_delay_ms,
    maxDelayMs: section.retry_max_delay_ms,
  };
}

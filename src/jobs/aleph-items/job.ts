import path from "node:path";
import { AlephItemsClient } from "../../aleph/items-client.js";
import { CaiasoftClient } from "../../caiasoft/client.js";
import type { Logger } from "../../runtime/logger.js";
import { RunReport, type RunSummary } from "../../runtime/run-report.js";
import type { RunContext } from "../../runtime/run-context.js";
import { startOfWindow, withPageDone, withPageReceived, type Checkpoint } from "./checkpoint.js";
import { CheckpointFile } from "./checkpoint-file.js";
import { queryPage } from "./query-page.js";
import { newRunId, pruneRunFolders, RunFiles } from "./run-files.js";
import { sendBatches } from "./send-batches.js";
import {
  validatePreconditions,
  type AlephItemsOptions,
  type AlephItemsSettings,
} from "./validate-preconditions.js";

export const JOB_NAME = "aleph-items";

/**
 * `alma-rs aleph-items`: Aleph's new and updated items → CaiaSoft, one window per run, resumable without
 * gaps (seed 002, docs/adr/0004-aleph-checkpoint.md). The steps, in order:
 *
 * 1. validate preconditions   2. load the checkpoint   then, page by page:
 * 3. query the page           4. save Aleph's answer (and read it)
 * 5. send new items           6. send updated items    (in batches; batches already accepted are skipped)
 * 7. advance the checkpoint   8. loop while Aleph gives a `nextitem`
 */
export async function runAlephItems(
  context: RunContext,
  options: AlephItemsOptions = {},
): Promise<RunSummary> {
  const settings = validatePreconditions(context.config, options, context.dryRun);
  const { logger } = context;
  const now = options.now ?? (() => new Date());
  const runId = options.runId ?? newRunId(now());
  const report = new RunReport({
    job: JOB_NAME,
    reportName: "AlephItems",
    reportFolder: settings.reportFolder,
    dryRun: context.dryRun,
    logger,
    now,
  });
  const files = new RunFiles(path.join(settings.runsDir, runId));
  const checkpointFile = new CheckpointFile(settings.stateFile);
  // A dry run and a --since run read Aleph's window but never move the stored checkpoint.
  const persistent = !settings.dryRun && settings.since === undefined;
  const saveCheckpoint = persistent
    ? (checkpoint: Checkpoint) => checkpointFile.save(checkpoint, runId, now())
    : () => Promise.resolve();
  const { aleph, caiasoft } = createClients(settings, context);
  const sendContext = {
    caiasoft,
    files,
    report,
    logger,
    batchSize: settings.batchSize,
    dryRun: settings.dryRun,
    saveCheckpoint,
    signal: context.signal,
  };
  report.detail("runFiles", files.dir);
  let checkpoint: Checkpoint | undefined;
  try {
    if (!settings.dryRun) await pruneOldRunFiles(settings, runId, now(), logger);
    checkpoint = await loadCheckpoint(settings, checkpointFile, logger);
    report.detail("checkpointBefore", describeCheckpoint(checkpoint));
    for (let iteration = 1; ; iteration++) {
      context.signal.throwIfAborted();
      const page = await queryPage(checkpoint, iteration, { aleph, files, report, logger });
      const received = withPageReceived(checkpoint, page);
      if (received !== checkpoint) await saveCheckpoint(received);
      checkpoint = received;
      checkpoint = await sendBatches("new", page.new, checkpoint, iteration, sendContext);
      checkpoint = await sendBatches("update", page.update, checkpoint, iteration, sendContext);
      const advanced = withPageDone(checkpoint, page, runId);
      checkpoint = advanced.checkpoint;
      await saveCheckpoint(checkpoint);
      if (advanced.windowDone) break;
    }
  } catch (error) {
    report.abort(abortReason(error, context.signal, persistent ? checkpoint : undefined));
    if (error instanceof Error && error.stack) logger.debug(error.stack);
  }
  if (checkpoint) report.detail("checkpointAfter", describeCheckpoint(checkpoint));
  report.detail(
    "checkpoint",
    persistent
      ? settings.stateFile
      : `${settings.stateFile} left unchanged (${settings.dryRun ? "--dry-run" : "--since"})`,
  );
  return report.finish();
}

function createClients(
  settings: AlephItemsSettings,
  context: RunContext,
): { aleph: AlephItemsClient; caiasoft: CaiasoftClient | undefined } {
  const common = { logger: context.logger, signal: context.signal };
  const aleph = new AlephItemsClient({
    itemsUrl: settings.aleph.items_url,
    timeoutMs: settings.aleph.timeout_ms,
    retry: settings.alephRetry,
    ...common,
  });
  const caiasoft =
    settings.caiasoft && !settings.dryRun
      ? new CaiasoftClient({
          baseUrl: settings.caiasoft.base_url,
          apiKey: settings.caiasoft.api_key,
          timeoutMs: settings.caiasoft.timeout_ms,
          retry: settings.caiasoftRetry,
          ...common,
        })
      : undefined;
  return { aleph, caiasoft };
}

/** Step 2: `--since`, else the stored checkpoint, else the first window from aleph.default_start. */
async function loadCheckpoint(
  settings: AlephItemsSettings,
  checkpointFile: CheckpointFile,
  logger: Logger,
): Promise<Checkpoint> {
  if (settings.since !== undefined) {
    logger.info(`--since ${settings.since}: syncing that window; the checkpoint is left unchanged`);
    return startOfWindow(settings.since);
  }
  const stored = await checkpointFile.load();
  if (stored) return stored;
  logger.info(
    `no checkpoint yet: first window starts at aleph.default_start ${settings.aleph.default_start}`,
  );
  return startOfWindow(settings.aleph.default_start);
}

async function pruneOldRunFiles(
  settings: AlephItemsSettings,
  runId: string,
  now: Date,
  logger: Logger,
): Promise<void> {
  const removed = await pruneRunFolders(settings.runsDir, settings.keepRunFilesDays, now, runId);
  if (removed.length > 0) {
    logger.info(
      `removed ${removed.length} run folders older than ${settings.keepRunFilesDays} days from ${settings.runsDir}`,
    );
  }
}

function describeCheckpoint(checkpoint: Checkpoint): Record<string, unknown> {
  const { starttime, endtime, nextitem, page } = checkpoint;
  return { starttime, endtime, nextitem, page };
}

function abortReason(error: unknown, signal: AbortSignal, checkpoint: Checkpoint | undefined): string {
  const resume = checkpoint
    ? `; the next run resumes at page ${checkpoint.page} of the window starting ${checkpoint.starttime}`
    : "";
  if (signal.aborted) return `interrupted${resume}`;
  const message = error instanceof Error ? error.message : String(error);
  return `${message}${resume}`;
}

import path from "node:path";
import { ConfigError } from "../../config/config-error.js";
import { AbortError } from "../../runtime/errors.js";
import type { Config, InstitutionConfig } from "../../config/config.js";
import { recordToXml } from "../../marc/writer.js";
import type { RunContext } from "../../runtime/run-context.js";
import { RunReport, type RunSummary } from "../../runtime/run-report.js";
import { isPublishingFileName, type InputFile } from "./input-file.js";
import type { ItemSyncDeps } from "./item-sync.js";
import { LoanJournal } from "./loan-journal.js";
import { LoanScheduler } from "./loan-scheduler.js";
import { finishOwedLoans, planOwedLoans } from "./owed-loans.js";
import { processPublishingFile, type FileResult } from "./process-file.js";
import { inPublishingOrder } from "./publishing-order.js";
import type { SyncItemsAlma } from "./scf-port.js";
import { ScfStructure } from "./scf-structure.js";

export interface SyncItemsOptions {
  institution: string;
}

/** Where the job's inputs and Alma come from: the real clients, or the sandbox in tests. */
export interface SyncItemsSources {
  alma: SyncItemsAlma;
  /** The publishing files: `--file` paths, or files claimed from `{main_folder}/{INST}/items/`. */
  inputs: (report: RunReport) => Promise<InputFile[]>;
  /** Renames an archived file to a name that marks it damaged; resolves to that name. */
  markDamaged?: (archived: string) => Promise<string>;
}

/**
 * sync-items (seed 001 §6): validate → finish loans a previous run still owed → for each publishing file, oldest
 * first, stream its items through the rules → release or restore the file → wait for the delayed loans → summary.
 */
export async function runSyncItems(
  context: RunContext,
  options: SyncItemsOptions,
  sources: SyncItemsSources,
): Promise<RunSummary> {
  const { config, logger, dryRun } = context;
  const institution = institutionOf(config, options.institution);
  const scf = scfSettings(config);
  const report = new RunReport({
    job: "sync-items",
    institution: institution.code,
    reportName: "SyncItems",
    reportFolder: config.report_file_folder,
    dryRun,
    logger,
  });
  const journal = await LoanJournal.open(config.state_dir, institution.code);
  const loans = new LoanScheduler(
    sources.alma,
    journal,
    config.sync_items.loan_delay_ms,
    logger,
    (target, outcome) => {
      // A loan cut short by SIGTERM stays in the journal and is made next run: no failure.
      if (outcome instanceof Error && context.signal.aborted) return;
      if (outcome instanceof Error)
        report.fail({ barcode: target.scfBarcode, step: "create loan", message: outcome.message });
      else report.count(outcome === "loaned" ? "loaned" : `loan not made: ${outcome}`);
    },
  );
  const deps: ItemSyncDeps = {
    alma: sources.alma,
    structure: new ScfStructure(sources.alma, {
      ...scf,
      dryRun,
      onCreated: (what, description) =>
        dryRun
          ? report.plan({ action: `create ${what}`, target: `SCF ${what} ${description}` })
          : report.count(`${what}s created`),
    }),
    journal,
    loans,
    report,
    logger,
    config,
    institution,
    dryRun,
    bibXml: (record) => `<bib>${recordToXml(record)}</bib>`,
  };

  const delayMs = config.sync_items.loan_delay_ms;
  try {
    if (dryRun) await planOwedLoans({ journal, loans, report });
    else await finishOwedLoans({ journal, loans, report, delayMs, signal: context.signal });
  } catch (error) {
    if (!(error instanceof AbortError)) throw error;
    report.abort(error.message);
  }
  // Alma cannot be used: no file is claimed, so none waits claimed for the next run to put back.
  const files = report.summary.aborted ? [] : inPublishingOrder(await sources.inputs(report));
  report.detail(
    "files",
    files.map((f) => f.name),
  );
  const progress = context.progress();
  progress.start(0, `sync-items ${institution.code}`);
  for (const file of files) {
    if (context.signal.aborted || report.summary.aborted) {
      await settleFile(file, false, dryRun, report, context);
      continue;
    }
    if (!isPublishingFileName(file.name)) {
      await archiveUnusable(file, "not a tar.gz or MARC-XML file: skipped", "files rejected", dryRun, report);
      continue;
    }
    let result: FileResult = { complete: false };
    try {
      result = await processPublishingFile(file, deps, {
        concurrency: concurrencyOf(config),
        progress,
        signal: context.signal,
      });
    } catch (error) {
      if (!(error instanceof AbortError)) throw error;
      report.abort(error.message);
    }
    if (result.damaged === undefined) await settleFile(file, result.complete, dryRun, report, context);
    else {
      const reason = `${result.damaged}; read up to the fault`;
      await archiveUnusable(file, reason, "files damaged", dryRun, report, sources.markDamaged);
    }
  }
  progress.stop();
  await loans.drain();
  if (context.signal.aborted && !report.summary.aborted) {
    report.abort("interrupted; re-run to finish (nothing is done twice)");
  }
  return report.finish();
}

/**
 * Reports a file that is not a publishing file, or is damaged, then archives it like a processed one (never
 * deletes it), under a name `markDamaged` gives when given: put back, every later run would take it and fail on
 * it again, and a damaged file replayed after a newer `_delete` file would bring withdrawn items back.
 */
async function archiveUnusable(
  file: InputFile,
  reason: string,
  outcome: string,
  dryRun: boolean,
  report: RunReport,
  markDamaged?: (archived: string) => Promise<string>,
): Promise<void> {
  let message = reason;
  if (!dryRun) {
    try {
      let archived = await file.finished();
      if (archived && markDamaged) archived = await markDamaged(archived);
      if (archived) message = `${reason} and archived as ${archived}`;
    } catch (error) {
      message = `${reason}; archiving it failed: ${(error as Error).message}`;
    }
  }
  report.fail({ record: path.basename(file.name), step: "read file", message });
  report.count(outcome);
}

async function settleFile(
  file: InputFile,
  ok: boolean,
  dryRun: boolean,
  report: RunReport,
  context: RunContext,
) {
  try {
    if (ok && !dryRun) await file.finished();
    else await file.failed();
    report.count(ok ? "files processed" : "files kept for reprocessing");
  } catch (error) {
    context.logger.error(`could not settle ${file.name}: ${(error as Error).message}`);
  }
}

function institutionOf(config: Config, code: string): InstitutionConfig {
  const institution = config.institutions.find((inst) => inst.code === code);
  if (!institution) {
    const known = config.institutions.map((inst) => inst.code).join(", ") || "none";
    throw new ConfigError(`institution ${code} is not in the configuration (configured: ${known})`);
  }
  return institution;
}

function scfSettings(config: Config): { holdingLibrary: string; defaultLocation: string } {
  const missing = (
    [
      "remote_storage_inst",
      "remote_storage_apikey",
      "remote_storage_holding_library",
      "remote_storage_holding_location",
      "remote_storage_circ_desc",
    ] as const
  ).filter((key) => !config[key]);
  if (missing.length > 0) {
    throw new ConfigError(
      "sync-items needs the SCF settings",
      missing.map((key) => `${key}: required for sync-items`),
    );
  }
  return {
    holdingLibrary: config.remote_storage_holding_library!,
    defaultLocation: config.remote_storage_holding_location!,
  };
}

/** `sync_items.concurrency`, capped by the Java app's `max_number_of_threads` when given. */
export function concurrencyOf(config: Config): number {
  return Math.min(config.sync_items.concurrency, config.max_number_of_threads ?? Number.POSITIVE_INFINITY);
}

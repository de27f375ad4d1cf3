import { ConfigError } from "../../config/config-error.js";
import type { Config, InstitutionConfig } from "../../config/config.js";
import type { RunContext } from "../../runtime/run-context.js";
import { RunReport, type RunSummary } from "../../runtime/run-report.js";
import type { SendRequestsAlma } from "./alma-port.js";
import { libraryListFallsBack } from "./error-kinds.js";
import type { ExportFile } from "./inputs.js";
import { LinkedUsers } from "./linked-users.js";
import { PickupLibraries } from "./pickup-library.js";
import { processExportFile, type FileResult } from "./process-file.js";
import type { RequestDeps } from "./request-deps.js";

export const JOB_NAME = "send-requests";

export interface SendRequestsOptions {
  institution: string;
}

/** Where the job's inputs and Alma come from: the real clients and file server, or the sandbox in tests. */
export interface SendRequestsSources {
  alma: SendRequestsAlma;
  /** The request exports: `--file` paths, or files claimed from `{main_folder}/{INST}/requests/`. */
  inputs: (report: RunReport) => Promise<ExportFile[]>;
  /** Anything worth keeping in the summary once the run is over (the API budget left). */
  details?: () => Record<string, unknown>;
}

/**
 * send-requests (seed 001 §7): check the institution → take the exports → per file, check it whole, then carry
 * each request to the SCF (or cancel it at the member) → archive the file, or put it back when it must be
 * processed again → summary.
 */
export async function runSendRequests(
  context: RunContext,
  options: SendRequestsOptions,
  sources: SendRequestsSources,
): Promise<RunSummary> {
  const { config, logger, dryRun } = context;
  const institution = institutionOf(config, options.institution);
  const report = new RunReport({
    job: JOB_NAME,
    institution: institution.code,
    reportName: "RequestHandler",
    reportFolder: config.report_file_folder,
    dryRun,
    logger,
  });
  const deps = requestDeps(context, sources.alma, institution, report);

  const files = await sources.inputs(report);
  report.detail(
    "files",
    files.map((file) => file.name),
  );
  const progress = context.progress();
  for (const file of files) {
    if (context.signal.aborted) break;
    const result = await processExportFile(file, deps, { progress, signal: context.signal });
    await settleFile(file, result, deps);
    // A call cut short by SIGTERM fails like an unreachable Alma: say what happened, not that.
    if (result.stop && !context.signal.aborted) {
      report.abort(result.stop);
      break;
    }
  }
  progress.stop();
  if (context.signal.aborted && !report.summary.aborted) {
    report.abort("interrupted; the files not finished are put back, and a re-run creates nothing twice");
  }
  for (const [key, value] of Object.entries(sources.details?.() ?? {})) report.detail(key, value);
  return report.finish();
}

function requestDeps(
  context: RunContext,
  alma: SendRequestsAlma,
  institution: InstitutionConfig,
  report: RunReport,
): RequestDeps {
  const { config, logger, dryRun } = context;
  const source = alma.member(institution.code);
  if (!source) throw new ConfigError(`institution ${institution.code} has no Alma client`);
  return {
    alma,
    sourceInstitution: institution.code,
    source,
    pickupLibraries: new PickupLibraries(config, alma, logger, libraryListFallsBack),
    linkedUsers: new LinkedUsers({ alma, sourceInstitution: institution.code, report, logger, dryRun }),
    settings: {
      digitizationDepartment: config.remote_storage_digitization_department,
      holdingLibrary: config.remote_storage_holding_library,
      holdingLocation: config.remote_storage_holding_location,
    },
    dryRun,
    report,
    logger,
  };
}

/** A file all of whose requests were dealt with is archived; any other is put back for the next run. */
async function settleFile(file: ExportFile, result: FileResult, deps: RequestDeps): Promise<void> {
  const { report, logger, dryRun } = deps;
  try {
    if (result.complete && !dryRun) await file.finished();
    else if (!result.complete) await file.failed();
    report.count(result.complete ? "files processed" : "files kept for reprocessing");
  } catch (error) {
    report.fail({ record: file.name, step: "settle file", message: (error as Error).message });
    logger.error(`could not settle ${file.name}: ${(error as Error).message}`);
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

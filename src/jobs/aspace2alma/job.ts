import path from "node:path";
import type { AspaceClient } from "../../aspace/client.js";
import { AspaceError } from "../../aspace/errors.js";
import { ConfigError } from "../../config/config-error.js";
import type { AspaceConfig, Config } from "../../config/config.js";
import { AbortError } from "../../runtime/errors.js";
import type { RunContext } from "../../runtime/run-context.js";
import { RunReport, type RunSummary } from "../../runtime/run-report.js";
import { TransferError } from "../../transfer/errors.js";
import type { FileTransfer } from "../../transfer/file-transfer.js";
import { joinRemote, rotatedName } from "../../transfer/remote-path.js";
import {
  barcodesFromReport,
  barcodesFromSet,
  putReportBack,
  type AlmaSetReader,
  type ReportSource,
} from "./alma-barcodes.js";
import { CollectionFile } from "./collection-file.js";
import { exportResources } from "./export-resources.js";
import { removeStaleOutput, rotateOutput, uploadOutput } from "./file-server-steps.js";
import { listResources } from "./list-resources.js";
import { settingsFromConfig } from "./settings.js";

export interface Aspace2AlmaOptions {
  /** Write the MARC-XML to this local file; rotate, upload and consume nothing. */
  output?: string;
  /** Only remove `X` from the file server (days the export does not run). */
  removeStale?: boolean;
}

/** Where the job's outside world comes from: the real clients, or the simulators in tests. */
export interface Aspace2AlmaSources {
  aspace: Pick<AspaceClient, "repositories" | "resourceIds" | "resourceMarcXml" | "topContainers">;
  /** The file server (`ftp_server`); made when first needed. */
  fileServer: () => FileTransfer;
  /** The Alma client of `aspace.barcodes.institution`, for `barcodes.source: set`. */
  almaSet: () => AlmaSetReader;
}

type Mode = "publish" | "local" | "dry-run" | "remove-stale";

/**
 * aspace2alma (seed 000, reference §1): rotate the output on the file server → get the barcodes Alma already
 * has → list every resource → export them concurrently, in order, into one collection → upload it.
 * `--output` and `--dry-run` rotate and upload nothing; `--remove-stale` only removes the output.
 */
export async function runAspace2Alma(
  context: RunContext,
  options: Aspace2AlmaOptions,
  sources: Aspace2AlmaSources,
): Promise<RunSummary> {
  const { config, logger, dryRun } = context;
  const aspace = aspaceSection(config);
  const mode: Mode = options.removeStale
    ? "remove-stale"
    : options.output
      ? "local"
      : dryRun
        ? "dry-run"
        : "publish";
  const report = new RunReport({
    job: "aspace2alma",
    reportName: "Aspace2Alma",
    reportFolder: config.report_file_folder,
    dryRun,
    logger,
  });
  const runDir = path.join(config.state_dir, "aspace2alma");
  const dir = outputDir(config, aspace);
  let transfer: FileTransfer | undefined;
  const fileServer = () => (transfer ??= sources.fileServer());
  let output: CollectionFile | undefined;
  /** The barcode report this run renamed, until its output is uploaded. */
  let reportTaken: ReportSource | undefined;
  /** Where this run moved the previous output, if it did. */
  let rotatedTo: string | undefined;
  try {
    if (mode === "remove-stale") {
      await removeStaleOutput(fileServer(), dir, aspace.output_file, report, logger, dryRun);
      return await report.finish();
    }
    if (mode === "publish")
      rotatedTo = (await rotateOutput(fileServer(), dir, aspace.output_file, report, logger)).rotatedTo;
    else if (mode === "dry-run")
      report.plan({ action: "rotate", target: joinRemote(dir, aspace.output_file) });

    const barcodeSource = await getAlmaBarcodes(
      aspace,
      mode,
      dir,
      runDir,
      fileServer,
      sources,
      report,
      context,
    );
    const almaBarcodes = barcodeSource.barcodes;
    reportTaken = barcodeSource.taken;
    report.detail("barcodes_in_alma", almaBarcodes.size);

    const resources = await listResources(sources.aspace);
    report.count("resources", resources.length);

    const localFile =
      mode === "local"
        ? path.resolve(options.output!)
        : path.join(runDir, mode === "dry-run" ? `dry-run-${aspace.output_file}` : aspace.output_file);
    output = await CollectionFile.create(localFile);
    await exportResources(
      resources,
      {
        aspace: sources.aspace,
        settings: settingsFromConfig(aspace),
        almaBarcodes,
        logger,
        failedDir: path.join(runDir, "failed"),
        signal: context.signal,
      },
      output,
      { concurrency: aspace.concurrency, report, progress: context.progress() },
    );
    const written = await output.commit();
    output = undefined;
    report.detail("output", written);

    if (mode === "publish") {
      await uploadOutput(fileServer(), written, dir, aspace.output_file, report, logger);
      reportTaken = undefined;
    } else if (mode === "dry-run")
      report.plan({ action: "upload", target: joinRemote(dir, aspace.output_file) });
  } catch (error) {
    if (reportTaken) {
      await putReportBack(reportTaken, joinRemote(dir, aspace.output_file));
      report.detail("barcode_report", "put back: nothing was uploaded");
    }
    // Once interrupted, got and sleep() reject with the signal's reason (node's AbortError, not ours).
    const interrupted = context.signal.aborted;
    if (!interrupted && !isAbort(error)) throw error;
    report.abort(
      interrupted ? "interrupted: nothing uploaded" : `${(error as Error).message}; nothing uploaded`,
    );
    // A by-hand re-run after a good one moves the day's export aside before it stops: say so, and how to undo it.
    if (rotatedTo) {
      const note =
        `the previous ${aspace.output_file} is now ${rotatedTo}: rename it back if it is today's export ` +
        "and Alma has not imported it yet";
      report.detail("note", note);
      logger.warn(`aspace2alma: ${note}`);
    }
  } finally {
    await output?.discard();
    await transfer?.close().catch((error: Error) => logger.warn(`closing the file server: ${error.message}`));
  }
  return report.finish();
}

/** Step 2, from the configured source; `taken` is the report renamed by this run, if it renamed one. */
async function getAlmaBarcodes(
  aspace: AspaceConfig,
  mode: Mode,
  dir: string,
  runDir: string,
  fileServer: () => FileTransfer,
  sources: Aspace2AlmaSources,
  report: RunReport,
  context: RunContext,
): Promise<{ barcodes: Set<string>; taken?: ReportSource }> {
  const { barcodes } = aspace;
  if (barcodes.source === "set") {
    return { barcodes: await barcodesFromSet(sources.almaSet(), barcodes.set_id!, context.logger) };
  }
  const consume = mode === "publish";
  if (mode === "dry-run") {
    report.plan({
      action: "rename",
      target: joinRemote(dir, barcodes.report_file),
      detail: rotatedName(barcodes.report_file),
    });
  }
  const source: ReportSource = {
    transfer: fileServer(),
    dir,
    file: barcodes.report_file,
    localDir: runDir,
    consume,
    logger: context.logger,
  };
  return { barcodes: await barcodesFromReport(source), taken: consume ? source : undefined };
}

function isAbort(error: unknown): boolean {
  return error instanceof AbortError || error instanceof AspaceError || error instanceof TransferError;
}

/**
 * The `aspace` section, checked for what this job needs before anything is touched: a set source whose
 * institution or gateway is wrong must stop the run before yesterday's file is rotated away.
 */
export function aspaceSection(config: Config): AspaceConfig {
  const aspace = config.aspace;
  if (!aspace)
    throw new ConfigError("aspace2alma needs the aspace section", ["aspace: required for aspace2alma"]);
  if (aspace.barcodes.source === "set") {
    const problems = almaSetProblems(config, aspace.barcodes);
    if (problems.length > 0) throw new ConfigError("aspace2alma cannot read the Alma set", problems);
  }
  return aspace;
}

/** What stops `barcodes.source: set` from reaching the set: its id, whose set it is, and how to call Alma. */
function almaSetProblems(config: Config, barcodes: AspaceConfig["barcodes"]): string[] {
  const problems: string[] = [];
  if (!barcodes.set_id) problems.push("aspace.barcodes.set_id: required when barcodes.source is set");
  const code = barcodes.institution;
  if (!code) {
    problems.push("aspace.barcodes.institution: required when barcodes.source is set (whose set it is)");
  } else if (code === config.remote_storage_inst) {
    if (!config.remote_storage_apikey)
      problems.push(`remote_storage_apikey: required to read the set of ${code} (remote_storage_inst)`);
  } else if (!config.institutions.some((institution) => institution.code === code)) {
    problems.push(
      `aspace.barcodes.institution: ${code} is neither an institutions[].code nor remote_storage_inst`,
    );
  }
  if (!config.gateway) problems.push("gateway: required when barcodes.source is set (to call Alma)");
  return problems;
}

/** `aspace.output_dir` on the file server; a relative one is under `ftp_server.main_folder`. */
export function outputDir(config: Config, aspace: AspaceConfig): string {
  if (path.posix.isAbsolute(aspace.output_dir)) return aspace.output_dir;
  return joinRemote(config.ftp_server?.main_folder ?? "/", aspace.output_dir);
}

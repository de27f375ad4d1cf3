import type { Progress } from "../../runtime/progress.js";
import { kindOf } from "./error-kinds.js";
import { RequestExportError } from "./errors.js";
import { checkRequestExport, readRequestExport } from "./export-reader.js";
import type { ExportFile } from "./inputs.js";
import { processEntry } from "./process-request.js";
import type { RequestDeps } from "./request-deps.js";

export interface FileResult {
  /** Every request of the file was dealt with: the file can be archived. */
  complete: boolean;
  /** Why the run must stop (Alma unreachable, daily budget spent). */
  stop?: string;
}

export interface ProcessFileOptions {
  progress: Progress;
  signal: AbortSignal;
}

/**
 * One export file: check it whole (a broken file is reported with its position and nothing of it is done),
 * then stream its requests one at a time. One at a time keeps the look-ups that make a re-run harmless sound:
 * two requests of one patron or one item never race each other.
 */
export async function processExportFile(
  file: ExportFile,
  deps: RequestDeps,
  options: ProcessFileOptions,
): Promise<FileResult> {
  let total: number;
  try {
    total = await checkRequestExport(file.localPath);
  } catch (error) {
    if (!(error instanceof RequestExportError)) throw error;
    deps.report.fail({
      record: file.name,
      step: "read export",
      message: `${error.message}; no request of it was processed and the file is kept for reprocessing`,
    });
    return { complete: false };
  }
  deps.logger.info(`${file.name}: ${total} request${total === 1 ? "" : "s"}`);
  options.progress.start(total, `send-requests ${file.name}`);
  let complete = true;
  try {
    for await (const entry of readRequestExport(file.localPath)) {
      if (options.signal.aborted) return { complete: false };
      if ((await processEntry(entry, deps, file.name)) === "retry") complete = false;
      options.progress.increment();
    }
  } catch (error) {
    if (kindOf(error) !== "stop") throw error;
    return { complete: false, stop: (error as Error).message };
  }
  return { complete };
}

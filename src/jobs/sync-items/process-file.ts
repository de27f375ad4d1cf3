import path from "node:path";
import { MarcParseError, MarcSourceError } from "../../marc/errors.js";
import { readMarc } from "../../marc/reader.js";
import { AbortError } from "../../runtime/errors.js";
import type { Progress } from "../../runtime/progress.js";
import type { InputFile } from "./input-file.js";
import { syncItem, type ItemSyncDeps } from "./item-sync.js";
import { isDeleteFile, readPublishedRecord } from "./published-item.js";

export interface ProcessFileOptions {
  concurrency: number;
  progress: Progress;
  signal: AbortSignal;
}

/**
 * Streams one publishing file through the item rules, `concurrency` items at a time (paced by the Alma rate
 * limiter underneath). Returns false when the file could not be read to its end (it is then kept for
 * reprocessing); per-item failures are reported and do not fail the file. Throws an AbortError (after the
 * items under way) when Alma says to stop.
 */
export async function processPublishingFile(
  file: InputFile,
  deps: ItemSyncDeps,
  options: ProcessFileOptions,
): Promise<boolean> {
  const inFlight = new Set<Promise<void>>();
  // An error that stops the whole run (Alma's daily budget spent): no further item is started.
  let fatal: AbortError | undefined;
  const fileName = path.basename(file.name);
  const records = readMarc(file.localPath, {
    onInvalidRecord: (error) =>
      deps.report.fail({
        record: error.controlNumber ?? where(fileName, error.entry),
        step: "read record",
        message: error.message,
      }),
  });
  try {
    for await (const marc of records) {
      if (options.signal.aborted || fatal) break;
      const published = readPublishedRecord(marc);
      const deleted = isDeleteFile(fileName) || isDeleteFile(marc.origin.entry ?? "");
      if (deleted && deps.config.ignore_delete_files) {
        deps.report.count("delete ignored", published.items.length);
        continue;
      }
      for (const item of published.items) {
        const barcode = item.barcode;
        if (!barcode) {
          deps.report.fail({
            record: `${published.mmsId ?? "record without 001"} in ${where(fileName, marc.origin.entry)}`,
            step: "read item",
            message: "ITM field without $b (barcode)",
          });
          continue;
        }
        const task = syncItem({ item: { ...item, barcode }, record: published, marc, deleted }, deps).then(
          (outcome) => {
            // A dry run's writes are counted by its plan ("would create item"), not as done.
            if (outcome !== "planned") deps.report.count(outcome);
          },
          (error: Error) => {
            if (error instanceof AbortError) fatal ??= error;
            else deps.report.fail({ barcode, step: "sync item", message: error.message });
          },
        );
        const tracked = task.finally(() => {
          inFlight.delete(tracked);
          options.progress.increment();
        });
        inFlight.add(tracked);
        if (inFlight.size >= options.concurrency) await Promise.race(inFlight);
      }
    }
    await Promise.all(inFlight);
    if (fatal) throw fatal;
    return !options.signal.aborted;
  } catch (error) {
    if (error instanceof AbortError) throw error;
    const message =
      error instanceof MarcParseError || error instanceof MarcSourceError
        ? error.message
        : `cannot read ${fileName}: ${(error as Error).message}`;
    deps.report.fail({ record: fileName, step: "read file", message });
    return false;
  } finally {
    await Promise.all(inFlight);
  }
}

function where(fileName: string, entry: string | undefined): string {
  return entry ? `${fileName}:${entry}` : fileName;
}

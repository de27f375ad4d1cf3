import { createReadStream } from "node:fs";
import path from "node:path";
import { MarcParseError, MarcSourceError } from "../../marc/errors.js";
import { formatOf, readMarc } from "../../marc/reader.js";
import type { AbortError } from "../../runtime/errors.js";
import type { Progress } from "../../runtime/progress.js";
import { abortErrorOf } from "./abort-error-of.js";
import type { InputFile } from "./input-file.js";
import { syncItem, type ItemSyncDeps } from "./item-sync.js";
import { isDeleteFile, missingItemSubfield, readPublishedRecord } from "./published-item.js";

export interface ProcessFileOptions {
  concurrency: number;
  progress: Progress;
  signal: AbortSignal;
}

/**
 * How far a file got. `complete`: read to its end. `damaged`: the reader's message for a file that is not
 * well-formed or is cut short; it was downloaded whole, so it reads the same next time.
 */
export interface FileResult {
  complete: boolean;
  damaged?: string;
}

/**
 * Streams one publishing file through the item rules, `concurrency` items at a time (paced by the Alma rate
 * limiter underneath). A file not read to its end is kept for reprocessing, unless it is damaged (the records
 * before the fault are processed first); per-item failures are reported and do not fail the file. Throws an
 * AbortError (after the items under way) when Alma cannot be used (`abortErrorOf`).
 */
export async function processPublishingFile(
  file: InputFile,
  deps: ItemSyncDeps,
  options: ProcessFileOptions,
): Promise<FileResult> {
  const inFlight = new Set<Promise<void>>();
  // The last item started for each barcode still under way.
  const sameBarcode = new Map<string, Promise<void>>();
  // An error that stops the whole run (Alma unreachable, a key refused): no further item is started.
  let fatal: AbortError | undefined;
  const fileName = path.basename(file.name);
  // Read as a stream named after the file, so messages name it as staff know it, not by its work path. Smaller
  // reads for compressed data, which inflates many times over in one go (as readMarc does for a path).
  const highWaterMark = formatOf(fileName) === "xml" ? 64 * 1024 : 16 * 1024;
  const stream = createReadStream(file.localPath, { highWaterMark });
  const records = readMarc(
    { stream, name: fileName },
    {
      entryFilter: (entry) => {
        if (/\.xml$/i.test(entry)) return true;
        // Anything else in the tar (a README, an image) is not MARC-XML and would stop the whole file.
        deps.logger.info(`${fileName}: tar entry ${entry} is not .xml: not read`);
        deps.report.count("tar entries not read (not .xml)");
        return false;
      },
      onInvalidRecord: (error) =>
        deps.report.fail({
          record: error.controlNumber ?? where(fileName, error.entry),
          step: "read record",
          message: error.message,
        }),
    },
  );
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
        // Without its library or location, an item would be taken as no longer in remote storage and withdrawn.
        const missing = missingItemSubfield(item, deleted);
        if (missing) {
          deps.report.fail({ barcode, step: "read item", message: missing });
          continue;
        }
        // Items of one barcode (in one record or two) go one after the other: in parallel both would look up,
        // find nothing and create, and Alma would refuse the second after its bib and holding were made.
        const work = { item: { ...item, barcode }, record: published, marc, deleted };
        const task = (sameBarcode.get(barcode) ?? Promise.resolve())
          .then(() => {
            if (fatal) throw fatal;
            return syncItem(work, deps);
          })
          .then(
            (outcome) => {
              // A dry run's writes are counted by its plan ("would create item"), not as done.
              if (outcome !== "planned") deps.report.count(outcome);
            },
            (error: Error) => {
              // Cut short by the interruption (the file goes back and the item is done next run): no failure.
              if (options.signal.aborted) return;
              const stop = abortErrorOf(error);
              if (stop) fatal ??= stop;
              else deps.report.fail({ barcode, step: "sync item", message: error.message });
            },
          );
        const tracked = task.finally(() => {
          inFlight.delete(tracked);
          if (sameBarcode.get(barcode) === tracked) sameBarcode.delete(barcode);
          options.progress.increment();
        });
        sameBarcode.set(barcode, tracked);
        inFlight.add(tracked);
        if (inFlight.size >= options.concurrency) await Promise.race(inFlight);
      }
    }
    await Promise.all(inFlight);
    if (fatal) throw fatal;
    return { complete: !options.signal.aborted };
  } catch (error) {
    await Promise.all(inFlight);
    if (fatal) throw fatal;
    const damaged = error instanceof MarcParseError || error instanceof MarcSourceError;
    const message = damaged ? error.message : `cannot read ${fileName}: ${(error as Error).message}`;
    if (damaged && !options.signal.aborted) return { complete: false, damaged: message };
    deps.report.fail({ record: fileName, step: "read file", message });
    return { complete: false };
  } finally {
    await Promise.all(inFlight);
    stream.destroy();
  }
}

function where(fileName: string, entry: string | undefined): string {
  return entry ? `${fileName}:${entry}` : fileName;
}

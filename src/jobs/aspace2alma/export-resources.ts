/** Step 4: every resource exported concurrently, written in order into one collection file. */
import type { ResourceRef } from "../../aspace/types.js";
import { AbortError } from "../../runtime/errors.js";
import type { Progress } from "../../runtime/progress.js";
import type { RunReport } from "../../runtime/run-report.js";
import type { CollectionFile } from "./collection-file.js";
import { exportResource, type ExportResourceDeps } from "./export-resource.js";
import { mapInOrder } from "./map-in-order.js";

/** This many resources in a row that ArchivesSpace did not answer, or answered 5xx: it is down, not one record. */
export const UNANSWERED_TO_ABORT = 3;

export interface ExportResourcesOptions {
  concurrency: number;
  report: RunReport;
  progress: Progress;
}

/**
 * Exports the resources `concurrency` at a time and writes each record as its turn comes, so the file keeps
 * the order of `resources`. A resource that fails is skipped with a report line naming its URI and the reason;
 * ArchivesSpace refusing the login, not answering several resources in a row, or no resource exported while some
 * failed (an empty file would look like a good run) throws AbortError.
 */
export async function exportResources(
  resources: readonly ResourceRef[],
  deps: ExportResourceDeps,
  output: CollectionFile,
  options: ExportResourcesOptions,
): Promise<void> {
  const { report, progress } = options;
  let unansweredInARow = 0;
  let exported = 0;
  let firstFailure: string | undefined;
  let failed = 0;
  progress.start(resources.length, "aspace2alma");
  try {
    const outcomes = mapInOrder(resources, (resource) => exportResource(resource, deps), {
      concurrency: options.concurrency,
    });
    for await (const outcome of outcomes) {
      progress.increment();
      switch (outcome.kind) {
        case "record":
          await output.write(outcome.record);
          report.count("exported");
          report.count("items", outcome.items);
          exported++;
          unansweredInARow = 0;
          break;
        case "excluded":
          deps.logger.info(`${outcome.resource.uri} (${outcome.callNumber}) left out: ${outcome.reason}`);
          report.count("excluded");
          unansweredInARow = 0;
          break;
        case "failed":
          report.fail({ record: outcome.resource.uri, step: "export", message: outcome.reason });
          failed++;
          firstFailure ??= outcome.reason;
          unansweredInARow = outcome.unanswered ? unansweredInARow + 1 : 0;
          if (unansweredInARow >= UNANSWERED_TO_ABORT) {
            throw new AbortError(
              `ArchivesSpace stopped answering (${UNANSWERED_TO_ABORT} resources in a row): ${outcome.reason}`,
            );
          }
          break;
        case "fatal":
          throw new AbortError(`ArchivesSpace failed at ${outcome.resource.uri}: ${outcome.error.message}`, {
            cause: outcome.error,
          });
        case "cancelled":
          throw new AbortError("interrupted before every resource was exported");
      }
    }
    if (exported === 0 && failed > 0) {
      throw new AbortError(`no resource was exported: ${failed} failed (the first: ${firstFailure})`);
    }
  } finally {
    progress.stop();
  }
}

import { AlephHttpError } from "../../aleph/aleph-error.js";
import type { AlephItemsClient } from "../../aleph/items-client.js";
import { parseItemsPage, type ItemsPage } from "../../aleph/items-page.js";
import type { Logger } from "../../runtime/logger.js";
import type { RunReport } from "../../runtime/run-report.js";
import { pageQuery, type Checkpoint } from "./checkpoint.js";
import type { RunFiles } from "./run-files.js";

export interface QueryPageContext {
  aleph: AlephItemsClient;
  files: RunFiles;
  report: RunReport;
  logger: Logger;
}

/**
 * Steps 3 and 4: asks Aleph for the page the checkpoint points at, saves the answer (or Aleph's error body)
 * before reading it, then reads it. Entries without a barcode go to the report; the rest is returned.
 */
export async function queryPage(
  checkpoint: Checkpoint,
  iteration: number,
  context: QueryPageContext,
): Promise<ItemsPage> {
  const { aleph, files, report, logger } = context;
  const query = pageQuery(checkpoint);
  const at = { iteration, page: checkpoint.page };
  let body: string;
  try {
    ({ body } = await aleph.fetchItems(query));
  } catch (error) {
    if (error instanceof AlephHttpError && error.body !== undefined) {
      await files.save(at, "aleph-error", error.body);
    }
    throw error;
  }
  const savedAs = await files.save(at, "aleph-response", body);
  const page = parseItemsPage(body, savedAs);
  report.count("pages");
  for (const entry of page.unusable) {
    report.fail({
      record: `${entry.list}[${entry.index}] of page ${checkpoint.page} (${savedAs})`,
      step: "read Aleph's answer",
      message: entry.reason,
    });
  }
  if (checkpoint.nextitem !== null && checkpoint.endtime !== page.endtime) {
    logger.warn(
      `Aleph answered page ${checkpoint.page} with endtime ${page.endtime}, not the window's ${checkpoint.endtime}; ` +
        `the window keeps ${checkpoint.endtime}`,
    );
  }
  if (page.nextitem !== null && page.nextitem === checkpoint.nextitem) {
    throw new AlephLoopError(
      `Aleph answered page ${checkpoint.page} with the nextitem it was asked for (${page.nextitem}); stopping rather than asking again forever`,
    );
  }
  logger.info(
    `page ${checkpoint.page} of window ${checkpoint.starttime}–${checkpoint.endtime ?? page.endtime}: ` +
      `${page.new.length} new, ${page.update.length} updated, ${page.nextitem ? `next item ${page.nextitem}` : "last page"} (${savedAs})`,
  );
  return page;
}

/** Aleph's continuation does not move on: the same `nextitem` came back. */
export class AlephLoopError extends Error {
  override readonly name = "AlephLoopError";
  readonly code = "EALEPH_LOOP";
}

/** Step 2: the barcodes Alma already has, from the Analytics report on the file server or from an Alma set. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { AlmaSetMember } from "../../alma/types.js";
import { parseCsv } from "../../runtime/csv.js";
import { AbortError } from "../../runtime/errors.js";
import type { Logger } from "../../runtime/logger.js";
import type { FileTransfer } from "../../transfer/file-transfer.js";
import { joinRemote, rotatedName } from "../../transfer/remote-path.js";

/** Reads the barcodes of an Analytics report: BOM and CRLF tolerated, a `Barcode` header required. */
export function parseBarcodeReport(text: string, name: string): Set<string> {
  const rows = parseCsv(text);
  const header = rows[0]?.map((cell) => cell.trim().toLowerCase()) ?? [];
  const column = header.indexOf("barcode");
  if (column < 0) throw new AbortError(`the barcode report ${name} has no Barcode column`);
  const barcodes = new Set<string>();
  for (const row of rows.slice(1)) {
    const barcode = row[column]?.trim();
    if (barcode) barcodes.add(barcode);
  }
  return barcodes;
}

export interface ReportSource {
  transfer: FileTransfer;
  /** The folder on the file server: `/alma/aspace`. */
  dir: string;
  /** `sc_active_barcodes.csv`. */
  file: string;
  /** Where the downloaded report is kept (the run folder). */
  localDir: string;
  /**
   * Rename the report to `…_old.csv` once read, so a missing fresh report stops the next run (seed 000).
   * Off for --dry-run and --output: a run by hand must not use up the next scheduled run's report.
   */
  consume: boolean;
  logger: Logger;
}

/**
 * The Analytics report (seed 000): downloaded, checked, then renamed `…_old.csv` (the previous `_old` removed
 * first). No fresh report, or one without barcodes: AbortError, so nothing is uploaded.
 */
export async function barcodesFromReport(source: ReportSource): Promise<Set<string>> {
  const remote = joinRemote(source.dir, source.file);
  const old = joinRemote(source.dir, rotatedName(source.file));
  if (!(await source.transfer.exists(remote))) {
    throw new AbortError(
      `no barcode report ${remote} on the file server: Alma Analytics has not delivered today's report ` +
        "(it is renamed once read, so each report serves one run)",
    );
  }
  const local = path.join(source.localDir, source.file);
  await source.transfer.download(remote, local);
  const barcodes = parseBarcodeReport(await readFile(local, "utf8"), remote);
  if (barcodes.size === 0) {
    throw new AbortError(
      `the barcode report ${remote} holds no barcodes: every container would become a duplicate`,
    );
  }
  if (source.consume) {
    if (await source.transfer.exists(old)) await source.transfer.remove(old);
    await source.transfer.rename(remote, old);
    source.logger.info(`read ${barcodes.size} barcodes from ${remote}, renamed it ${old}`);
  } else {
    source.logger.info(`read ${barcodes.size} barcodes from ${remote} (left in place)`);
  }
  return barcodes;
}

/**
 * After a run that failed before its upload: the report it renamed has served no run, so it goes back under its
 * own name and a re-run the same day (ArchivesSpace up again) can use it. Not when a fresh report has arrived
 * since, nor when the output is on the file server after all (an upload whose answer was lost): then Alma will
 * import it and the report has served. A failure here is logged, never thrown: the run has failed already.
 */
export async function putReportBack(source: ReportSource, output: string): Promise<void> {
  const remote = joinRemote(source.dir, source.file);
  const old = joinRemote(source.dir, rotatedName(source.file));
  const { transfer, logger } = source;
  // Said in the warning: the file server's error names the file it was about, which may be the output.
  let step = `checking whether ${output} was uploaded`;
  try {
    if (await transfer.exists(output)) return;
    step = `looking for a fresh ${remote}`;
    if (await transfer.exists(remote)) {
      logger.info(`left ${old} as it is: a fresh ${remote} has arrived since it was read`);
      return;
    }
    step = `renaming ${old}`;
    await transfer.rename(old, remote);
    logger.warn(`put the barcode report back as ${remote}: nothing was uploaded, so a re-run can use it`);
  } catch (error) {
    logger.warn(
      `the barcode report ${old} was not put back as ${remote}: rename it by hand to re-run today ` +
        `(the file server failed while ${step}: ${(error as Error).message})`,
    );
  }
}

/** The part of the Alma client the set source needs. */
export interface AlmaSetReader {
  allSetMembers(setId: string, options?: { concurrency?: number }): Promise<AlmaSetMember[]>;
}

/**
 * The successor's source: the members of an Alma set, 100 a page, a few pages at once (the Alma client's rate
 * limiter spaces them); the barcode is each member's `description`.
 */
export async function barcodesFromSet(
  alma: AlmaSetReader,
  setId: string,
  logger: Logger,
  concurrency = 4,
): Promise<Set<string>> {
  let members: AlmaSetMember[];
  try {
    members = await alma.allSetMembers(setId, { concurrency });
  } catch (error) {
    throw new AbortError(`cannot read the members of Alma set ${setId}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const barcodes = new Set<string>();
  for (const member of members) {
    const barcode = member.description?.trim();
    if (barcode) barcodes.add(barcode);
  }
  if (barcodes.size === 0) {
    throw new AbortError(
      `Alma set ${setId} has no members with a barcode: every container would become a duplicate`,
    );
  }
  logger.info(`read ${barcodes.size} barcodes from the members of Alma set ${setId}`);
  return barcodes;
}

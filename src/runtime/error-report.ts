import { randomBytes } from "node:crypto";
import { appendFile, link, mkdir, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { formatCsvRow } from "./csv.js";

export const REPORT_COLUMNS = ["Barcode", "Institution", "Message"] as const;

/** `{folder}/{ReportName}_log_{yyyyMMdd}.csv` (seed 001 §13). */
export function errorReportPath(folder: string, reportName: string, date: Date = new Date()): string {
  const stamp = `${date.getFullYear()}${String(date.getMonth() + 1).padStart(2, "0")}${String(date.getDate()).padStart(2, "0")}`;
  return path.join(folder, `${reportName}_log_${stamp}.csv`);
}

/**
 * Appends one failure to the day's CSV error report, writing the header when the file is new.
 * Each line is appended as soon as it is known, so a crash loses none of them.
 */
export async function appendErrorReport(
  file: string,
  row: { barcode?: string | null; institution?: string | null; message: string },
): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await createWithHeader(file);
  await appendFile(file, formatCsvRow([row.barcode, row.institution, row.message]));
}

/**
 * Makes the report exist with its header, exactly once, even with several writers at the same moment: the header
 * goes into a temp file that is linked into place (atomic, and refused when the report exists), so the report is
 * never seen without its header and no row is ever overwritten.
 */
async function createWithHeader(file: string): Promise<void> {
  if (
    await stat(file).then(
      () => true,
      () => false,
    )
  )
    return;
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temp, formatCsvRow(REPORT_COLUMNS));
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

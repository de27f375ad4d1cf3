import { appendFile, mkdir, writeFile } from "node:fs/promises";
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
  // "wx" creates the file with its header exactly once, even with two runs writing the same day's report.
  await writeFile(file, formatCsvRow(REPORT_COLUMNS), { flag: "wx" }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    },
  );
  await appendFile(file, formatCsvRow([row.barcode, row.institution, row.message]));
}

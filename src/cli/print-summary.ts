import type { RunSummary } from "../runtime/run-report.js";
import type { GlobalOptions } from "./global-options.js";

/** --json: the summary on stdout; otherwise a short account on stdout unless --quiet. */
export function printSummary(
  summary: RunSummary,
  flags: GlobalOptions,
  out: NodeJS.WritableStream = process.stdout,
): void {
  if (flags.json) {
    out.write(JSON.stringify(summary, null, 2) + "\n");
    return;
  }
  if (flags.quiet) return;
  out.write(formatSummary(summary));
}

/** `sync-items 01AAA_AB (dry run: nothing written): finished`, or `…: ABORTED: <why>`. */
export function summaryHeadline(summary: RunSummary): string {
  const who = summary.institution ? ` ${summary.institution}` : "";
  const mode = summary.dryRun ? " (dry run: nothing written)" : "";
  return `${summary.job}${who}${mode}: ${summary.aborted ? `ABORTED: ${summary.aborted}` : "finished"}`;
}

export function formatSummary(summary: RunSummary): string {
  const lines: string[] = [summaryHeadline(summary)];
  const counts = Object.entries(summary.counts).sort(([a], [b]) => a.localeCompare(b));
  if (counts.length > 0) lines.push(`  ${counts.map(([k, v]) => `${k}: ${v}`).join(", ")}`);
  // Why a run by hand did nothing ("ignored: 1" alone says too little).
  const note = summary.details.note;
  if (typeof note === "string") lines.push(`  note: ${note}`);
  // Every planned write: listing them is what a dry run is for (failures are capped: the CSV report has them all).
  for (const write of summary.planned ?? []) {
    lines.push(`  would ${write.action} ${write.target}`);
  }
  for (const failure of summary.failures.slice(0, 20)) {
    const what = failure.barcode ?? failure.record ?? "";
    lines.push(
      `  failed${what ? ` ${what}` : ""}${failure.step ? ` (${failure.step})` : ""}: ${failure.message}`,
    );
  }
  if (summary.failures.length > 20) lines.push(`  … and ${summary.failures.length - 20} more failures`);
  if (summary.failures.length > 0 && summary.csvReport) lines.push(`  report: ${summary.csvReport}`);
  if (summary.summaryFile) lines.push(`  summary: ${summary.summaryFile}`);
  return lines.join("\n") + "\n";
}

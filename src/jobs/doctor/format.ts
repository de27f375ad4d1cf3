import type { DoctorCheck } from "./check.js";
import type { DoctorReport } from "./job.js";

const MARK: Record<DoctorCheck["status"], string> = { ok: "✔", fail: "✘", skip: "–" };

/** The report as a table: one block per subject, a line per check, the fix under each ✘. */
export function formatDoctorReport(report: DoctorReport, source: string): string {
  const lines = [`alma-rs doctor: ${source}`];
  let subject: string | undefined;
  for (const check of report.checks) {
    if (check.subject !== subject) {
      subject = check.subject;
      lines.push("", subject);
    }
    lines.push(`  ${MARK[check.status]} ${check.check}${check.detail ? ` — ${check.detail}` : ""}`);
    if (check.status === "fail" && check.fix) lines.push(`      fix: ${check.fix}`);
  }
  const { ok, fail, skip } = report.counts;
  lines.push(
    "",
    `${report.checks.length} checks: ${ok} ✔, ${fail} ✘${skip > 0 ? `, ${skip} not checked` : ""}` +
      (report.ok ? " — ready" : " — fix the ✘ above, then run alma-rs doctor again"),
  );
  return lines.join("\n") + "\n";
}

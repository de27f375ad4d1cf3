import type { Config } from "../../config/config.js";
import { fail, ok, type DoctorCheck } from "./check.js";

/**
 * The webhook listener: `serve-webhook` refuses to start without `webhook_secret`, and Alma's JOB_END, loan and
 * request events reach the jobs only through it. Checked when the configuration has an SCF or members.
 */
export function webhookChecks(config: Config): DoctorCheck[] {
  if (config.institutions.length === 0 && !config.remote_storage_inst) return [];
  const subject = "webhook";
  const check = "webhook_secret is set (serve-webhook checks Alma's signatures with it)";
  if (config.webhook_secret) return [ok(subject, check)];
  return [
    fail(
      subject,
      check,
      "webhook_secret is not set: serve-webhook will not start",
      'set webhook_secret (e.g. "env:WEBHOOK_SECRET") to the secret of the Alma webhook profiles',
    ),
  ];
}

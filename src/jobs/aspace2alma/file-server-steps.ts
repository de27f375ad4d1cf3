/** The job's steps on the file server: rotate the output (1), upload it (5), remove a stale one (--remove-stale). */
import type { Logger } from "../../runtime/logger.js";
import type { RunReport } from "../../runtime/run-report.js";
import type { FileTransfer } from "../../transfer/file-transfer.js";
import { joinRemote } from "../../transfer/remote-path.js";
import { rotate, type RotateResult } from "../../transfer/rotate.js";

/**
 * Step 1: remove `X_old`, rename `X` → `X_old`, before anything else, so a run that fails later leaves nothing
 * for Alma's 9:00 import to load twice. Without an `X` (yesterday's run failed), `X_old` is kept.
 */
export async function rotateOutput(
  transfer: FileTransfer,
  dir: string,
  name: string,
  report: RunReport,
  logger: Logger,
): Promise<RotateResult> {
  const result = await rotate(transfer, dir, name, { logger });
  report.detail("rotated", result);
  return result;
}

/** Step 5: the finished file goes up as `X`, atomically (Alma sees the whole file or none). */
export async function uploadOutput(
  transfer: FileTransfer,
  localFile: string,
  dir: string,
  name: string,
  report: RunReport,
  logger: Logger,
): Promise<string> {
  const remote = joinRemote(dir, name);
  await transfer.mkdirp(dir);
  await transfer.upload(localFile, remote);
  logger.info(`uploaded ${localFile} to ${remote}`);
  report.detail("uploaded", remote);
  return remote;
}

/**
 * `--remove-stale`: on days the export does not run, yesterday's `X` must not be imported a second time
 * (Alma imports are not idempotent), so it is removed.
 */
export async function removeStaleOutput(
  transfer: FileTransfer,
  dir: string,
  name: string,
  report: RunReport,
  logger: Logger,
  dryRun: boolean,
): Promise<void> {
  const remote = joinRemote(dir, name);
  if (!(await transfer.exists(remote))) {
    logger.info(`nothing to remove: ${remote} is not there`);
    report.count("nothing to remove");
    return;
  }
  if (dryRun) {
    report.plan({ action: "remove", target: remote });
    return;
  }
  await transfer.remove(remote);
  logger.info(`removed the stale ${remote}`);
  report.count("removed");
}

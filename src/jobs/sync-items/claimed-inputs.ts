import path from "node:path";
import type { Config, InstitutionConfig } from "../../config/config.js";
import type { Logger } from "../../runtime/logger.js";
import { claimFiles, type ClaimResult } from "../../transfer/claim.js";
import type { FileTransfer } from "../../transfer/file-transfer.js";
import { joinRemote } from "../../transfer/remote-path.js";
import type { RunReport } from "../../runtime/run-report.js";
import type { InputFile } from "./input-file.js";

/**
 * Claims every file in `{main_folder}/{INST}/{kind}/` (rename into the claim folder, download to the work
 * folder); files that could not be claimed are reported and stay (or go back) on the server.
 */
export async function claimRemoteInputs(
  transfer: FileTransfer,
  config: Config,
  institution: InstitutionConfig,
  kind: "items" | "requests",
  report: RunReport,
  logger: Logger,
): Promise<InputFile[]> {
  const server = config.ftp_server!;
  const remoteDir = joinRemote(server.main_folder, institution.code, kind);
  const workDir = path.join(config.main_local_folder, kind, institution.code);
  const result: ClaimResult = await claimFiles(transfer, remoteDir, workDir, {
    claimFolder: server.claim_folder,
    logger,
  });
  for (const error of result.errors)
    report.fail({ record: error.file, step: "claim file", message: error.message });
  return result.files.map((file) => ({
    name: file.name,
    localPath: file.localPath,
    finished: async () => {
      await file.finished();
    },
    failed: async () => {
      await file.failed();
    },
  }));
}

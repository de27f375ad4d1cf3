import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../../config/config.js";
import type { Logger } from "../../runtime/logger.js";
import type { RunReport } from "../../runtime/run-report.js";
import { UsageError } from "../../runtime/errors.js";
import { claimFiles } from "../../transfer/claim.js";
import type { FileTransfer } from "../../transfer/file-transfer.js";
import { joinRemote } from "../../transfer/remote-path.js";

/** A request export to process: a local copy, and what to do with its origin once the job is done with it. */
export interface ExportFile {
  /** The name staff know it by: the remote file's name, or the path given with --file. */
  name: string;
  localPath: string;
  /** Every request of the file was dealt with: the claimed remote file is archived in the claim folder. */
  finished(): Promise<void>;
  /** The file must be processed again: the remote file goes back where it was; the local copy stays. */
  failed(): Promise<void>;
}

/** `{main_folder}/{INST}/requests`: where Alma's remote-storage integration profile writes the exports. */
export function requestsFolder(config: Config, institution: string): string {
  return joinRemote(config.ftp_server?.main_folder ?? "/", institution, "requests");
}

/** Where the exports of a run are downloaded to. */
export function requestsWorkFolder(config: Config, institution: string): string {
  return path.join(config.main_local_folder, "requests", institution);
}

/** `--file`: local exports, nothing to move anywhere when done. */
export async function localExportFiles(paths: readonly string[]): Promise<ExportFile[]> {
  const files: ExportFile[] = [];
  for (const file of paths) {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new UsageError(`--file ${file}: no such file`);
    files.push({ name: file, localPath: file, finished: async () => {}, failed: async () => {} });
  }
  return files;
}

export interface RemoteExportsOptions {
  config: Config;
  institution: string;
  transfer: FileTransfer;
  report: RunReport;
  logger: Logger;
  dryRun: boolean;
}

/**
 * The exports waiting on the file server, claimed (renamed into the claim folder so no other run takes them)
 * and downloaded. With --dry-run nothing is renamed: the files are only downloaded.
 */
export async function remoteExportFiles(options: RemoteExportsOptions): Promise<ExportFile[]> {
  const { config, institution, transfer, report, logger } = options;
  const remoteDir = requestsFolder(config, institution);
  const workDir = requestsWorkFolder(config, institution);
  await mkdir(workDir, { recursive: true });
  if (options.dryRun) return downloadOnly(transfer, remoteDir, path.join(workDir, "dry-run"), logger);
  if (!(await transfer.exists(remoteDir))) {
    logger.warn(`${remoteDir} does not exist on the file server: no request export to process`);
    return [];
  }
  const claimed = await claimFiles(transfer, remoteDir, workDir, {
    claimFolder: config.ftp_server?.claim_folder,
    logger,
  });
  if (claimed.restored.length > 0)
    report.count("files put back from a run that died", claimed.restored.length);
  for (const error of claimed.errors) {
    report.fail({ record: error.file, step: "claim file", message: error.message });
  }
  return claimed.files.map((file) => ({
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

async function downloadOnly(
  transfer: FileTransfer,
  remoteDir: string,
  workDir: string,
  logger: Logger,
): Promise<ExportFile[]> {
  await mkdir(workDir, { recursive: true });
  if (!(await transfer.exists(remoteDir))) return [];
  const entries = (await transfer.list(remoteDir)).filter(
    (entry) => entry.type === "file" && !entry.name.startsWith("."),
  );
  const files: ExportFile[] = [];
  for (const entry of entries) {
    const localPath = path.join(workDir, entry.name);
    await transfer.download(joinRemote(remoteDir, entry.name), localPath);
    logger.info(`dry run: downloaded ${joinRemote(remoteDir, entry.name)} without claiming it`);
    files.push({ name: entry.name, localPath, finished: async () => {}, failed: async () => {} });
  }
  return files;
}

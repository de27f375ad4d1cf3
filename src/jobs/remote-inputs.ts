import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config/config.js";
import type { Logger } from "../runtime/logger.js";
import type { RunReport } from "../runtime/run-report.js";
import { claimFiles, isYoung, staleClaims } from "../transfer/claim.js";
import type { FileTransfer } from "../transfer/file-transfer.js";
import { joinRemote } from "../transfer/remote-path.js";

/** A file a job processes: a local copy, and what to do with its origin once the job is done with it. */
export interface InputFile {
  /** The name staff know it by: the remote file's name, or the path given with --file. */
  name: string;
  localPath: string;
  /** The job is done with it: the claimed remote file is archived in the claim folder; resolves to its path there. */
  finished(): Promise<string | void>;
  /** The file must be processed again: the remote file goes back where it was; the local copy stays. */
  failed(): Promise<void>;
}

/** The folders Alma writes to for each member: publishing files and request exports. */
export type InputKind = "items" | "requests";

const WHAT: Record<InputKind, string> = { items: "publishing file", requests: "request export" };

/** `{main_folder}/{INST}/{kind}` on the file server. */
export function remoteInputFolder(config: Config, institution: string, kind: InputKind): string {
  return joinRemote(config.ftp_server?.main_folder ?? "/", institution, kind);
}

/** Where a run downloads them to. */
export function localInputFolder(config: Config, institution: string, kind: InputKind): string {
  return path.join(config.main_local_folder, kind, institution);
}

export interface RemoteInputsOptions {
  config: Config;
  institution: string;
  kind: InputKind;
  transfer: FileTransfer;
  report: RunReport;
  logger: Logger;
  dryRun: boolean;
}

/**
 * The files waiting in `{main_folder}/{INST}/{kind}/`, claimed (renamed into the claim folder so no other run
 * takes them) and downloaded; files that could not be claimed are reported. With --dry-run nothing is renamed on
 * the file server: the files are only downloaded.
 */
export async function remoteInputFiles(options: RemoteInputsOptions): Promise<InputFile[]> {
  const { config, institution, kind, transfer, report, logger } = options;
  const remoteDir = remoteInputFolder(config, institution, kind);
  const workDir = localInputFolder(config, institution, kind);
  await mkdir(workDir, { recursive: true });
  if (options.dryRun) {
    const claimFolder = config.ftp_server?.claim_folder;
    return downloadOnly(transfer, remoteDir, path.join(workDir, "dry-run"), {
      logger,
      report,
      claimFolder,
      minAgeMs: minAgeMsOf(config),
    });
  }
  if (!(await transfer.exists(remoteDir))) {
    logger.warn(`${remoteDir} does not exist on the file server: no ${WHAT[kind]} to process`);
    return [];
  }
  const claimed = await claimFiles(transfer, remoteDir, workDir, {
    claimFolder: config.ftp_server?.claim_folder,
    minAgeMs: minAgeMsOf(config),
    logger,
  });
  if (claimed.restored.length > 0)
    report.count("files put back from a run that died", claimed.restored.length);
  if (claimed.young.length > 0)
    report.count("files left for the next run (modified just now)", claimed.young.length);
  for (const error of claimed.errors) {
    report.fail({ record: error.file, step: "claim file", message: error.message });
  }
  return claimed.files.map((file) => ({
    name: file.name,
    localPath: file.localPath,
    finished: () => file.finished(),
    failed: async () => {
      await file.failed();
    },
  }));
}

/**
 * --dry-run: downloads what the next run would take without claiming it, including the files a run that died
 * left claimed (the next run puts them back first, then processes them).
 */
async function downloadOnly(
  transfer: FileTransfer,
  remoteDir: string,
  workDir: string,
  options: { logger: Logger; report: RunReport; claimFolder: string | undefined; minAgeMs: number },
): Promise<InputFile[]> {
  const { logger, report } = options;
  await mkdir(workDir, { recursive: true });
  if (!(await transfer.exists(remoteDir))) return [];
  const files: InputFile[] = [];
  for (const stale of await staleClaims(transfer, remoteDir, options.claimFolder)) {
    report.plan({ action: "put back", target: stale.claimedPath, detail: stale.originalPath });
    const localPath = path.join(workDir, stale.name);
    await transfer.download(stale.claimedPath, localPath);
    files.push(downloadedOnly(stale.name, localPath));
  }
  const entries = (await transfer.list(remoteDir)).filter(
    (entry) => entry.type === "file" && !entry.name.startsWith("."),
  );
  for (const entry of entries) {
    if (await isYoung(transfer, remoteDir, entry, options)) {
      report.count("files left for the next run (modified just now)");
      continue;
    }
    const localPath = path.join(workDir, entry.name);
    await transfer.download(joinRemote(remoteDir, entry.name), localPath);
    logger.info(`dry run: downloaded ${joinRemote(remoteDir, entry.name)} without claiming it`);
    files.push(downloadedOnly(entry.name, localPath));
  }
  return files;
}

/** A dry run's copy: nothing was claimed, so there is nothing to archive or put back. */
function downloadedOnly(name: string, localPath: string): InputFile {
  return { name, localPath, finished: async () => {}, failed: async () => {} };
}

function minAgeMsOf(config: Config): number {
  return (config.ftp_server?.min_file_age_seconds ?? 0) * 1000;
}

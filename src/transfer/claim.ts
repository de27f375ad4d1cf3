import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { sleep } from "../runtime/backoff.js";
import { silentLogger, type Logger } from "../runtime/logger.js";
import { ClaimError, ClaimFolderError } from "./claim-error.js";
import { RemoteExistsError, RemoteNotFoundError, TransferConnectionError } from "./errors.js";
import type { FileTransfer, RemoteEntry } from "./file-transfer.js";
import { joinRemote, nameCandidates, remoteBasename, remoteDirname } from "./remote-path.js";
import { claimFolderSegments } from "../config/claim-folder.js";

export const DEFAULT_CLAIM_FOLDER = "OLD";

export interface ClaimOptions {
  /** The claim folder, a folder inside the remote folder (default `OLD`); see {@link claimFolderOf}. */
  claimFolder?: string;
  /** `finished()` keeps the local copy instead of removing it (default false). */
  keepLocal?: boolean;
  /** Which entries to claim (default: every regular file whose name does not start with a dot). */
  filter?: (entry: RemoteEntry) => boolean;
  /**
   * Files modified less than this long ago are left for the next run: whoever puts them there may still be
   * writing them (default 0: none). A time ahead of ours (another clock or time zone) holds nothing back.
   */
  minAgeMs?: number;
  /** First put back files that a run which died left claimed (default true: the caller holds the job's lock). */
  restoreStale?: boolean;
  /** Moving a file back is tried this often, waiting `restoreDelayMs` × attempt in between (default 3, 1000). */
  restoreAttempts?: number;
  restoreDelayMs?: number;
  /** Download progress per file (progress display). */
  onProgress?: (file: string, bytes: number) => void;
  logger?: Logger;
  /** Clock for the claim names (tests). */
  now?: () => Date;
}

/** A remote file that this run holds: renamed into the claim folder and downloaded to `localPath`. */
export interface ClaimedFile {
  readonly name: string;
  /** Where the file was, and where `failed()` puts it back. */
  readonly originalPath: string;
  /** Where it is while claimed: `<claim folder>/<name>.claim-<claim id>`. */
  readonly claimedPath: string;
  readonly localPath: string;
  readonly size: number;
  /**
   * The job is done with it: the remote file is archived in the claim folder under its own name (a unique
   * suffix when the name is taken) and the local copy removed unless `keepLocal`. Resolves to the archive path.
   */
  finished(): Promise<string>;
  /**
   * The job failed on it: the remote file goes back where it was (a unique suffix when a new file took the
   * name meanwhile); the local copy stays for `--file` reprocessing. Resolves to the path it went back to.
   */
  failed(): Promise<string>;
}

export interface ClaimResult {
  /** The files claimed and downloaded, in the folder's order. */
  files: ClaimedFile[];
  /** One per file that could not be claimed or downloaded; each says where the file is now. */
  errors: ClaimError[];
  /** Files left claimed by runs that died, put back before claiming. */
  restored: RestoredClaim[];
  /** Names of files left for the next run because they were modified too recently (`minAgeMs`). */
  young: string[];
}

export interface RestoredClaim {
  claimedPath: string;
  restoredTo: string;
  claimedAt: Date;
  pid: number;
}

/**
 * Modified less than `minAgeMs` ago. FTP listings (LIST) carry no usable time, so the file's MLST is asked
 * then; a time ahead of ours (another clock or time zone) holds nothing back.
 */
export async function isYoung(
  transfer: FileTransfer,
  remoteDir: string,
  entry: RemoteEntry,
  options: Pick<ClaimOptions, "minAgeMs" | "now">,
): Promise<boolean> {
  const minAgeMs = options.minAgeMs ?? 0;
  if (minAgeMs <= 0) return false;
  const modifiedAt =
    entry.modifiedAt ??
    (await transfer.stat(joinRemote(remoteDir, entry.name)).catch(() => undefined))?.modifiedAt;
  if (!modifiedAt) return false;
  const age = (options.now?.() ?? new Date()).getTime() - modifiedAt.getTime();
  return age >= 0 && age < minAgeMs;
}

const CLAIM_NAME = /^(.+)\.claim-(\d{8}T\d{6}Z)-(\d+)-([0-9a-f]+)$/;

/**
 * Claims every file of `remoteDir` for this run (seed 001 §8.2, made safe). Per file: rename it into the claim
 * folder under a name that marks it as claimed (the rename is what stops a concurrent run from taking it), then
 * download it into `workDir`. If the download fails the file is moved back at once and the error names it; if
 * the server is gone too, it stays claimed and the next run's `restoreStaleClaims` puts it back. Nothing is
 * removed on either side until the job calls `finished()`.
 */
export async function claimFiles(
  transfer: FileTransfer,
  remoteDir: string,
  workDir: string,
  options: ClaimOptions = {},
): Promise<ClaimResult> {
  const logger = options.logger ?? silentLogger();
  const claimDir = claimFolderOf(remoteDir, options.claimFolder);
  const result: ClaimResult = { files: [], errors: [], restored: [], young: [] };
  if (options.restoreStale !== false) {
    const stale = await restoreStaleClaims(transfer, remoteDir, options);
    result.restored.push(...stale.restored);
    result.errors.push(...stale.errors);
  }
  const filter =
    options.filter ?? ((entry: RemoteEntry) => entry.type === "file" && !entry.name.startsWith("."));
  const listed = (await transfer.list(remoteDir)).filter(filter);
  const candidates: RemoteEntry[] = [];
  for (const entry of listed) {
    if (await isYoung(transfer, remoteDir, entry, options)) {
      logger.info(
        `left ${joinRemote(remoteDir, entry.name)} for the next run: modified less than ` +
          `${Math.round((options.minAgeMs ?? 0) / 1000)} s ago, it may still be being written`,
      );
      result.young.push(entry.name);
    } else candidates.push(entry);
  }
  if (candidates.length === 0) return result;
  await transfer.mkdirp(claimDir);
  const claimId = newClaimId(options.now?.() ?? new Date());

  for (const entry of candidates) {
    const originalPath = joinRemote(remoteDir, entry.name);
    const claimedPath = joinRemote(claimDir, `${entry.name}.claim-${claimId}`);
    const localPath = path.join(workDir, entry.name);
    try {
      await transfer.rename(originalPath, claimedPath);
    } catch (error) {
      if (error instanceof RemoteNotFoundError) {
        logger.info(`${originalPath} is gone (another run took it); skipped`);
        continue;
      }
      if (error instanceof TransferConnectionError) {
        // The rename may have happened just before the connection went: then the next run puts it back.
        result.errors.push(
          new ClaimError(
            { stage: "claim", file: originalPath, claimedPath, location: originalPath, inPlace: false },
            `could not claim ${originalPath}: ${error.message}; it is still there, or claimed as ${claimedPath} ` +
              `if the rename went through before the connection was lost (the next run puts it back)`,
            { cause: error },
          ),
        );
        break;
      }
      result.errors.push(
        new ClaimError(
          { stage: "claim", file: originalPath, location: originalPath, inPlace: true },
          `could not claim ${originalPath}: ${(error as Error).message}; it was left where it was`,
          { cause: error },
        ),
      );
      continue;
    }
    logger.info(`claimed ${originalPath} as ${claimedPath}`);
    try {
      await transfer.download(claimedPath, localPath, {
        onProgress: options.onProgress && ((bytes) => options.onProgress!(originalPath, bytes)),
      });
    } catch (error) {
      const claimError = await downloadFailed(
        transfer,
        { originalPath, claimedPath },
        error,
        options,
        logger,
      );
      result.errors.push(claimError);
      // The server is gone: leave the other files alone; they stay where they are for the next run.
      if (!claimError.inPlace) break;
      continue;
    }
    logger.info(`downloaded ${claimedPath} to ${localPath} (${entry.size} bytes)`);
    result.files.push(
      new Claim(
        transfer,
        { name: entry.name, originalPath, claimedPath, localPath, size: entry.size },
        options,
        logger,
      ),
    );
  }
  return result;
}

/**
 * Puts back the files a run left in the claim folder when it died between claiming and finishing (their names
 * still carry `.claim-<id>`). Call it holding the job's lock, so that no live run's claim is taken back.
 * Files already finished keep their plain names and are left alone.
 */
/**
 * The files a run that died left claimed, without touching them (--dry-run): where each is and where the next
 * run will put it back.
 */
export async function staleClaims(
  transfer: FileTransfer,
  remoteDir: string,
  claimFolder?: string,
): Promise<{ claimedPath: string; originalPath: string; name: string }[]> {
  const claimDir = claimFolderOf(remoteDir, claimFolder);
  const entries = await transfer.list(claimDir).catch((error: unknown) => {
    if (error instanceof RemoteNotFoundError) return [];
    throw error;
  });
  return entries.flatMap((entry) => {
    const parsed = parseClaimName(entry.name);
    if (!parsed || entry.type !== "file") return [];
    const claimedPath = joinRemote(claimDir, entry.name);
    return [{ claimedPath, originalPath: joinRemote(remoteDir, parsed.name), name: parsed.name }];
  });
}

export async function restoreStaleClaims(
  transfer: FileTransfer,
  remoteDir: string,
  options: Pick<ClaimOptions, "claimFolder" | "logger" | "restoreAttempts" | "restoreDelayMs"> = {},
): Promise<{ restored: RestoredClaim[]; errors: ClaimError[] }> {
  const logger = options.logger ?? silentLogger();
  const claimDir = claimFolderOf(remoteDir, options.claimFolder);
  const out: { restored: RestoredClaim[]; errors: ClaimError[] } = { restored: [], errors: [] };
  let entries: RemoteEntry[];
  try {
    entries = await transfer.list(claimDir);
  } catch (error) {
    if (error instanceof RemoteNotFoundError) return out;
    throw error;
  }
  for (const entry of entries) {
    const parsed = parseClaimName(entry.name);
    if (!parsed || entry.type !== "file") continue;
    const claimedPath = joinRemote(claimDir, entry.name);
    const originalPath = joinRemote(remoteDir, parsed.name);
    const moved = await moveBack(transfer, claimedPath, originalPath, options);
    if ("restoredTo" in moved) {
      logger.warn(
        `put back ${moved.restoredTo}: a run (pid ${parsed.pid}) claimed it at ${parsed.claimedAt.toISOString()} ` +
          `and did not finish`,
      );
      out.restored.push({
        claimedPath,
        restoredTo: moved.restoredTo,
        claimedAt: parsed.claimedAt,
        pid: parsed.pid,
      });
    } else {
      out.errors.push(
        new ClaimError(
          { stage: "restore", file: originalPath, claimedPath, location: claimedPath, inPlace: false },
          `could not put back ${originalPath} from ${claimedPath}: ${moved.error.message}; it stays there for the next run`,
          { cause: moved.error },
        ),
      );
      if (moved.error instanceof TransferConnectionError) break;
    }
  }
  return out;
}

/**
 * The claim folder of a remote folder: `claimFolder` inside it. Throws {@link ClaimFolderError} for one other
 * folders could share (absolute, `..`, the remote folder itself), see {@link claimFolderSegments}.
 */
export function claimFolderOf(remoteDir: string, claimFolder = DEFAULT_CLAIM_FOLDER): string {
  const segments = claimFolderSegments(claimFolder);
  if (!segments) throw new ClaimFolderError(claimFolder, remoteDir);
  return joinRemote(remoteDir, segments.join("/"));
}

/** The parts of a claimed name (`<name>.claim-<UTC time>-<pid>-<random>`), or undefined for any other name. */
export function parseClaimName(
  claimedName: string,
): { name: string; claimedAt: Date; pid: number } | undefined {
  const match = CLAIM_NAME.exec(claimedName);
  if (!match) return undefined;
  const t = match[2]!;
  const iso = `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}Z`;
  return { name: match[1]!, claimedAt: new Date(iso), pid: Number(match[3]) };
}

function newClaimId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

class Claim implements ClaimedFile {
  readonly name: string;
  readonly originalPath: string;
  readonly claimedPath: string;
  readonly localPath: string;
  readonly size: number;
  #outcome: { kind: "finished" | "failed"; done: Promise<string> } | undefined;

  constructor(
    private readonly transfer: FileTransfer,
    file: Pick<ClaimedFile, "name" | "originalPath" | "claimedPath" | "localPath" | "size">,
    private readonly options: ClaimOptions,
    private readonly logger: Logger,
  ) {
    this.name = file.name;
    this.originalPath = file.originalPath;
    this.claimedPath = file.claimedPath;
    this.localPath = file.localPath;
    this.size = file.size;
  }

  finished(): Promise<string> {
    return this.settle("finished", () => this.archive());
  }

  failed(): Promise<string> {
    return this.settle("failed", () => this.putBack());
  }

  private settle(kind: "finished" | "failed", act: () => Promise<string>): Promise<string> {
    if (this.#outcome && this.#outcome.kind !== kind) {
      return Promise.reject(new Error(`${this.originalPath} was already marked ${this.#outcome.kind}`));
    }
    if (!this.#outcome) {
      const done = act();
      this.#outcome = { kind, done };
      // A failed attempt may be tried again.
      done.catch(() => {
        this.#outcome = undefined;
      });
    }
    return this.#outcome.done;
  }

  private async archive(): Promise<string> {
    const claimDir = remoteDirname(this.claimedPath);
    let archived = "";
    try {
      archived = await renameToFreeName(this.transfer, this.claimedPath, claimDir, this.name);
    } catch (error) {
      throw new ClaimError(
        {
          stage: "finish",
          file: this.originalPath,
          claimedPath: this.claimedPath,
          location: this.claimedPath,
          inPlace: false,
        },
        `could not archive ${this.claimedPath}${archived ? ` as ${archived}` : ""} after the job finished with it: ` +
          `${(error as Error).message}; it stays claimed, and the next run puts it back and processes it again`,
        { cause: error },
      );
    }
    if (!this.options.keepLocal) await rm(this.localPath, { force: true });
    this.logger.info(`finished with ${this.originalPath}: archived as ${archived}`);
    return archived;
  }

  private async putBack(): Promise<string> {
    const moved = await moveBack(this.transfer, this.claimedPath, this.originalPath, this.options);
    if ("error" in moved) {
      throw new ClaimError(
        {
          stage: "restore",
          file: this.originalPath,
          claimedPath: this.claimedPath,
          location: this.claimedPath,
          inPlace: false,
        },
        `could not move ${this.originalPath} back from ${this.claimedPath}: ${moved.error.message}; ` +
          `it stays claimed and the next run puts it back; the local copy ${this.localPath} is kept`,
        { cause: moved.error },
      );
    }
    this.logger.warn(`moved ${moved.restoredTo} back for a later run; local copy kept at ${this.localPath}`);
    return moved.restoredTo;
  }
}

async function downloadFailed(
  transfer: FileTransfer,
  paths: { originalPath: string; claimedPath: string },
  error: unknown,
  options: ClaimOptions,
  logger: Logger,
): Promise<ClaimError> {
  const { originalPath, claimedPath } = paths;
  const reason = (error as Error).message;
  const moved = await moveBack(transfer, claimedPath, originalPath, options);
  if ("restoredTo" in moved) {
    logger.error(`could not download ${originalPath}: ${reason}; moved it back to ${moved.restoredTo}`);
    return new ClaimError(
      { stage: "download", file: originalPath, claimedPath, location: moved.restoredTo, inPlace: true },
      `could not download ${originalPath} (claimed as ${claimedPath}): ${reason}; it was moved back to ${moved.restoredTo}`,
      { cause: error },
    );
  }
  logger.error(
    `could not download ${originalPath}: ${reason}; moving it back failed too: ${moved.error.message}; ` +
      `it stays as ${claimedPath} until the next run puts it back`,
  );
  return new ClaimError(
    { stage: "download", file: originalPath, claimedPath, location: claimedPath, inPlace: false },
    `could not download ${originalPath} (claimed as ${claimedPath}): ${reason}; moving it back failed too ` +
      `(${moved.error.message}): it stays as ${claimedPath} and the next run puts it back`,
    { cause: error },
  );
}

/** Renames a claimed file back to its folder, never over another file; tried a few times with a pause. */
async function moveBack(
  transfer: FileTransfer,
  claimedPath: string,
  originalPath: string,
  options: Pick<ClaimOptions, "restoreAttempts" | "restoreDelayMs">,
): Promise<{ restoredTo: string } | { error: Error }> {
  const attempts = options.restoreAttempts ?? 3;
  const delayMs = options.restoreDelayMs ?? 1000;
  let lastError: Error = new Error("not tried");
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const dir = remoteDirname(originalPath);
      return { restoredTo: await renameToFreeName(transfer, claimedPath, dir, remoteBasename(originalPath)) };
    } catch (error) {
      lastError = error as Error;
      if (attempt < attempts) await sleep(delayMs * attempt);
    }
  }
  return { error: lastError };
}

/**
 * Renames `from` into `dir` as `name`, or `stem~N.ext` when that is taken. Names are probed one by one (no
 * listing of a claim folder that may hold years of files); a name taken between probe and rename is skipped.
 */
async function renameToFreeName(
  transfer: FileTransfer,
  from: string,
  dir: string,
  name: string,
): Promise<string> {
  for (const candidate of nameCandidates(name)) {
    const target = joinRemote(dir, candidate);
    if (await transfer.exists(target)) continue;
    try {
      await transfer.rename(from, target);
      return target;
    } catch (error) {
      if (!(error instanceof RemoteExistsError)) throw error;
    }
  }
  throw new Error("unreachable");
}

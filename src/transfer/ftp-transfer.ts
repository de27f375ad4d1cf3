import { createReadStream, createWriteStream } from "node:fs";
import { isIP } from "node:net";
import type { TLSSocket } from "node:tls";
import { Client, FileType, FTPError, type FileInfo } from "basic-ftp";
import { BaseTransfer } from "./base-transfer.js";
import type { RemoteEntry } from "./file-transfer.js";
import {
  HostKeyMismatchError,
  RemoteNotFoundError,
  TransferAuthError,
  TransferConnectionError,
  TransferError,
  type TransferErrorContext,
} from "./errors.js";
import { looksLikeConnectionLoss } from "./connection-loss.js";
import { fingerprintMatches, parseFingerprint, sha256Fingerprint } from "./fingerprint.js";
import { remoteBasename, remoteDirname } from "./remote-path.js";

const FILE_UNAVAILABLE = 550;
const ACTION_NOT_TAKEN = 450;
const NOT_LOGGED_IN = 530;

/**
 * FTP over basic-ftp, plain or explicit FTPS (`AUTH TLS`). With `hostKeySha256` the server certificate is pinned
 * by its SHA-256 fingerprint (self-signed certificates are common on these servers) and checked before the
 * password is sent; without it the certificate must be valid for the system's CAs.
 */
export class FtpTransfer extends BaseTransfer {
  #client: Client | undefined;
  #home = "/";
  #mlst: boolean | undefined;

  protected async open(): Promise<void> {
    const { protocol, host, port, user, password, hostKeySha256, timeoutMs } = this.settings;
    const client = new Client(timeoutMs);
    this.#client = client;
    this.#mlst = undefined;
    await client.connect(host, port);
    if (protocol === "ftps") {
      if (hostKeySha256) parseFingerprint(hostKeySha256);
      // SNI carries host names only.
      await client.useTLS({
        host,
        servername: isIP(host) ? undefined : host,
        rejectUnauthorized: !hostKeySha256,
      });
      if (hostKeySha256) {
        const certificate = (client.ftp.socket as TLSSocket).getPeerCertificate(true).raw;
        if (!fingerprintMatches(hostKeySha256, certificate)) {
          throw new HostKeyMismatchError(
            this.context("connect"),
            hostKeySha256,
            sha256Fingerprint(certificate),
          );
        }
      }
    }
    await client.login(user, password ?? "");
    await client.useDefaultSettings();
    this.#home = await client.pwd();
  }

  protected shutdown(): Promise<void> {
    this.#client?.close();
    this.#client = undefined;
    return Promise.resolve();
  }

  protected isAlive(): boolean {
    return this.#client !== undefined && !this.#client.closed;
  }

  protected isConnectionLoss(error: unknown): boolean {
    if (error instanceof FTPError) return false;
    return looksLikeConnectionLoss(error, /client is closed|FIN packet|not connected/i);
  }

  protected translate(error: unknown, context: TransferErrorContext): TransferError {
    const message = this.scrub((error as Error).message ?? String(error));
    const ftpCode = error instanceof FTPError ? error.code : undefined;
    if (context.operation === "connect") {
      if (ftpCode === NOT_LOGGED_IN)
        return new TransferAuthError(context, `login refused: ${message}`, { cause: error });
      return new TransferConnectionError(context, message, { cause: error });
    }
    if (ftpCode === FILE_UNAVAILABLE || (error as { code?: unknown }).code === "ENOENT") {
      return new RemoteNotFoundError(context, message, { cause: error });
    }
    if (this.isConnectionLoss(error) || !this.isAlive()) {
      return new TransferConnectionError(context, `connection lost: ${message}`, { cause: error });
    }
    return new TransferError(context, message, { cause: error });
  }

  protected async rawList(dir: string): Promise<RemoteEntry[]> {
    let entries: FileInfo[];
    try {
      entries = await this.client().list(dir);
    } catch (error) {
      // Servers answer a missing folder with 550, 450 or 451: look whether it is there.
      if (error instanceof FTPError && !(await this.rawStat(dir))) {
        throw Object.assign(new Error(`no such folder (${error.message})`), { code: "ENOENT" });
      }
      throw error;
    }
    return entries.filter((entry) => entry.name !== "." && entry.name !== "..").map(toEntry);
  }

  /**
   * With MLST (RFC 3659: pure-ftpd, ProFTPD, FileZilla, IIS) one command on the control connection; otherwise
   * a listing of the parent folder, which every server has. Not CWD: pure-ftpd slows every failed CWD down
   * by 100 ms more than the one before, and most stats are of paths that do not exist yet.
   */
  protected async rawStat(remotePath: string): Promise<RemoteEntry | undefined> {
    const name = remoteBasename(remotePath);
    if (name === "" || remotePath === "/" || remotePath === ".")
      return { name: remotePath, type: "directory", size: 0 };
    const client = this.client();
    this.#mlst ??= (await client.features()).has("MLST");
    if (this.#mlst) {
      try {
        return parseMlst(name, (await client.send(`MLST ${remotePath}`)).message);
      } catch (error) {
        if (!(error instanceof FTPError)) throw error;
        if (error.code === FILE_UNAVAILABLE || error.code === ACTION_NOT_TAKEN) return undefined;
        this.#mlst = false;
      }
    }
    return this.statByListing(remotePath);
  }

  private async statByListing(remotePath: string): Promise<RemoteEntry | undefined> {
    let entries: FileInfo[];
    try {
      entries = await this.client().list(remoteDirname(remotePath));
    } catch (error) {
      // The folder cannot be listed: taken as missing (servers differ in the code they answer with).
      if (error instanceof FTPError) return undefined;
      throw error;
    }
    const found = entries.find((entry) => entry.name === remoteBasename(remotePath));
    if (!found) return undefined;
    const entry = toEntry(found);
    // LIST's times have no zone and often no seconds or year: ask MDTM (UTC), where the server has it.
    if (entry.type === "file" && !entry.modifiedAt) {
      entry.modifiedAt = await this.client()
        .lastMod(remotePath)
        .catch((error: unknown) => {
          if (error instanceof FTPError) return undefined;
          throw error;
        });
    }
    return entry;
  }

  // basic-ftp is given streams, not paths: with a path it closes the file descriptor itself after the stream
  // it destroyed on an interrupted transfer already did, and the second close can hit a descriptor reused by
  // someone else in this process (seen as EBADF elsewhere and libuv aborting).
  protected async rawDownload(
    remotePath: string,
    localPath: string,
    onProgress?: (bytes: number) => void,
  ): Promise<void> {
    const client = this.client();
    const output = createWriteStream(localPath);
    const closed = new Promise<void>((resolve) => output.once("close", () => resolve()));
    output.on("error", () => undefined);
    if (onProgress) client.trackProgress((info) => onProgress(info.bytes));
    try {
      await client.downloadTo(output, remotePath);
    } finally {
      client.trackProgress();
      output.end();
      await closed;
    }
  }

  protected async rawUpload(localPath: string, remotePath: string): Promise<void> {
    const input = createReadStream(localPath);
    const closed = new Promise<void>((resolve) => input.once("close", () => resolve()));
    input.on("error", () => undefined);
    try {
      await this.client().uploadFrom(input, remotePath);
    } finally {
      input.destroy();
      await closed;
    }
  }

  protected async rawRename(from: string, to: string): Promise<void> {
    await this.client().rename(from, to);
  }

  protected async rawReplace(from: string, to: string): Promise<boolean> {
    // Most servers (pure-ftpd, vsftpd, ProFTPD) replace on RNTO; some refuse while the target exists.
    try {
      await this.client().rename(from, to);
      return true;
    } catch (error) {
      if (error instanceof FTPError) return false;
      throw error;
    }
  }

  protected async rawRemove(remotePath: string): Promise<void> {
    await this.client().remove(remotePath);
  }

  protected async rawMkdirp(dir: string): Promise<void> {
    const client = this.client();
    // ensureDir walks into the folder: come back, so relative paths keep meaning the login folder.
    await client.ensureDir(dir);
    await client.cd(this.#home);
  }

  private client(): Client {
    if (!this.#client || this.#client.closed)
      throw Object.assign(new Error("not connected"), { code: "ECONNRESET" });
    return this.#client;
  }
}

function toEntry(info: FileInfo): RemoteEntry {
  return {
    name: info.name,
    type: info.type === FileType.File ? "file" : info.type === FileType.Directory ? "directory" : "other",
    size: info.size,
    modifiedAt: info.modifiedAt,
  };
}

/** The entry in an MLST answer (`250-…`, then ` type=file;size=12;modify=…; /path`, then `250 …`). */
function parseMlst(name: string, message: string): RemoteEntry | undefined {
  const line = message
    .split(/\r?\n/)
    .find((text) => /^\s*[^\s;]+=[^;]*;/.test(text) && !/^\d{3}[- ]/.test(text));
  if (!line) return undefined;
  const facts = new Map<string, string>();
  for (const fact of line.trim().split(" ")[0]!.split(";")) {
    const at = fact.indexOf("=");
    if (at > 0) facts.set(fact.slice(0, at).toLowerCase(), fact.slice(at + 1));
  }
  const type = facts.get("type")?.toLowerCase();
  const modify = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(facts.get("modify") ?? "");
  return {
    name,
    type: type === "file" ? "file" : type === "dir" || type === "cdir" ? "directory" : "other",
    size: Number(facts.get("size") ?? 0),
    modifiedAt: modify
      ? new Date(Date.UTC(+modify[1]!, +modify[2]! - 1, +modify[3]!, +modify[4]!, +modify[5]!, +modify[6]!))
      : undefined,
  };
}

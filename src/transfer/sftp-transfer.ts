import { readFile } from "node:fs/promises";
import SftpClient from "ssh2-sftp-client";
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
import { remoteBasename } from "./remote-path.js";
import { isPrivateKeyText } from "../runtime/private-key.js";

const SFTP_NO_SUCH_FILE = 2;

/** SFTP over ssh2-sftp-client: password or private key, optional host-key pinning by SHA-256 fingerprint. */
export class SftpTransfer extends BaseTransfer {
  #client: SftpClient | undefined;
  #alive = false;
  #offeredHostKey: string | undefined;
  #posixRename: boolean | undefined;

  protected async open(): Promise<void> {
    const { host, port, user, password, passphrase, hostKeySha256, timeoutMs } = this.settings;
    if (hostKeySha256) parseFingerprint(hostKeySha256);
    this.#offeredHostKey = undefined;
    const markDown = () => {
      this.#alive = false;
    };
    const client = new SftpClient("alma-rs", { end: markDown, close: markDown, error: markDown });
    this.#client = client;
    await client.connect({
      host,
      port,
      username: user,
      password,
      privateKey: await loadPrivateKey(this.settings.privateKey),
      passphrase,
      readyTimeout: timeoutMs,
      // A server that stops answering is noticed after about three intervals.
      keepaliveInterval: Math.max(1000, Math.min(10_000, Math.floor(timeoutMs / 3))),
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        if (!hostKeySha256) return true;
        if (fingerprintMatches(hostKeySha256, key)) return true;
        this.#offeredHostKey = sha256Fingerprint(key);
        return false;
      },
    });
    this.#alive = true;
    this.#posixRename = undefined;
  }

  protected async shutdown(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    this.#alive = false;
    if (!client) return;
    const ended = await boundedEnd(client.end(), 2000);
    // A connection that does not close politely is cut.
    if (!ended) (client as unknown as { client?: { destroy(): void } }).client?.destroy();
  }

  protected isAlive(): boolean {
    return this.#alive && this.#client !== undefined;
  }

  protected isConnectionLoss(error: unknown): boolean {
    const code = String((error as { code?: unknown } | undefined)?.code);
    if (code === "ERR_NOT_CONNECTED") return true;
    return looksLikeConnectionLoss(
      error,
      /no sftp connection|not connected|unexpected (end|close)|no response from server|channel (open|closed)|keepalive/i,
    );
  }

  protected translate(error: unknown, context: TransferErrorContext): TransferError {
    const err = error as { code?: unknown; level?: string; message?: string };
    const message = this.scrub(err.message ?? String(error));
    if (context.operation === "connect") {
      if (this.#offeredHostKey && this.settings.hostKeySha256) {
        return new HostKeyMismatchError(context, this.settings.hostKeySha256, this.#offeredHostKey);
      }
      if (err.level === "client-authentication" || /authentication methods failed/i.test(message)) {
        return new TransferAuthError(context, "login refused (user, password or key)", { cause: error });
      }
      return new TransferConnectionError(context, message, { cause: error });
    }
    if (isNotFound(error)) return new RemoteNotFoundError(context, message, { cause: error });
    if (this.isConnectionLoss(error) || !this.isAlive()) {
      return new TransferConnectionError(context, `connection lost: ${message}`, { cause: error });
    }
    return new TransferError(context, message, { cause: error });
  }

  protected async rawList(dir: string): Promise<RemoteEntry[]> {
    const entries = await this.client().list(dir);
    return entries
      .filter((entry) => entry.name !== "." && entry.name !== "..")
      .map((entry) => ({
        name: entry.name,
        type: entry.type === "d" ? "directory" : entry.type === "-" ? "file" : "other",
        size: entry.size,
        modifiedAt: new Date(entry.modifyTime),
      }));
  }

  protected async rawStat(remotePath: string): Promise<RemoteEntry | undefined> {
    try {
      const stats = await this.client().stat(remotePath);
      return {
        name: remoteBasename(remotePath),
        type: stats.isDirectory ? "directory" : stats.isFile ? "file" : "other",
        size: stats.size,
        modifiedAt: new Date(stats.modifyTime),
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  protected async rawDownload(
    remotePath: string,
    localPath: string,
    onProgress?: (bytes: number) => void,
  ): Promise<void> {
    await this.client().fastGet(remotePath, localPath, {
      step: onProgress ? (transferred) => onProgress(transferred) : undefined,
    });
  }

  protected async rawUpload(localPath: string, remotePath: string): Promise<void> {
    await this.client().fastPut(localPath, remotePath);
  }

  protected async rawRename(from: string, to: string): Promise<void> {
    await this.client().rename(from, to);
  }

  protected async rawReplace(from: string, to: string): Promise<boolean> {
    if (this.#posixRename === false) return false;
    try {
      await this.client().posixRename(from, to);
      this.#posixRename = true;
      return true;
    } catch (error) {
      if (!/does not support/i.test((error as Error).message)) throw error;
      this.#posixRename = false;
      return false;
    }
  }

  protected async rawRemove(remotePath: string): Promise<void> {
    await this.client().delete(remotePath);
  }

  protected async rawMkdirp(dir: string): Promise<void> {
    const existing = await this.rawStat(dir);
    if (existing?.type === "directory") return;
    await this.client().mkdir(dir, true);
  }

  private client(): SftpClient {
    if (!this.#client) throw Object.assign(new Error("not connected"), { code: "ERR_NOT_CONNECTED" });
    return this.#client;
  }
}

function isNotFound(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: string };
  return code === SFTP_NO_SUCH_FILE || code === "ENOENT" || /no such file/i.test(message ?? "");
}

/** A private key given as its text, or read from the path given. */
async function loadPrivateKey(key: string | undefined): Promise<Buffer | string | undefined> {
  if (!key) return undefined;
  if (isPrivateKeyText(key)) return key;
  return readFile(key);
}

/** Whether `ending` settled within `ms`. */
async function boundedEnd(ending: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    ending.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return settled;
}

import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { sleep } from "../runtime/backoff.js";
import { silentLogger, type Logger } from "../runtime/logger.js";
import type { DownloadOptions, FileTransfer, RemoteEntry } from "./file-transfer.js";
import {
  RemoteExistsError,
  RemoteNotFoundError,
  scrubSecrets,
  secretsOf,
  TransferConnectionError,
  TransferError,
  TransferSizeError,
  type TransferErrorContext,
  type TransferOperation,
} from "./errors.js";
import { joinRemote, partPathFor, remoteBasename, remoteDirname } from "./remote-path.js";
import type { TransferSettings } from "./settings.js";

const CONNECT_TRIES = 2;
const CONNECT_PAUSE_MS = 500;

export interface TransferOptions {
  logger?: Logger;
}

/**
 * What SFTP and FTP share: one operation at a time, reconnect once when the connection drops, the checks that
 * make downloads and uploads whole, and the rename that never replaces. Subclasses supply the raw steps.
 */
export abstract class BaseTransfer implements FileTransfer {
  readonly settings: Readonly<TransferSettings>;
  protected readonly logger: Logger;
  readonly #secrets: readonly string[];
  #queue: Promise<unknown> = Promise.resolve();

  constructor(settings: TransferSettings, options: TransferOptions = {}) {
    this.settings = Object.freeze({ ...settings });
    this.#secrets = secretsOf(settings);
    this.logger = options.logger ?? silentLogger();
  }

  /** Opens a connection; throws the library's error (or a TransferError it already knows). */
  protected abstract open(): Promise<void>;
  /** Closes the connection, quietly and in bounded time. */
  protected abstract shutdown(): Promise<void>;
  /** Whether the connection is believed to be up. */
  protected abstract isAlive(): boolean;
  /** Whether a library error means the connection is gone (and a reconnect may help). */
  protected abstract isConnectionLoss(error: unknown): boolean;
  /** A library error as the TransferError subclass that says what happened. */
  protected abstract translate(error: unknown, context: TransferErrorContext): TransferError;

  protected abstract rawList(dir: string): Promise<RemoteEntry[]>;
  protected abstract rawStat(remotePath: string): Promise<RemoteEntry | undefined>;
  protected abstract rawDownload(
    remotePath: string,
    localPath: string,
    onProgress?: (bytes: number) => void,
  ): Promise<void>;
  protected abstract rawUpload(localPath: string, remotePath: string): Promise<void>;
  /** A plain rename; whether it replaces an existing target depends on the server. */
  protected abstract rawRename(from: string, to: string): Promise<void>;
  /** Renames `from` over `to` in one step when the server can; resolves false when it cannot. */
  protected abstract rawReplace(from: string, to: string): Promise<boolean>;
  protected abstract rawRemove(remotePath: string): Promise<void>;
  protected abstract rawMkdirp(dir: string): Promise<void>;

  connect(): Promise<void> {
    return this.serialize(() => this.ensureConnected(this.context("connect")));
  }

  close(): Promise<void> {
    return this.serialize(() => this.shutdown());
  }

  list(dir: string): Promise<RemoteEntry[]> {
    return this.run("list", dir, () => this.rawList(dir));
  }

  stat(remotePath: string): Promise<RemoteEntry | undefined> {
    return this.run("stat", remotePath, () => this.rawStat(remotePath));
  }

  async exists(remotePath: string): Promise<boolean> {
    return (await this.run("exists", remotePath, () => this.rawStat(remotePath))) !== undefined;
  }

  async download(remotePath: string, localPath: string, options: DownloadOptions = {}): Promise<void> {
    const partial = `${localPath}.part`;
    await mkdir(path.dirname(localPath), { recursive: true });
    try {
      await this.run("download", remotePath, async (context) => {
        const entry = await this.rawStat(remotePath);
        if (!entry) throw new RemoteNotFoundError(context, "no such file");
        if (entry.type !== "file") throw new TransferError(context, `not a file (${entry.type})`);
        await this.rawDownload(remotePath, partial, options.onProgress);
        const received = (await stat(partial)).size;
        if (received !== entry.size) throw new TransferSizeError(context, entry.size, received);
        await syncFile(partial);
        await rename(partial, localPath);
      });
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async upload(localPath: string, remotePath: string): Promise<void> {
    const size = (await stat(localPath)).size;
    const part = partPathFor(remotePath);
    await this.run("upload", remotePath, async (context) => {
      await this.rawUpload(localPath, part);
      const written = await this.rawStat(part);
      if (written?.size !== size) {
        await this.rawRemove(part).catch(() => undefined);
        throw new TransferSizeError(context, size, written?.size ?? 0);
      }
      await this.replace(part, remotePath);
    });
  }

  rename(from: string, to: string): Promise<void> {
    return this.run("rename", from, async (context, attempt) => {
      // The first attempt may have renamed before the connection dropped: then the work is done.
      if (attempt > 1 && !(await this.rawStat(from)) && (await this.rawStat(to))) return;
      if (await this.rawStat(to)) throw new RemoteExistsError(context, `${to} exists already`);
      try {
        await this.rawRename(from, to);
      } catch (error) {
        if (!(await this.rawStat(from)))
          throw new RemoteNotFoundError(context, "no such file", { cause: error });
        throw error;
      }
    });
  }

  remove(remotePath: string): Promise<void> {
    return this.run("remove", remotePath, async (context, attempt) => {
      const present = await this.rawStat(remotePath);
      if (!present && attempt > 1) return;
      if (!present) throw new RemoteNotFoundError(context, "no such file");
      await this.rawRemove(remotePath);
    });
  }

  mkdirp(dir: string): Promise<void> {
    return this.run("mkdirp", dir, () => this.rawMkdirp(dir));
  }

  /**
   * Puts `from` in place of `to`. In one step when the server can; otherwise the old target is moved aside,
   * `from` renamed in, and the old one removed — a reader may find no file for a moment, never half of one.
   */
  private async replace(from: string, to: string): Promise<void> {
    if (!(await this.rawStat(to))) return this.rawRename(from, to);
    if (await this.rawReplace(from, to)) return;
    const aside = joinRemote(
      remoteDirname(to),
      `.${remoteBasename(to)}.replaced-${randomBytes(4).toString("hex")}`,
    );
    await this.rawRename(to, aside);
    try {
      await this.rawRename(from, to);
    } catch (error) {
      await this.rawRename(aside, to).catch(() => undefined);
      throw error;
    }
    await this.rawRemove(aside).catch((error: unknown) =>
      this.logger.warn(`could not remove the replaced ${aside}: ${(error as Error).message}`),
    );
  }

  /**
   * Runs one operation: connects when needed, and when the connection drops (or a transfer comes up short)
   * reconnects once and runs it again. `attempt` lets an operation recognise work its first try already did.
   */
  protected run<T>(
    operation: TransferOperation,
    remotePath: string,
    step: (context: TransferErrorContext, attempt: number) => Promise<T>,
  ): Promise<T> {
    return this.serialize(async () => {
      const context = this.context(operation, remotePath);
      await this.ensureConnected(context);
      try {
        return await step(context, 1);
      } catch (error) {
        const retryable =
          error instanceof TransferSizeError || this.isConnectionLoss(error) || !this.isAlive();
        if (!retryable) throw this.asTransferError(error, context);
        const reason = this.scrub((error as Error).message);
        this.logger.warn(
          `${operation} ${remotePath}: connection to ${this.settings.host}:${this.settings.port} lost or transfer ` +
            `incomplete (${reason}); reconnecting once`,
        );
        await this.shutdown();
        try {
          await this.openOnce(context);
        } catch (reconnectError) {
          throw new TransferConnectionError(
            context,
            `connection lost (${reason}) and reconnecting failed: ${this.scrub((reconnectError as Error).message)}`,
            { cause: reconnectError },
          );
        }
        try {
          return await step(context, 2);
        } catch (secondError) {
          throw this.asTransferError(secondError, context);
        }
      }
    });
  }

  protected context(operation: TransferOperation, remotePath?: string): TransferErrorContext {
    const { protocol, host, port, user } = this.settings;
    return { protocol, host, port, user, operation, path: remotePath };
  }

  protected scrub(message: string): string {
    return scrubSecrets(message, this.#secrets);
  }

  private async ensureConnected(context: TransferErrorContext): Promise<void> {
    if (this.isAlive()) return;
    await this.openOnce(context);
  }

  /**
   * Opens a connection. A connection-level failure (refused, reset, closed during the greeting) gets a second
   * try a moment later — a server that is restarting; a refused login or host key does not.
   */
  private async openOnce(context: TransferErrorContext): Promise<void> {
    const connectContext: TransferErrorContext = { ...context, operation: "connect" };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.open();
        break;
      } catch (error) {
        await this.shutdown();
        const failure = this.asTransferError(error, connectContext);
        if (attempt >= CONNECT_TRIES || !(failure instanceof TransferConnectionError)) throw failure;
        this.logger.debug(`connecting failed (${failure.message}); trying once more`);
        await sleep(Math.min(CONNECT_PAUSE_MS, this.settings.timeoutMs));
      }
    }
    this.logger.debug(`connected to ${this.settings.protocol}://${this.settings.host}:${this.settings.port}`);
  }

  private asTransferError(error: unknown, context: TransferErrorContext): TransferError {
    return error instanceof TransferError ? error : this.translate(error, context);
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(task, task);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

async function syncFile(file: string): Promise<void> {
  const handle = await open(file, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

import type { TransferSettings } from "./settings.js";

export interface RemoteEntry {
  name: string;
  type: "file" | "directory" | "other";
  size: number;
  modifiedAt?: Date;
}

export interface DownloadOptions {
  /** Called as bytes arrive, with the running total (progress display, tests). */
  onProgress?: (bytes: number) => void;
}

/**
 * One connection to a file server (SFTP or FTP), the same operations on both. Operations run one at a time in
 * the order called. A connection that drops is re-opened once per operation, and the operation is run again;
 * failures are `TransferError`s naming host, port, user and path, never the password.
 */
export interface FileTransfer {
  readonly settings: Readonly<TransferSettings>;
  /** Opens the connection (operations also open it on first use). */
  connect(): Promise<void>;
  /** Closes the connection; a closed transfer may be connected again. */
  close(): Promise<void>;
  /** The entries of a folder, without `.` and `..`. */
  list(dir: string): Promise<RemoteEntry[]>;
  /** The entry at a path, or undefined when there is none. */
  stat(remotePath: string): Promise<RemoteEntry | undefined>;
  exists(remotePath: string): Promise<boolean>;
  /**
   * Streams a remote file to `localPath`. It is written as `<localPath>.part` and renamed when complete and
   * of the remote size, so `localPath` never holds half a file.
   */
  download(remotePath: string, localPath: string, options?: DownloadOptions): Promise<void>;
  /**
   * Uploads atomically: writes `.<name>.part` in the target's folder, checks its size, then renames it over the
   * target, so a reader (Alma) sees the old file or the whole new one, never part of it.
   */
  upload(localPath: string, remotePath: string): Promise<void>;
  /** Renames; never replaces: fails with `RemoteExistsError` when `to` exists, on every server. */
  rename(from: string, to: string): Promise<void>;
  remove(remotePath: string): Promise<void>;
  /** Creates a folder and its missing parents; an existing folder is fine. */
  mkdirp(dir: string): Promise<void>;
}

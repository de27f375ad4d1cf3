import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TransferSettings } from "../../transfer/settings.js";

/**
 * A file server serving a local folder on loopback: the in-process ones here, and the real daemons the tests
 * start. The same transfer tests run against each.
 */
export interface RunningFileServer {
  /** What it is, for test titles and the sandbox printout ("in-process SFTP", "OpenSSH sshd"). */
  readonly kind: string;
  /** The local folder served. */
  readonly root: string;
  /** The path clients use for `root` ("/" when the server shows the folder as its root). */
  readonly remoteRoot: string;
  /** How to connect and log in (pinned host key or certificate where there is one). */
  settings(): TransferSettings;
  /**
   * Cuts every client connection; the server goes on listening (a dropped connection). The cut is made before
   * the call returns; the promise resolves once it is complete.
   */
  dropConnections(): Promise<void>;
  /** Cuts every connection and stops listening, as if the server had died (cut before the call returns). */
  stop(): Promise<void>;
  /** Listens again on the same port after `stop()`. */
  start(): Promise<void>;
  /** Stops for good and removes what it created (the temp folder when it made one). */
  close(): Promise<void>;
}

/** The folder to serve: the one given, or a new temp folder that `cleanup` removes. */
export async function servedFolder(
  given: string | undefined,
  prefix: string,
): Promise<{ root: string; cleanup: () => Promise<void> }> {
  if (given) return { root: path.resolve(given), cleanup: () => Promise.resolve() };
  const root = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** A random string for generated passwords. */
export function randomPassword(): string {
  return `pw-${randomBytes(12).toString("base64url")}`;
}

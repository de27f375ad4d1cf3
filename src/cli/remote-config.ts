import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import got from "got";
import type { RemoteConfigFetcher } from "../config/load.js";
import { createFileTransfer } from "../transfer/create-transfer.js";
import { remoteBasename } from "../transfer/remote-path.js";
import { settingsFromUrl } from "../transfer/url-settings.js";

const HTTPS_TIMEOUT_MS = 30_000;

/**
 * CONFIG_FILE given as a URL (seed 001 §3.1): `sftp://` and `ftp://`/`ftps://` through the file-transfer module,
 * `https://` through got. Plain `http://` is refused: the file holds API keys and passwords.
 */
export const fetchRemoteConfig: RemoteConfigFetcher = async (url) => {
  switch (url.protocol) {
    case "sftp:":
    case "ftp:":
    case "ftps:":
      return fetchFromFileServer(url);
    case "https:":
      return got(url, { timeout: { request: HTTPS_TIMEOUT_MS }, retry: { limit: 2 } }).text();
    case "http:":
      throw new Error("refusing http://: the configuration holds secrets; use https://");
    default:
      throw new Error(`${url.protocol}// URLs are not supported; use sftp://, ftp://, ftps:// or https://`);
  }
};

async function fetchFromFileServer(url: URL): Promise<string> {
  const { settings, remotePath } = settingsFromUrl(url);
  const transfer = createFileTransfer(settings);
  const folder = await mkdtemp(path.join(os.tmpdir(), "alma-rs-config-"));
  try {
    const local = path.join(folder, remoteBasename(remotePath) || "conf.json");
    await transfer.download(remotePath, local);
    return await readFile(local, "utf8");
  } finally {
    await transfer.close();
    await rm(folder, { recursive: true, force: true });
  }
}

import { defaultPort, DEFAULT_TIMEOUT_MS, type TransferProtocol, type TransferSettings } from "./settings.js";

/**
 * Transfer settings and the file's path from an `sftp://`, `ftp://` or `ftps://` URL
 * (`sftp://user:password@host:port/path/conf.json`). User and password are percent-decoded. Query parameters:
 * `host_key_sha256`, `private_key` (a path), `timeout_ms`.
 *
 * Paths follow curl: for SFTP the URL path is absolute (`/~/` starts at the login folder); for FTP it is relative to
 * the login folder (as the Java app's URL reader had it), and `/%2F…` makes it absolute.
 */
export function settingsFromUrl(url: URL): { settings: TransferSettings; remotePath: string } {
  const protocol = url.protocol.replace(/:$/, "") as TransferProtocol;
  if (!["sftp", "ftp", "ftps"].includes(protocol))
    throw new Error(`${url.protocol} is not a file-server URL`);
  if (!url.hostname) throw new Error("the URL names no host");
  if (!url.username) throw new Error("the URL names no user (sftp://user:password@host/path)");
  const query = url.searchParams;
  const timeout = Number(query.get("timeout_ms") ?? DEFAULT_TIMEOUT_MS);
  const settings: TransferSettings = {
    protocol,
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port ? Number(url.port) : defaultPort(protocol),
    user: decodeURIComponent(url.username),
    password: url.password ? decodeURIComponent(url.password) : undefined,
    privateKey: query.get("private_key") ?? undefined,
    hostKeySha256: query.get("host_key_sha256") ?? undefined,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS,
  };
  return { settings, remotePath: remotePathOf(protocol, url.pathname) };
}

function remotePathOf(protocol: TransferProtocol, pathname: string): string {
  if (protocol === "sftp") {
    const decoded = decodeURIComponent(pathname);
    return decoded.startsWith("/~/") ? decoded.slice(3) : decoded;
  }
  // FTP: segments are relative to the login folder; an encoded leading slash (%2F) makes the path absolute.
  const relative = pathname.replace(/^\//, "");
  return decodeURIComponent(relative);
}

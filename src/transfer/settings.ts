import type { FtpServerConfig } from "../config/config.js";

export type TransferProtocol = "sftp" | "ftp" | "ftps";

/** How to reach and log in to a file server (the `ftp_server` section, in the code's own names). */
export interface TransferSettings {
  protocol: TransferProtocol;
  host: string;
  port: number;
  user: string;
  password?: string;
  /** SFTP: an OpenSSH/PEM private key, given as its text or as the path of its file. */
  privateKey?: string;
  passphrase?: string;
  /**
   * Pins the server: SFTP host key or FTPS certificate SHA-256 fingerprint, written as OpenSSH prints it
   * (`SHA256:base64`), as plain base64, or as hex with or without colons. None: SFTP accepts any host key,
   * FTPS verifies the certificate against the system's CAs.
   */
  hostKeySha256?: string;
  /** Connecting, and any single step of a transfer, gives up after this long. */
  timeoutMs: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The protocol: `protocol` when given, else the Java app's rule — port 22 is SFTP, anything else FTP.
 * The port: `ftp_port` when given, else the protocol's usual one.
 */
export function chooseProtocol(
  protocol: TransferProtocol | undefined,
  port: number | undefined,
): TransferProtocol {
  if (protocol) return protocol;
  return port === 22 ? "sftp" : "ftp";
}

export function defaultPort(protocol: TransferProtocol): number {
  return protocol === "sftp" ? 22 : 21;
}

/** Transfer settings from the validated `ftp_server` configuration section. */
export function settingsFromConfig(server: FtpServerConfig): TransferSettings {
  const protocol = chooseProtocol(server.protocol, server.ftp_port);
  return {
    protocol,
    host: server.host,
    port: server.ftp_port ?? defaultPort(protocol),
    user: server.user,
    password: server.password,
    privateKey: server.private_key,
    passphrase: server.passphrase,
    hostKeySha256: server.host_key_sha256,
    timeoutMs: server.timeout_ms ?? DEFAULT_TIMEOUT_MS,
  };
}

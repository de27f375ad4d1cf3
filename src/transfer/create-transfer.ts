import type { FtpServerConfig } from "../config/config.js";
import type { TransferOptions } from "./base-transfer.js";
import type { FileTransfer } from "./file-transfer.js";
import { FtpTransfer } from "./ftp-transfer.js";
import { settingsFromConfig, type TransferSettings } from "./settings.js";
import { SftpTransfer } from "./sftp-transfer.js";

/** The FileTransfer for the settings' protocol (not yet connected: it connects on first use). */
export function createFileTransfer(settings: TransferSettings, options: TransferOptions = {}): FileTransfer {
  return settings.protocol === "sftp"
    ? new SftpTransfer(settings, options)
    : new FtpTransfer(settings, options);
}

/** The FileTransfer for the `ftp_server` configuration section. */
export function createFileTransferFromConfig(
  server: FtpServerConfig,
  options: TransferOptions = {},
): FileTransfer {
  return createFileTransfer(settingsFromConfig(server), options);
}

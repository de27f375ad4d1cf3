import type { Config } from "../../config/config.js";
import type { Logger } from "../../runtime/logger.js";
import { createFileTransferFromConfig } from "../../transfer/create-transfer.js";
import { HostKeyMismatchError, TransferAuthError, TransferConnectionError } from "../../transfer/errors.js";
import type { FileTransfer } from "../../transfer/file-transfer.js";
import { joinRemote } from "../../transfer/remote-path.js";
import { fail, messageOf, ok, skip, type DoctorCheck } from "./check.js";

const SUBJECT = "file server";

/**
 * The file server logs in, and the folders Alma writes to exist: `{main_folder}/{INST}/items` (publishing) and
 * `/requests` (request exports) of every member, and aspace2alma's folder when ArchivesSpace is configured.
 */
export async function fileServerChecks(config: Config, logger: Logger): Promise<DoctorCheck[]> {
  const server = config.ftp_server;
  if (!server) return [skip(SUBJECT, "ftp_server is configured", "no ftp_server section: nothing to check")];
  const transfer = createFileTransferFromConfig(server, { logger });
  const where = `${server.user}@${server.host}:${transfer.settings.port} (${transfer.settings.protocol})`;
  try {
    try {
      await transfer.connect();
    } catch (error) {
      return [loginFailure(error, where)];
    }
    const pinned = transfer.settings.hostKeySha256 ? "host key pinned" : "host key NOT pinned";
    const checks = [ok(SUBJECT, `logs in as ${where}`, pinned)];
    for (const folder of folders(config)) checks.push(await folderCheck(transfer, folder));
    return checks;
  } finally {
    await transfer.close().catch(() => undefined);
  }
}

function folders(config: Config): { path: string; why: string }[] {
  const main = config.ftp_server?.main_folder ?? "/";
  const out = config.institutions.flatMap((institution) => [
    {
      path: joinRemote(main, institution.code, "items"),
      why: `the items publishing profile of ${institution.code} writes there`,
    },
    {
      path: joinRemote(main, institution.code, "requests"),
      why: `the remote-storage integration profile of ${institution.code} exports there`,
    },
  ]);
  if (config.aspace) {
    const dir = config.aspace.output_dir.startsWith("/")
      ? config.aspace.output_dir
      : joinRemote(main, config.aspace.output_dir);
    out.push({ path: dir, why: "Alma Analytics delivers the barcode report and aspace2alma uploads there" });
  }
  return out;
}

async function folderCheck(
  transfer: FileTransfer,
  folder: { path: string; why: string },
): Promise<DoctorCheck> {
  const check = `folder ${folder.path} exists`;
  try {
    const entry = await transfer.stat(folder.path);
    if (entry?.type === "directory") return ok(SUBJECT, check);
    return fail(
      SUBJECT,
      check,
      entry ? `${folder.path} is a ${entry.type}, not a folder` : "no such folder",
      `create the folder ${folder.path} on the file server (${folder.why})`,
    );
  } catch (error) {
    return fail(SUBJECT, check, messageOf(error), `check that ftp_server.user may read ${folder.path}`);
  }
}

function loginFailure(error: unknown, where: string): DoctorCheck {
  const check = `logs in as ${where}`;
  if (error instanceof HostKeyMismatchError) {
    return fail(
      SUBJECT,
      check,
      messageOf(error),
      `if the server's key really changed, set ftp_server.host_key_sha256 to ${error.actual}`,
    );
  }
  if (error instanceof TransferAuthError) {
    return fail(
      SUBJECT,
      check,
      messageOf(error),
      "check ftp_server.user and ftp_server.password (or private_key and passphrase)",
    );
  }
  if (error instanceof TransferConnectionError) {
    return fail(
      SUBJECT,
      check,
      messageOf(error),
      "check ftp_server.host, ftp_port and protocol, and that this server may reach the file server",
    );
  }
  return fail(SUBJECT, check, messageOf(error), "check the ftp_server section");
}

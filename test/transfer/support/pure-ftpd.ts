import { execFile, type ChildProcess } from "node:child_process";
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { selfSignedCertificate } from "../../../src/sandbox/transfer/certificate.js";
import { randomPassword } from "../../../src/sandbox/transfer/file-server.js";
import type { TransferSettings } from "../../../src/transfer/settings.js";
import type { TestFileServer } from "./server-kinds.js";
import {
  descendants,
  findExecutable,
  freePort,
  isRoot,
  killAndWait,
  killDaemon,
  startDaemon,
  waitForPort,
} from "./processes.js";

const run = promisify(execFile);
/** The virtual user's system identity: nobody. pure-ftpd refuses uid 0 for virtual users. */
const FTP_UID = 65534;
const FTP_GID = 65534;

/** Why pure-ftpd cannot be used here, or undefined when it can. */
export async function pureFtpdUnavailable(): Promise<string | undefined> {
  if (process.platform !== "linux") return "the real-daemon tests run on Linux only";
  if (!(await findExecutable("pure-ftpd"))) return "pure-ftpd is not installed (apt-get install pure-ftpd)";
  if (!(await findExecutable("pure-pw"))) return "pure-pw (pure-ftpd's user database tool) is not installed";
  if (!(await findExecutable("openssl"))) return "openssl is needed for the user's password hash";
  // Unprivileged, pure-ftpd answers every login "421 Sorry, but I can't trust you".
  if (!isRoot()) return "pure-ftpd logs virtual users in only when started as root";
  return undefined;
}

/**
 * pure-ftpd on 127.0.0.1 with a temp virtual-user database, chrooted to a temp folder; with `tls`, explicit FTPS
 * with a self-signed certificate. The password hash is SHA-512 crypt from `openssl passwd -6`: pure-pw's default
 * hash makes every login take seconds.
 */
export async function startPureFtpd(options: { tls?: boolean } = {}): Promise<TestFileServer> {
  const binary = (await findExecutable("pure-ftpd"))!;
  const purePw = (await findExecutable("pure-pw"))!;
  const dir = await mkdtemp(path.join(os.tmpdir(), "alma-rs-pure-ftpd-"));
  const root = path.join(dir, "root");
  await mkdir(root);
  await chmod(dir, 0o755);
  await chown(root, FTP_UID, FTP_GID);
  const user = "alma";
  const password = randomPassword();
  const passwordHash = (await opensslHash(password)).trim();
  const passwdFile = path.join(dir, "pureftpd.passwd");
  await writeFile(passwdFile, `${user}:${passwordHash}:${FTP_UID}:${FTP_GID}::${root}/./::::::::::::\n`, {
    mode: 0o600,
  });
  const database = path.join(dir, "pureftpd.pdb");
  await run(purePw, ["mkdb", database, "-f", passwdFile], { timeout: 10_000 });
  const certificate = options.tls ? await selfSignedCertificate() : undefined;
  const certFile = path.join(dir, "pure-ftpd.pem");
  if (certificate) await writeFile(certFile, `${certificate.key}\n${certificate.cert}\n`, { mode: 0o600 });

  let port = 0;
  let daemon: { child: ChildProcess; output: () => string } | undefined;
  const launch = async () => {
    for (let attempt = 1; ; attempt++) {
      port ||= await freePort();
      const passive = 30_000 + Math.floor(Math.random() * 300) * 100;
      const args = [
        "-S",
        `127.0.0.1,${port}`,
        "-l",
        `puredb:${database}`,
        "-E", // no anonymous logins
        "-A", // chroot every user to the folder
        "-H", // do not resolve names
        "-p",
        `${passive}:${passive + 99}`,
        "-I",
        "60",
        "-c",
        "50",
        "-C",
        "50",
        ...(certificate ? ["-Y", "1", "-2", certFile] : []),
      ];
      daemon = startDaemon(binary, args);
      try {
        await waitForPort(port, daemon.child, daemon.output);
        return;
      } catch (error) {
        await killDaemon(daemon.child);
        if (attempt >= 3) throw new Error(`pure-ftpd did not start: ${(error as Error).message}`);
        port = 0;
      }
    }
  };
  await launch();

  return {
    kind: certificate ? "pure-ftpd FTPS" : "pure-ftpd",
    root,
    remoteRoot: "/",
    settings: (): TransferSettings => ({
      protocol: certificate ? "ftps" : "ftp",
      host: "127.0.0.1",
      port,
      user,
      password,
      hostKeySha256: certificate?.sha256,
      timeoutMs: 10_000,
    }),
    // Files the tests put in place belong to root; the FTP user must be able to rename and remove them.
    handOver: () => chownTree(root),
    dropConnections: () =>
      daemon?.child.pid ? killAndWait(descendants(daemon.child.pid)) : Promise.resolve(),
    stop: () => (daemon ? killDaemon(daemon.child) : Promise.resolve()),
    start: async () => {
      if (daemon && daemon.child.exitCode === null && daemon.child.signalCode === null) return;
      await launch();
    },
    close: async () => {
      if (daemon) await killDaemon(daemon.child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A SHA-512 crypt hash (the password goes through stdin, not the command line). */
function opensslHash(password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile("openssl", ["passwd", "-6", "-stdin"], { timeout: 10_000 }, (error, stdout) => {
      if (error) reject(new Error(`openssl passwd failed: ${error.message}`));
      else resolve(stdout);
    });
    child.stdin?.end(`${password}\n`);
  });
}

async function chownTree(folder: string): Promise<void> {
  await chown(folder, FTP_UID, FTP_GID);
  for (const name of await readdir(folder)) {
    const entry = path.join(folder, name);
    if ((await lstat(entry)).isDirectory()) await chownTree(entry);
    else await chown(entry, FTP_UID, FTP_GID);
  }
}

import type { ChildProcess } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ssh2 from "ssh2";
import type { RunningFileServer } from "../../../src/sandbox/transfer/file-server.js";
import { generateSshKeyPair } from "../../../src/sandbox/transfer/ssh-key.js";
import { sha256Fingerprint } from "../../../src/transfer/fingerprint.js";
import type { TransferSettings } from "../../../src/transfer/settings.js";
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

const { utils } = ssh2;

/** Why OpenSSH's sshd cannot be used here, or undefined when it can. */
export async function sshdUnavailable(): Promise<string | undefined> {
  if (process.platform !== "linux") return "the real-daemon tests run on Linux only";
  if (!(await findExecutable("sshd"))) return "sshd is not installed (apt-get install openssh-server)";
  return undefined;
}

/**
 * OpenSSH's sshd on 127.0.0.1 with its own temp config, host key and client key, serving a temp folder through
 * internal-sftp. As root it logs in as root (sshd needs /run/sshd then); unprivileged it can only log in as the
 * user running it, needs UsePAM, and takes keys only — so the tests always log in with a key.
 */
export async function startSshd(): Promise<RunningFileServer> {
  const binary = (await findExecutable("sshd"))!;
  const dir = await mkdtemp(path.join(os.tmpdir(), "alma-rs-sshd-"));
  const root = path.join(dir, "root");
  await mkdir(root);
  const hostKey = generateSshKeyPair();
  const clientKey = generateSshKeyPair();
  await writeFile(path.join(dir, "host_key"), hostKey.private, { mode: 0o600 });
  await writeFile(path.join(dir, "authorized_keys"), `${clientKey.public}\n`, { mode: 0o600 });
  const hostPublic = utils.parseKey(hostKey.public);
  if (hostPublic instanceof Error) throw hostPublic;
  const hostKeySha256 = sha256Fingerprint(hostPublic.getPublicSSH());
  if (isRoot()) await mkdir("/run/sshd", { recursive: true, mode: 0o755 });
  await chmod(dir, 0o755);

  let port = 0;
  let daemon: { child: ChildProcess; output: () => string } | undefined;
  const configFile = path.join(dir, "sshd_config");
  const launch = async () => {
    for (let attempt = 1; ; attempt++) {
      port ||= await freePort();
      await writeFile(configFile, sshdConfig(dir, root, port));
      daemon = startDaemon(binary, ["-D", "-e", "-f", configFile]);
      try {
        await waitForPort(port, daemon.child, daemon.output);
        return;
      } catch (error) {
        await killDaemon(daemon.child);
        if (attempt >= 3) throw new Error(`sshd did not start: ${(error as Error).message}`);
        port = 0;
      }
    }
  };
  await launch();

  const user = os.userInfo().username;
  return {
    kind: "OpenSSH sshd",
    root,
    remoteRoot: root,
    settings: (): TransferSettings => ({
      protocol: "sftp",
      host: "127.0.0.1",
      port,
      user,
      privateKey: clientKey.private,
      hostKeySha256,
      timeoutMs: 10_000,
    }),
    // One sshd process per connection below the listener: killing them cuts the connections.
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

function sshdConfig(dir: string, root: string, port: number): string {
  const lines = [
    "ListenAddress 127.0.0.1",
    `Port ${port}`,
    `HostKey ${path.join(dir, "host_key")}`,
    `PidFile ${path.join(dir, "sshd.pid")}`,
    `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
    // The temp folder's modes are not what StrictModes wants for a home folder.
    "StrictModes no",
    "PubkeyAuthentication yes",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    isRoot() ? "PermitRootLogin prohibit-password" : "",
    // Unprivileged, sshd cannot check accounts itself; PAM does it (keys only).
    isRoot() ? "UsePAM no" : "UsePAM yes",
    "AllowTcpForwarding no",
    "X11Forwarding no",
    "PrintMotd no",
    "MaxStartups 50",
    "Subsystem sftp internal-sftp",
    `ForceCommand internal-sftp -d ${root}`,
    "LogLevel ERROR",
  ];
  return lines.filter(Boolean).join("\n") + "\n";
}

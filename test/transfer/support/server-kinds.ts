import { startFtpServer } from "../../../src/sandbox/transfer/ftp-server.js";
import type { RunningFileServer } from "../../../src/sandbox/transfer/file-server.js";
import { startSftpServer } from "../../../src/sandbox/transfer/sftp-server.js";
import { findExecutable } from "./processes.js";
import { pureFtpdUnavailable, startPureFtpd } from "./pure-ftpd.js";
import { sshdUnavailable, startSshd } from "./sshd.js";

/** A server under test; `handOver` gives files the test put in place to the server's user, where that differs. */
export interface TestFileServer extends RunningFileServer {
  handOver?(): Promise<void>;
}

export interface ServerKind {
  name: string;
  /** Why this kind cannot run here, or undefined. */
  unavailable(): Promise<string | undefined>;
  start(): Promise<TestFileServer>;
}

const opensslMissing = async () =>
  (await findExecutable("openssl")) ? undefined : "openssl is needed for the FTPS test certificate";

export const inProcessKinds: ServerKind[] = [
  {
    name: "in-process SFTP (ssh2 server)",
    unavailable: () => Promise.resolve(undefined),
    start: () => startSftpServer(),
  },
  {
    name: "in-process FTP (ftp-srv)",
    unavailable: () => Promise.resolve(undefined),
    start: () => startFtpServer(),
  },
  {
    name: "in-process FTPS (ftp-srv, AUTH TLS)",
    unavailable: opensslMissing,
    start: () => startFtpServer({ tls: true }),
  },
];

export const realDaemonKinds: ServerKind[] = [
  { name: "OpenSSH sshd", unavailable: sshdUnavailable, start: () => startSshd() },
  { name: "pure-ftpd", unavailable: pureFtpdUnavailable, start: () => startPureFtpd() },
  {
    name: "pure-ftpd FTPS (AUTH TLS)",
    unavailable: async () => (await pureFtpdUnavailable()) ?? (await opensslMissing()),
    start: () => startPureFtpd({ tls: true }),
  },
];

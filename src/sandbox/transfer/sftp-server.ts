import { timingSafeEqual } from "node:crypto";
import net from "node:net";
import ssh2, { type AuthContext, type Connection, type ParsedKey } from "ssh2";
import { sha256Fingerprint } from "../../transfer/fingerprint.js";
import type { TransferSettings } from "../../transfer/settings.js";
import { randomPassword, servedFolder, type RunningFileServer } from "./file-server.js";
import { serveSftp } from "./sftp-session.js";
import { generateSshKeyPair } from "./ssh-key.js";

const { Server, utils } = ssh2;

export interface SftpServerOptions {
  /** The folder served as `/` (default: a new temp folder, removed by `close()`). */
  root?: string;
  user?: string;
  /** Default: a random one (see `password` on the result). */
  password?: string;
  /** OpenSSH public keys ("ssh-ed25519 AAAA…") that may log in instead of the password. */
  authorizedKeys?: string[];
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** The private host key (default: a new ed25519 key). */
  hostKey?: string;
}

export interface RunningSftpServer extends RunningFileServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The host key's fingerprint, `SHA256:…`, for `host_key_sha256`. */
  readonly hostKeySha256: string;
}

/** The configuration's `ftp_server` section that points at this server (password login, host key pinned). */
export function sftpConfigSection(
  server: Pick<RunningSftpServer, "host" | "port" | "user" | "password" | "hostKeySha256">,
  mainFolder = "/alma",
) {
  return {
    host: server.host,
    user: server.user,
    password: server.password,
    ftp_port: server.port,
    protocol: "sftp" as const,
    host_key_sha256: server.hostKeySha256,
    main_folder: mainFolder,
  };
}

/** An SFTP server in this process (ssh2's server API) serving a folder on loopback, for tests and the sandbox. */
export async function startSftpServer(options: SftpServerOptions = {}): Promise<RunningSftpServer> {
  const { root, cleanup } = await servedFolder(options.root, "alma-rs-sftp-");
  const host = options.host ?? "127.0.0.1";
  const user = options.user ?? "alma";
  const password = options.password ?? randomPassword();
  const hostKey = options.hostKey ?? generateSshKeyPair().private;
  const parsedHostKey = parse(hostKey);
  const hostKeySha256 = sha256Fingerprint(parsedHostKey.getPublicSSH());
  const allowedKeys = (options.authorizedKeys ?? []).map(parse);

  const sockets = new Set<net.Socket>();
  const ssh = new Server({ hostKeys: [hostKey] }, (client: Connection) => {
    client.on("error", () => undefined);
    client.on("authentication", (context) => authenticate(context, user, password, allowedKeys));
    client.on("ready", () => {
      client.on("session", (acceptSession) => {
        const session = acceptSession();
        session.on("sftp", (acceptSftp) => serveSftp(acceptSftp(), root));
      });
    });
  });
  const listener = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    ssh.injectSocket(socket);
  });
  let port = await listen(listener, options.port ?? 0, host);

  const dropConnections = () => {
    for (const socket of sockets) socket.destroy();
    return Promise.resolve();
  };
  // The cut happens before stop() returns (a test may call it from a progress callback); the promise waits for
  // the listener to close.
  const stop = () => {
    void dropConnections();
    return listener.listening
      ? new Promise<void>((resolve) => listener.close(() => resolve()))
      : Promise.resolve();
  };
  return {
    kind: "in-process SFTP",
    root,
    remoteRoot: "/",
    host,
    get port() {
      return port;
    },
    user,
    password,
    hostKeySha256,
    settings: (): TransferSettings => ({
      protocol: "sftp",
      host,
      port,
      user,
      password,
      hostKeySha256,
      timeoutMs: 10_000,
    }),
    dropConnections,
    stop,
    start: async () => {
      if (!listener.listening) port = await listen(listener, port, host);
    },
    close: async () => {
      await stop();
      await cleanup();
    },
  };
}

function authenticate(context: AuthContext, user: string, password: string, keys: ParsedKey[]): void {
  if (context.username !== user) return context.reject();
  if (context.method === "password") {
    return sameText(context.password, password) ? context.accept() : context.reject();
  }
  if (context.method === "publickey") {
    const key = keys.find(
      (candidate) => candidate.type === context.key.algo && candidate.getPublicSSH().equals(context.key.data),
    );
    if (!key) return context.reject();
    // Without a signature the client only asks whether the key would do.
    if (!context.signature) return context.accept();
    return key.verify(context.blob!, context.signature, context.hashAlgo)
      ? context.accept()
      : context.reject();
  }
  context.reject(["password", "publickey"]);
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function parse(key: string): ParsedKey {
  const parsed = utils.parseKey(key);
  if (parsed instanceof Error) throw parsed;
  return parsed;
}

function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

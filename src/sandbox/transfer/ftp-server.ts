import type net from "node:net";
import { FtpSrv } from "ftp-srv";
import type { TransferSettings } from "../../transfer/settings.js";
import { selfSignedCertificate, type SelfSignedCertificate } from "./certificate.js";
import { randomPassword, servedFolder, type RunningFileServer } from "./file-server.js";

export interface FtpServerOptions {
  /** The folder served as `/` (default: a new temp folder, removed by `close()`). */
  root?: string;
  user?: string;
  /** Default: a random one (see `password` on the result). */
  password?: string;
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Offer explicit FTPS (AUTH TLS) with a self-signed certificate (needs the `openssl` command). */
  tls?: boolean;
}

export interface RunningFtpServer extends RunningFileServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** With `tls`: the certificate's `SHA256:…` fingerprint, for `host_key_sha256`. */
  readonly certificateSha256: string | undefined;
}

interface LiveConnection {
  commandSocket?: net.Socket;
  connector?: { dataSocket?: net.Socket | null; dataServer?: net.Server | null };
}

/** An FTP server in this process (ftp-srv) serving a folder on loopback, for tests and the sandbox. */
export async function startFtpServer(options: FtpServerOptions = {}): Promise<RunningFtpServer> {
  const { root, cleanup } = await servedFolder(options.root, "alma-rs-ftp-");
  const host = options.host ?? "127.0.0.1";
  const user = options.user ?? "alma";
  const password = options.password ?? randomPassword();
  const certificate: SelfSignedCertificate | undefined = options.tls
    ? await selfSignedCertificate()
    : undefined;
  // Passive data ports: a random block, so servers started side by side do not reach for the same ones.
  const pasvMin = 20_000 + Math.floor(Math.random() * 400) * 100;

  let port = options.port ?? 0;
  let server: FtpSrv | undefined;
  let removeSignalHandlers = () => undefined as void;

  const start = async () => {
    if (server) return;
    const signals = ["SIGTERM", "SIGINT", "SIGQUIT"] as const;
    const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
    const instance = new FtpSrv({
      url: `ftp://${host}:${port}`,
      pasv_url: host,
      pasv_min: pasvMin,
      pasv_max: pasvMin + 99,
      anonymous: false,
      greeting: "alma-rs sandbox FTP",
      tls: certificate ? { key: certificate.key, cert: certificate.cert } : false,
      log: quietLog,
    });
    // ftp-srv adds process signal handlers that exit the process; a test server must not.
    const added = signals.flatMap((signal) =>
      process
        .listeners(signal)
        .filter((listener) => !before.get(signal)!.has(listener))
        .map((l) => [signal, l] as const),
    );
    removeSignalHandlers = () => {
      for (const [signal, listener] of added) process.off(signal, listener);
    };
    instance.on("login", ({ username, password: given }, resolve, reject) => {
      if (username === user && given === password) resolve({ root });
      else reject(new Error("login incorrect"));
    });
    instance.on("client-error", () => undefined);
    await instance.listen();
    port = (netServer(instance).address() as net.AddressInfo).port;
    server = instance;
  };

  const liveConnections = (): LiveConnection[] =>
    server
      ? Object.values((server as unknown as { connections: Record<string, LiveConnection> }).connections)
      : [];
  const dropConnections = () => {
    for (const connection of liveConnections()) {
      connection.connector?.dataSocket?.destroy();
      connection.connector?.dataServer?.close();
      connection.commandSocket?.destroy();
    }
    return Promise.resolve();
  };
  // The cut happens before stop() returns (a test may call it from a progress callback); the promise waits for
  // the listener to close.
  const stop = () => {
    const instance = server;
    if (!instance) return Promise.resolve();
    void dropConnections();
    server = undefined;
    removeSignalHandlers();
    return new Promise<void>((resolve) => netServer(instance).close(() => resolve()));
  };

  await start();
  return {
    kind: certificate ? "in-process FTPS" : "in-process FTP",
    root,
    remoteRoot: "/",
    host,
    get port() {
      return port;
    },
    user,
    password,
    certificateSha256: certificate?.sha256,
    settings: (): TransferSettings => ({
      protocol: certificate ? "ftps" : "ftp",
      host,
      port,
      user,
      password,
      hostKeySha256: certificate?.sha256,
      timeoutMs: 10_000,
    }),
    dropConnections,
    stop,
    start,
    close: async () => {
      await stop();
      await cleanup();
    },
  };
}

/** The listening socket server inside ftp-srv (not in its type declarations). */
function netServer(instance: FtpSrv): net.Server {
  return (instance as unknown as { server: net.Server }).server;
}

/** A bunyan-shaped logger that drops everything: ftp-srv logs every command otherwise. */
const quietLog = {
  child: () => quietLog,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  fatal: () => undefined,
};

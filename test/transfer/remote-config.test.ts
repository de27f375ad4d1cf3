import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import https from "node:https";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { fetchRemoteConfig } from "../../src/cli/remote-config.js";
import { ConfigError } from "../../src/config/config-error.js";
import { loadConfig } from "../../src/config/load.js";
import { selfSignedCertificate, type SelfSignedCertificate } from "../../src/sandbox/transfer/certificate.js";
import { startFtpServer, type RunningFtpServer } from "../../src/sandbox/transfer/ftp-server.js";
import { startSftpServer, type RunningSftpServer } from "../../src/sandbox/transfer/sftp-server.js";
import { findExecutable } from "./support/processes.js";
import { realDaemonKinds } from "./support/server-kinds.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const haveOpenssl = (await findExecutable("openssl")) !== undefined;

/** A configuration as the Java app's conf.json has it, secrets included. */
const CONF = {
  gateway: "https://api-na.hosted.exlibrisgroup.com",
  ftp_server: { host: "files.example.edu", user: "alma", password: "ftp-secret-in-conf", ftp_port: "22" },
  remote_storage_inst: "01AAA_RS",
  remote_storage_apikey: "scf-api-key-in-conf",
  institutions: [{ code: "01AAA_AB", apikey: "ab-api-key-in-conf", libraries: [{ code: "ABRS" }] }],
};
const SECRETS = ["ftp-secret-in-conf", "scf-api-key-in-conf", "ab-api-key-in-conf"];

describe("CONFIG_FILE as a URL", function () {
  this.timeout(90_000);
  let sftp: RunningSftpServer;
  let ftp: RunningFtpServer;
  let folder: string;
  let certificate: SelfSignedCertificate | undefined;
  let httpsServer: https.Server | undefined;
  let httpsPort = 0;

  const sftpUrl = (password = sftp.password, file = "/conf/conf.json") =>
    `sftp://${sftp.user}:${encodeURIComponent(password)}@127.0.0.1:${sftp.port}${file}` +
    `?host_key_sha256=${encodeURIComponent(sftp.hostKeySha256)}`;

  before(async () => {
    sftp = await startSftpServer({ password: "p@ss:w/rd sftp" });
    ftp = await startFtpServer();
    for (const root of [sftp.root, ftp.root]) {
      await mkdir(path.join(root, "conf"), { recursive: true });
      await writeFile(path.join(root, "conf", "conf.json"), JSON.stringify(CONF, null, 2));
    }
    folder = await mkdtemp(path.join(os.tmpdir(), "alma-rs-remote-config-"));
    if (haveOpenssl) {
      certificate = await selfSignedCertificate();
      await writeFile(path.join(folder, "ca.pem"), certificate.cert);
      const server = https.createServer(
        { key: certificate.key, cert: certificate.cert },
        (request, response) => {
          if (request.url === "/conf.json") response.end(JSON.stringify(CONF));
          else response.writeHead(404).end("not found");
        },
      );
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      httpsServer = server;
      httpsPort = (server.address() as net.AddressInfo).port;
    }
  });
  after(async () => {
    await sftp?.close();
    await ftp?.close();
    if (httpsServer) await new Promise((resolve) => httpsServer!.close(resolve));
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  describe("loading", () => {
    it("loads sftp://user:password@host:port/path/conf.json, its source shown without the password", async () => {
      const loaded = await loadConfig({ env: { CONFIG_FILE: sftpUrl() }, fetchRemote: fetchRemoteConfig });
      expect(loaded.config.institutions.map((i) => i.code)).to.deep.equal(["01AAA_AB"]);
      expect(loaded.config.ftp_server?.ftp_port).to.equal(22);
      expect(loaded.source).to.equal(
        `sftp://${sftp.user}@127.0.0.1:${sftp.port}/conf/conf.json?host_key_sha256=${encodeURIComponent(sftp.hostKeySha256)}`,
      );
      expect(loaded.source).not.to.contain("p@ss");
    });

    it("loads ftp://user:password@host:port/path/conf.json", async () => {
      const url = `ftp://${ftp.user}:${ftp.password}@127.0.0.1:${ftp.port}/conf/conf.json`;
      const loaded = await loadConfig({ env: { CONFIG_FILE: url }, fetchRemote: fetchRemoteConfig });
      expect(loaded.config.remote_storage_inst).to.equal("01AAA_RS");
    });

    it("says which URL could not be fetched and why, without the password", async () => {
      const error = await loadConfig({
        env: { CONFIG_FILE: sftpUrl("wrong-password-99") },
        fetchRemote: fetchRemoteConfig,
      }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as Error).message).to.contain(
        `cannot fetch configuration from sftp://${sftp.user}@127.0.0.1:${sftp.port}/conf/conf.json`,
      );
      expect((error as Error).message).to.contain("login refused");
      expect((error as Error).message).not.to.contain("wrong-password-99");
    });

    it("says when the file is not on the server", async () => {
      const error = await loadConfig({
        env: { CONFIG_FILE: sftpUrl(sftp.password, "/conf/missing.json") },
        fetchRemote: fetchRemoteConfig,
      }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as Error).message).to.contain("download /conf/missing.json");
      expect((error as Error).message).to.contain("no such file");
    });

    it("refuses http:// because the file holds secrets", async () => {
      const error = await fetchRemoteConfig(new URL("http://127.0.0.1:1/conf.json")).catch((e: unknown) => e);
      expect((error as Error).message).to.equal(
        "refusing http://: the configuration holds secrets; use https://",
      );
    });

    it("refuses an https server whose certificate is not trusted", async function () {
      if (!certificate) this.skip();
      const error = await fetchRemoteConfig(new URL(`https://127.0.0.1:${httpsPort}/conf.json`)).catch(
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(Error);
      expect((error as NodeJS.ErrnoException).code).to.match(/SELF_SIGNED|UNABLE_TO_VERIFY/);
    });
  });

  describe("alma-rs config check", () => {
    it("validates a configuration fetched over sftp:// and prints it with every secret redacted", async () => {
      const result = await runCli(["config", "check"], { CONFIG_FILE: sftpUrl() });
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.contain(`# sftp://${sftp.user}@127.0.0.1:${sftp.port}/conf/conf.json`);
      expect(result.stdout).to.contain(": valid");
      expect(result.stdout).to.contain('"password": "***"');
      for (const secret of [...SECRETS, sftp.password, encodeURIComponent(sftp.password)]) {
        expect(result.stdout + result.stderr).not.to.contain(secret);
      }
    });

    it("validates a configuration fetched over ftp:// (--json)", async () => {
      const url = `ftp://${ftp.user}:${ftp.password}@127.0.0.1:${ftp.port}/conf/conf.json`;
      const result = await runCli(["--json", "config", "check"], { CONFIG_FILE: url });
      expect(result.code, result.stderr).to.equal(0);
      const printed = JSON.parse(result.stdout) as {
        source: string;
        config: { remote_storage_apikey: string };
      };
      expect(printed.source).to.equal(`ftp://${ftp.user}@127.0.0.1:${ftp.port}/conf/conf.json`);
      expect(printed.config.remote_storage_apikey).to.equal("***");
      expect(result.stdout + result.stderr).not.to.contain(ftp.password);
    });

    it("validates a configuration fetched over https://", async function () {
      if (!certificate) this.skip();
      const result = await runCli(["config", "check"], {
        CONFIG_FILE: `https://127.0.0.1:${httpsPort}/conf.json`,
        NODE_EXTRA_CA_CERTS: path.join(folder, "ca.pem"),
      });
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.contain(`# https://127.0.0.1:${httpsPort}/conf.json: valid`);
    });

    it("exits 2 with the reason when the server refuses the login, not showing the password", async () => {
      const result = await runCli(["config", "check"], { CONFIG_FILE: sftpUrl("wrong-password-99") });
      expect(result.code).to.equal(2);
      expect(result.stderr).to.contain(
        `cannot fetch configuration from sftp://${sftp.user}@127.0.0.1:${sftp.port}`,
      );
      expect(result.stderr).to.contain("login refused");
      expect(result.stdout + result.stderr).not.to.contain("wrong-password-99");
    });
  });

  describe("alma-rs config check against the real daemons", () => {
    for (const kind of realDaemonKinds.filter((k) => !k.name.includes("FTPS"))) {
      it(`fetches over ${kind.name}`, async function () {
        const reason = await kind.unavailable();
        if (reason) this.skip();
        const server = await kind.start();
        try {
          await mkdir(path.join(server.root, "conf"), { recursive: true });
          await writeFile(path.join(server.root, "conf", "conf.json"), JSON.stringify(CONF));
          await server.handOver?.();
          const settings = server.settings();
          const remoteFile = `${server.remoteRoot.replace(/\/$/, "")}/conf/conf.json`;
          let url: string;
          if (settings.protocol === "sftp") {
            const keyFile = path.join(folder, "client_key");
            await writeFile(keyFile, settings.privateKey!, { mode: 0o600 });
            url =
              `sftp://${settings.user}@127.0.0.1:${settings.port}${remoteFile}` +
              `?private_key=${encodeURIComponent(keyFile)}&host_key_sha256=${encodeURIComponent(settings.hostKeySha256!)}`;
          } else {
            url = `ftp://${settings.user}:${encodeURIComponent(settings.password!)}@127.0.0.1:${settings.port}/conf/conf.json`;
          }
          const result = await runCli(["config", "check"], { CONFIG_FILE: url });
          expect(result.code, result.stderr).to.equal(0);
          expect(result.stdout).to.contain(": valid");
          expect(result.stdout + result.stderr).not.to.contain(settings.password ?? "no password");
          for (const secret of SECRETS) expect(result.stdout).not.to.contain(secret);
        } finally {
          await server.close();
        }
      });
    }
  });

  it("leaves the served configuration where it was", async () => {
    expect(JSON.parse(await readFile(path.join(sftp.root, "conf", "conf.json"), "utf8"))).to.deep.equal(CONF);
  });
});

/** Runs the CLI from source (as `npx tsx src/cli/main.ts …` does) and collects what it printed. */
function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      cwd: repoRoot,
      env: { ...withoutLogLevel(process.env), ...env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function withoutLogLevel(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.LOG_LEVEL;
  return copy;
}

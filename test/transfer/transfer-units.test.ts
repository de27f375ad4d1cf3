import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { validateConfig } from "../../src/config/validate.js";
import { startSftpServer, type RunningSftpServer } from "../../src/sandbox/transfer/sftp-server.js";
import { generateSshKeyPair } from "../../src/sandbox/transfer/ssh-key.js";
import {
  chooseProtocol,
  claimFiles,
  ClaimFolderError,
  claimFolderOf,
  createFileTransfer,
  createFileTransferFromConfig,
  fingerprintMatches,
  FtpTransfer,
  parseClaimName,
  parseFingerprint,
  partPathFor,
  restoreStaleClaims,
  rotatedName,
  scrubSecrets,
  secretsOf,
  settingsFromConfig,
  settingsFromUrl,
  SftpTransfer,
  sha256Fingerprint,
  splitExtension,
  TransferAuthError,
  TransferConnectionError,
  TransferError,
  uniqueName,
  type FileTransfer,
} from "../../src/transfer/index.js";

describe("transfer: names and paths", () => {
  it("rotates MARC_out.xml to MARC_out_old.xml, putting _old before the extension", () => {
    expect(rotatedName("MARC_out.xml")).to.equal("MARC_out_old.xml");
    expect(rotatedName("items_20240101_new.tar.gz")).to.equal("items_20240101_new_old.tar.gz");
    expect(rotatedName("README")).to.equal("README_old");
  });

  it("counts .tar.gz as one extension", () => {
    expect(splitExtension("a_new_1.tar.gz")).to.deep.equal({ stem: "a_new_1", ext: ".tar.gz" });
    expect(splitExtension("requests.xml")).to.deep.equal({ stem: "requests", ext: ".xml" });
    expect(splitExtension(".hidden")).to.deep.equal({ stem: ".hidden", ext: "" });
  });

  it("writes an upload as .<name>.part in the target's folder", () => {
    expect(partPathFor("/alma/aspace/MARC_out.xml")).to.equal("/alma/aspace/.MARC_out.xml.part");
    expect(partPathFor("report.csv")).to.equal(".report.csv.part");
  });

  it("gives a taken name the first free ~N suffix before the extension", () => {
    expect(uniqueName("a.xml", new Set())).to.equal("a.xml");
    expect(uniqueName("a.xml", new Set(["a.xml", "a~1.xml"]))).to.equal("a~2.xml");
    expect(uniqueName("p_new.tar.gz", new Set(["p_new.tar.gz"]))).to.equal("p_new~1.tar.gz");
  });

  it("reads claimed names back and ignores every other name", () => {
    expect(parseClaimName("p_new.tar.gz.claim-20240131T235959Z-123-0a1b2c")).to.deep.equal({
      name: "p_new.tar.gz",
      claimedAt: new Date("2024-01-31T23:59:59Z"),
      pid: 123,
    });
    expect(parseClaimName("p_new.tar.gz")).to.equal(undefined);
    expect(parseClaimName("x.claim-yesterday")).to.equal(undefined);
  });

  it("puts the claim folder inside the remote folder", () => {
    expect(claimFolderOf("/alma/01AAA_AB/items")).to.equal("/alma/01AAA_AB/items/OLD");
    expect(claimFolderOf("/alma/01AAA_AB/items", "claimed")).to.equal("/alma/01AAA_AB/items/claimed");
    expect(claimFolderOf("/alma/01AAA_AB/items", "./OLD/2024/")).to.equal("/alma/01AAA_AB/items/OLD/2024");
    expect(claimFolderOf("items", "OLD")).to.equal("items/OLD");
  });

  it("refuses a claim folder that other folders could share: absolute, with .., or the folder itself", () => {
    for (const claimFolder of ["/alma/archive", "../OLD", "OLD/../../OLD", ".", ""]) {
      const error = (() => {
        try {
          return claimFolderOf("/alma/01AAA_AB/items", claimFolder);
        } catch (e) {
          return e;
        }
      })();
      expect(error, claimFolder).to.be.instanceOf(ClaimFolderError);
      expect(error).to.include({ code: "ECLAIMFOLDER", claimFolder, remoteDir: "/alma/01AAA_AB/items" });
    }
    expect(() => claimFolderOf("/alma/01AAA_AB/items", "/alma/archive")).to.throw(
      'claim_folder "/alma/archive" must be a folder inside the remote folder /alma/01AAA_AB/items, such as ' +
        '"OLD": an absolute or ".." path would be shared with other folders, whose claimed files would then be ' +
        "put back here",
    );
  });

  it("claims and restores nothing, touching no file, when the claim folder could be shared", async () => {
    const calls: string[] = [];
    const transfer = new Proxy({} as FileTransfer, {
      get: (_target, operation) => () => {
        calls.push(String(operation));
        return Promise.resolve([]);
      },
    });
    const options = { claimFolder: "/alma/archive" };
    const claiming = await claimFiles(transfer, "/alma/A/items", os.tmpdir(), options).catch(
      (e: unknown) => e,
    );
    expect(claiming).to.be.instanceOf(ClaimFolderError);
    const restoring = await restoreStaleClaims(transfer, "/alma/A/items", options).catch((e: unknown) => e);
    expect(restoring).to.be.instanceOf(ClaimFolderError);
    expect(calls).to.deep.equal([]);
  });
});

describe("transfer: fingerprints", () => {
  const data = Buffer.from("a host key");
  const digest = createHash("sha256").update(data).digest();

  it("writes a fingerprint as OpenSSH does: SHA256: and base64 without padding", () => {
    expect(sha256Fingerprint(data)).to.equal(`SHA256:${digest.toString("base64").replace(/=+$/, "")}`);
  });

  it("accepts a pin as SHA256:base64, plain base64 or hex with colons", () => {
    const b64 = digest.toString("base64");
    const hexColons = digest.toString("hex").toUpperCase().match(/../g)!.join(":");
    for (const pin of [`SHA256:${b64.replace(/=+$/, "")}`, b64, hexColons, digest.toString("hex")]) {
      expect(parseFingerprint(pin).equals(digest), pin).to.equal(true);
      expect(fingerprintMatches(pin, data), pin).to.equal(true);
    }
    expect(fingerprintMatches(b64, Buffer.from("another key"))).to.equal(false);
  });

  it("rejects a pin that is not a SHA-256 fingerprint, saying what it expects", () => {
    expect(() => parseFingerprint("SHA256:replace-with-the-servers-host-key-fingerprint")).to.throw(
      "is not a SHA-256 fingerprint (expected SHA256:<base64> or 64 hex digits)",
    );
    expect(() => parseFingerprint("MD5:aa:bb")).to.throw("is not a SHA-256 fingerprint");
  });
});

describe("transfer: settings", () => {
  it("takes the protocol from `protocol`, else port 22 means SFTP and anything else FTP", () => {
    expect(chooseProtocol("ftps", 22)).to.equal("ftps");
    expect(chooseProtocol(undefined, 22)).to.equal("sftp");
    expect(chooseProtocol(undefined, 21)).to.equal("ftp");
    expect(chooseProtocol(undefined, 2222)).to.equal("ftp");
    expect(chooseProtocol(undefined, undefined)).to.equal("ftp");
  });

  it("reads the Java app's ftp_server section (port as a string) and picks the implementation", () => {
    const ftpServer = (section: Record<string, unknown>) => {
      const { config } = validateConfig(
        { ftp_server: { host: "h", user: "u", password: "p", ...section } },
        {
          source: "test",
          baseDir: "/",
        },
      );
      return config.ftp_server!;
    };
    const sftp = settingsFromConfig(ftpServer({ ftp_port: "22" }));
    expect(sftp).to.include({ protocol: "sftp", port: 22, user: "u", password: "p", timeoutMs: 30_000 });
    expect(createFileTransferFromConfig(ftpServer({ ftp_port: "22" }))).to.be.instanceOf(SftpTransfer);
    expect(settingsFromConfig(ftpServer({ ftp_port: "21" }))).to.include({ protocol: "ftp", port: 21 });
    expect(settingsFromConfig(ftpServer({ protocol: "ftps" }))).to.include({ protocol: "ftps", port: 21 });
    expect(settingsFromConfig(ftpServer({ protocol: "sftp" }))).to.include({ protocol: "sftp", port: 22 });
    expect(createFileTransferFromConfig(ftpServer({ protocol: "ftps" }))).to.be.instanceOf(FtpTransfer);
  });

  it("reads user, password, port, path and pin from an sftp:// URL", () => {
    const pin = "SHA256:abc+def/ghi";
    const url = new URL(
      `sftp://us%40er:p%40ss%3Aword@files.example.edu:2222/alma/conf.json?host_key_sha256=${encodeURIComponent(pin)}`,
    );
    const { settings, remotePath } = settingsFromUrl(url);
    expect(settings).to.include({
      protocol: "sftp",
      host: "files.example.edu",
      port: 2222,
      user: "us@er",
      password: "p@ss:word",
      hostKeySha256: pin,
    });
    expect(remotePath).to.equal("/alma/conf.json");
    expect(settingsFromUrl(new URL("sftp://u@h/~/conf.json")).remotePath).to.equal("conf.json");
  });

  it("reads ftp:// paths relative to the login folder, /%2F making them absolute", () => {
    expect(settingsFromUrl(new URL("ftp://u:p@h/dir/conf.json"))).to.deep.include({
      remotePath: "dir/conf.json",
    });
    expect(settingsFromUrl(new URL("ftp://u:p@h/%2Fetc/conf.json")).remotePath).to.equal("/etc/conf.json");
    expect(settingsFromUrl(new URL("ftp://u:p@h/conf.json")).settings.port).to.equal(21);
  });

  it("refuses a URL without a user", () => {
    expect(() => settingsFromUrl(new URL("sftp://host/conf.json"))).to.throw("the URL names no user");
  });
});

describe("transfer: errors", () => {
  it("names protocol, user, host, port, operation and path, and branches on code", () => {
    const error = new TransferError(
      { protocol: "sftp", host: "h", port: 22, user: "alma", operation: "download", path: "/in/a.xml" },
      "boom",
    );
    expect(error.message).to.equal("download /in/a.xml on sftp://alma@h:22 failed: boom");
    expect(error).to.include({ name: "TransferError", code: "ETRANSFER", host: "h", port: 22, user: "alma" });
  });

  it("cuts the password, its URL-encoded form, the passphrase and a private key given as text out of a message", () => {
    const key = generateSshKeyPair().private;
    const keyLine = key.split("\n")[1]!;
    const secrets = secretsOf({ password: "p@ss/wörd", passphrase: "unlock-it", privateKey: key });
    const message =
      `login as sftp://alma:${encodeURIComponent("p@ss/wörd")}@h failed (password p@ss/wörd, passphrase ` +
      `unlock-it); key ${key} rejected; bad line ${keyLine}`;
    expect(scrubSecrets(message, secrets)).to.equal(
      "login as sftp://alma:***@h failed (password ***, passphrase ***); key *** rejected; bad line ***",
    );
  });

  it("keeps a private key's file path in messages: a path is no secret", () => {
    const secrets = secretsOf({ password: undefined, privateKey: "/etc/alma-rs/id_ed25519" });
    expect(scrubSecrets("cannot read /etc/alma-rs/id_ed25519", secrets)).to.equal(
      "cannot read /etc/alma-rs/id_ed25519",
    );
  });

  it("a connection error that echoes the URL-encoded password or a key line does not show them", async () => {
    const key = generateSshKeyPair().private;
    const keyLine = key.split("\n")[1]!;
    class EchoingFtp extends FtpTransfer {
      protected override open(): Promise<void> {
        const echo = `ftp://alma:${encodeURIComponent("p@ss w")}@h refused; key line ${keyLine}`;
        return Promise.reject(Object.assign(new Error(echo), { code: "ECONNREFUSED" }));
      }
    }
    const transfer = new EchoingFtp({
      protocol: "ftp",
      host: "h",
      port: 21,
      user: "alma",
      password: "p@ss w",
      privateKey: key,
      timeoutMs: 50,
    });
    const error = await transfer.connect().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TransferConnectionError);
    expect((error as Error).message).to.equal(
      "connect on ftp://alma@h:21 failed: ftp://alma:***@h refused; key line ***",
    );
  });

  for (const protocol of ["sftp", "ftp"] as const) {
    it(`${protocol}: an unreachable server is a TransferConnectionError without the password`, async () => {
      const port = await closedPort();
      const transfer = createFileTransfer({
        protocol,
        host: "127.0.0.1",
        port,
        user: "alma",
        password: "very-secret-pw",
        timeoutMs: 5000,
      });
      const error = await transfer.list("/in").catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TransferConnectionError);
      expect(error).to.include({ operation: "connect", path: "/in", host: "127.0.0.1", port, user: "alma" });
      expect((error as Error).message).to.contain(`${protocol}://alma@127.0.0.1:${port}`);
      expect((error as Error).message).not.to.contain("very-secret-pw");
      expect(JSON.stringify(error)).not.to.contain("very-secret-pw");
      await transfer.close();
    });
  }
});

describe("transfer: SFTP key login (in-process server)", () => {
  let server: RunningSftpServer;
  let folder: string;
  const key = generateSshKeyPair();
  const otherKey = generateSshKeyPair();

  before(async () => {
    server = await startSftpServer({ authorizedKeys: [key.public] });
    folder = await mkdtemp(path.join(os.tmpdir(), "alma-rs-keys-"));
    await writeFile(path.join(server.root, "hello.txt"), "hello");
  });
  after(async () => {
    await server.close();
    await rm(folder, { recursive: true, force: true });
  });

  it("logs in with a private key given as text or as a file path", async () => {
    const keyFile = path.join(folder, "id_ed25519");
    await writeFile(keyFile, key.private, { mode: 0o600 });
    for (const privateKey of [key.private, keyFile]) {
      const transfer = createFileTransfer({ ...server.settings(), password: undefined, privateKey });
      await transfer.download("/hello.txt", path.join(folder, "hello.txt"));
      expect(await readFile(path.join(folder, "hello.txt"), "utf8")).to.equal("hello");
      await transfer.close();
    }
  });

  it("refuses a key the server does not know with TransferAuthError", async () => {
    const transfer = createFileTransfer({
      ...server.settings(),
      password: undefined,
      privateKey: otherKey.private,
    });
    const error = await transfer.connect().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TransferAuthError);
    expect((error as Error).message).to.contain("login refused");
    await transfer.close();
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

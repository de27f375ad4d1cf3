import { expect } from "chai";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot, runCli } from "../helpers/cli.js";
import { makeTempDir } from "../helpers/temp-dir.js";

const example = path.join(repoRoot, "conf.example.json");
const javaConf = path.join(repoRoot, "test/fixtures/config/java-conf.json");

describe("alma-rs command line", () => {
  it("lists the global flags and the config command in --help", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).to.equal(0);
    for (const flag of ["--config", "--log-level", "--dry-run", "--json", "--quiet", "config"]) {
      expect(stdout).to.contain(flag);
    }
  });

  it("prints the package version", async () => {
    const { code, stdout } = await runCli(["--version"]);
    const pkg = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as {
      version: string;
    };
    expect(code).to.equal(0);
    expect(stdout.trim()).to.equal(pkg.version);
  });

  it("exits 2 on an unknown command", async () => {
    const { code, stderr } = await runCli(["frobnicate"]);
    expect(code).to.equal(2);
    expect(stderr).to.contain("unknown command");
  });

  it("exits 2 when a command's required option is missing", async () => {
    const { code, stderr } = await runCli(["sync-items"]);
    expect(code).to.equal(2);
    expect(stderr).to.contain("--institution");
  });

  it("exits 2 on an option value outside its choices", async () => {
    const { code, stderr } = await runCli(["--log-level", "chatty", "config", "check"]);
    expect(code).to.equal(2);
    expect(stderr).to.contain("chatty");
  });

  it("config check validates conf.example.json, exits 0 and prints no secret", async () => {
    const { code, stdout } = await runCli(["config", "check", "--config", example]);
    expect(code).to.equal(0);
    expect(stdout).to.contain("valid");
    expect(stdout).not.to.match(/change-me/);
    expect(stdout).to.contain('"apikey": "***"');
  });

  it("config check accepts the Java app's conf.json with strings for numbers and booleans", async () => {
    const { code, stdout } = await runCli(["config", "check", "--json"], { env: { CONFIG_FILE: javaConf } });
    expect(code).to.equal(0);
    const printed = JSON.parse(stdout) as {
      config: { max_number_of_threads: number; ignore_delete_files: boolean };
    };
    expect(printed.config.max_number_of_threads).to.equal(4);
    expect(printed.config.ignore_delete_files).to.equal(true);
    expect(stdout).not.to.contain("l8xx-ab-secret-key");
  });

  it("config check exits 2 naming institutions[0].apikey when it is missing", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const raw = JSON.parse(await readFile(javaConf, "utf8")) as { institutions: Record<string, unknown>[] };
      delete raw.institutions[0]!.apikey;
      const file = path.join(dir, "conf.json");
      await writeFile(file, JSON.stringify(raw));
      const { code, stderr, stdout } = await runCli(["config", "check", "--config", file]);
      expect(code).to.equal(2);
      expect(stderr).to.contain("institutions[0].apikey: required");
      expect(stderr + stdout).not.to.contain("l8xx-scf-secret-key");
      const json = await runCli(["config", "check", "--json", "--config", file]);
      expect(json.code).to.equal(2);
      expect(JSON.parse(json.stdout)).to.deep.include({
        valid: false,
        source: file,
        problems: ["institutions[0].apikey: required"],
      });
    } finally {
      await cleanup();
    }
  });

  it("config check warns about an unknown key and still exits 0", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const raw = JSON.parse(await readFile(javaConf, "utf8")) as Record<string, unknown>;
      const file = path.join(dir, "conf.json");
      await writeFile(file, JSON.stringify({ ...raw, heroku_dyno: "web.1" }));
      const { code, stderr } = await runCli(["config", "check", "--config", file]);
      expect(code).to.equal(0);
      expect(stderr).to.contain("warning: heroku_dyno: unknown key");
    } finally {
      await cleanup();
    }
  });

  it("config check exits 2 on a malformed JSON file, naming the file and line but printing none of its text", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const file = path.join(dir, "bad.json");
      await writeFile(
        file,
        '{\n  "gateway": "https://api-na.hosted.exlibrisgroup.com",\n' +
          '  "institutions": [{ "code": "01AAA_AB", "apikey": "l8xx-secret-abc" }],\n  "state_dir": ,\n}\n',
      );
      const { code, stderr, stdout } = await runCli(["config", "check", "--config", file]);
      expect(code).to.equal(2);
      expect(stderr).to.equal(
        `alma-rs: configuration file ${file} is not valid JSON: line 4, column 16: unexpected character\n`,
      );
      expect(stderr + stdout).not.to.contain("l8xx-secret");
    } finally {
      await cleanup();
    }
  });

  it("config check prints no part of an inline SFTP private key, and still shows a key file's path", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const raw = JSON.parse(await readFile(javaConf, "utf8")) as { ftp_server: Record<string, unknown> };
      const body = [
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ",
        "AAAAAAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIJ",
      ];
      const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`;
      const inline = path.join(dir, "inline.json");
      await writeFile(
        inline,
        JSON.stringify({ ...raw, ftp_server: { ...raw.ftp_server, private_key: pem } }),
      );
      const shown = await runCli(["config", "check", "--json", "--config", inline]);
      expect(shown.code).to.equal(0);
      const printed = JSON.parse(shown.stdout) as { config: { ftp_server: { private_key: string } } };
      expect(printed.config.ftp_server.private_key).to.equal("***");
      for (const part of [...body, "PRIVATE KEY"]) expect(shown.stdout + shown.stderr).not.to.contain(part);
      const byPath = path.join(dir, "path.json");
      await writeFile(
        byPath,
        JSON.stringify({ ...raw, ftp_server: { ...raw.ftp_server, private_key: "/etc/alma-rs/id_ed25519" } }),
      );
      const pathShown = await runCli(["config", "check", "--config", byPath]);
      expect(pathShown.stdout).to.contain('"private_key": "/etc/alma-rs/id_ed25519"');
    } finally {
      await cleanup();
    }
  });

  it("config check masks a password written inside a URL or its query, whatever the key", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const raw = JSON.parse(await readFile(javaConf, "utf8")) as Record<string, unknown>;
      const file = path.join(dir, "url-secret.json");
      const aleph = { items_url: "http://aleph.example.org/cgi-bin/items?user=x&password=AlephPW99" };
      await writeFile(
        file,
        JSON.stringify({ ...raw, gateway: "https://gw:GwSecret55@gateway.example.org", aleph }),
      );
      const shown = await runCli(["config", "check", "--config", file]);
      expect(shown.code).to.equal(0);
      expect(shown.stdout).to.contain('"gateway": "https://gw:***@gateway.example.org"');
      expect(shown.stdout).to.contain(
        '"items_url": "http://aleph.example.org/cgi-bin/items?user=x&password=***"',
      );
      expect(shown.stdout + shown.stderr).not.to.contain("GwSecret55");
      expect(shown.stdout + shown.stderr).not.to.contain("AlephPW99");
    } finally {
      await cleanup();
    }
  });

  it("config check prints the unknown-key warnings with the errors of an invalid configuration", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const raw = JSON.parse(await readFile(javaConf, "utf8")) as Record<string, unknown>;
      const file = path.join(dir, "conf.json");
      const { remote_storage_apikey: key, ...rest } = raw;
      await writeFile(file, JSON.stringify({ ...rest, remote_storage_apiKey: key }));
      const { code, stderr } = await runCli(["config", "check", "--config", file]);
      expect(code).to.equal(2);
      expect(stderr).to.contain("remote_storage_apikey: required when institutions are configured");
      expect(stderr).to.contain("warning: remote_storage_apiKey: unknown key");
    } finally {
      await cleanup();
    }
  });

  it("config check exits 2 when no configuration can be found", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const { code, stderr } = await runCli(["config", "check"], { cwd: dir, env: { HOME: dir } });
      expect(code).to.equal(2);
      expect(stderr).to.contain("no configuration found");
    } finally {
      await cleanup();
    }
  });
});

import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { validateConfig } from "../../src/config/validate.js";
import { ConfigError } from "../../src/config/config-error.js";
import { repoRoot } from "../helpers/cli.js";

const javaConf = path.join(repoRoot, "test/fixtures/config/java-conf.json");

async function readJson(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
}

function validate(raw: unknown, env: NodeJS.ProcessEnv = {}) {
  return validateConfig(raw, { source: "test.json", baseDir: "/etc/alma-rs", env });
}

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  expect.fail("expected a ConfigError");
}

describe("configuration validation", () => {
  it("accepts the Java app's conf.json unchanged, turning its strings into numbers and booleans", async () => {
    const { config, warnings } = validate(await readJson(javaConf));
    expect(warnings).to.deep.equal([]);
    expect(config.max_number_of_threads).to.equal(4);
    expect(config.ignore_delete_files).to.equal(true);
    expect(config.ftp_server?.ftp_port).to.equal(22);
    expect(config.institutions[0]?.libraries[0]?.remote_storage_location).to.deep.equal(["rs", "rs_annex"]);
  });

  it("accepts typed numbers and booleans as well", async () => {
    const raw = await readJson(javaConf);
    const { config } = validate({ ...raw, max_number_of_threads: 8, ignore_delete_files: false });
    expect(config.max_number_of_threads).to.equal(8);
    expect(config.ignore_delete_files).to.equal(false);
  });

  it("refuses a claim folder that jobs of several folders would share", async () => {
    const raw = await readJson(javaConf);
    for (const folder of ["/OLD", "../OLD", "."]) {
      const server = { ...(raw.ftp_server as object), claim_folder: folder };
      expect(
        problemsOf(() => validate({ ...raw, ftp_server: server })),
        folder,
      ).to.deep.equal([
        "ftp_server.claim_folder: must be a folder below each job's folder (no leading /, no ..), e.g. OLD",
      ]);
    }
  });

  it("validates conf.example.json, which documents every key", async () => {
    const { config, warnings } = validate(await readJson(path.join(repoRoot, "conf.example.json")));
    expect(warnings).to.deep.equal([]);
    expect(config.aspace?.institution_code).to.equal("PULFA");
    expect(config.caiasoft?.batch_size).to.equal(500);
  });

  it("refuses a recap_pattern or an excluded pattern that is not a valid regular expression, naming the key", async () => {
    const raw = await readJson(path.join(repoRoot, "conf.example.json"));
    const aspace = raw.aspace as Record<string, unknown>;
    aspace.recap_pattern = "^(sca";
    aspace.excluded_patterns = ["LAE\\d+", "SPA[", "POR\\d+"];
    expect(problemsOf(() => validate(raw))).to.deep.equal([
      "aspace.excluded_patterns[1]: not a valid regular expression (Unterminated character class)",
      "aspace.recap_pattern: not a valid regular expression (Unterminated group)",
    ]);
  });

  it("checks the patterns as the job compiles them: Unicode escapes work, needless escapes do not", async () => {
    const raw = await readJson(path.join(repoRoot, "conf.example.json"));
    const aspace = raw.aspace as Record<string, unknown>;
    aspace.recap_pattern = "^rcp\\p{L}+";
    aspace.excluded_patterns = ["C\\-1"];
    expect(problemsOf(() => validate(raw))).to.deep.equal([
      "aspace.excluded_patterns[0]: not a valid regular expression (Invalid escape)",
    ]);
  });

  it("names institutions[0].apikey when an institution has no API key", async () => {
    const raw = await readJson(javaConf);
    const institutions = raw.institutions as Record<string, unknown>[];
    delete institutions[0]!.apikey;
    expect(problemsOf(() => validate(raw))).to.include("institutions[0].apikey: required");
  });

  it("reports every problem at once, not one per run", async () => {
    const raw = await readJson(javaConf);
    delete raw.remote_storage_apikey;
    raw.max_number_of_threads = "four";
    const problems = problemsOf(() => validate(raw));
    expect(problems).to.have.length(2);
    expect(problems.join("\n")).to.contain(
      "remote_storage_apikey: required when institutions are configured",
    );
    expect(problems.join("\n")).to.contain("max_number_of_threads:");
  });

  it("reports an unknown key as a warning, not an error", async () => {
    const raw = await readJson(javaConf);
    const { config, warnings } = validate({
      ...raw,
      log_backup_hour: "0",
      ftp_server: { ...(raw.ftp_server as object), mode: "x" },
    });
    expect(warnings).to.deep.equal(["ftp_server.mode: unknown key", "log_backup_hour: unknown key"].sort());
    expect(config.gateway).to.equal("https://api-na.hosted.exlibrisgroup.com");
  });

  it("keeps the unknown-key warnings in the error when the configuration is also invalid", async () => {
    const raw = await readJson(javaConf);
    const institutions = raw.institutions as Record<string, unknown>[];
    institutions[0]!.apiKey = institutions[0]!.apikey;
    delete institutions[0]!.apikey;
    let caught: unknown;
    try {
      validate(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(ConfigError);
    expect((caught as ConfigError).warnings).to.deep.equal(["institutions[0].apiKey: unknown key"]);
    expect((caught as ConfigError).message).to.equal(
      "invalid configuration in test.json\n  institutions[0].apikey: required\n" +
        "  warning: institutions[0].apiKey: unknown key",
    );
  });

  it("gives one warning line per unknown key, even for two keys of one object", async () => {
    const raw = await readJson(javaConf);
    const { warnings } = validate({ ...raw, log_backup_hour: "0", heroku_dyno: "web.1" });
    expect(warnings).to.deep.equal(["log_backup_hour: unknown key", "heroku_dyno: unknown key"]);
  });

  it("registers an inline private key, and each of its lines, as secrets, but not a key file's path", async () => {
    const raw = await readJson(javaConf);
    const pem =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUA\nAAAEbm9uZQAAAAAAAAAB\n-----END OPENSSH PRIVATE KEY-----\n";
    const inline = validate({ ...raw, ftp_server: { ...(raw.ftp_server as object), private_key: pem } });
    expect([...inline.secrets]).to.include.members([
      pem,
      "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUA",
      "AAAEbm9uZQAAAAAAAAAB",
    ]);
    const file = validate({
      ...raw,
      ftp_server: { ...(raw.ftp_server as object), private_key: "/etc/alma-rs/id_ed25519" },
    });
    expect([...file.secrets]).not.to.include("/etc/alma-rs/id_ed25519");
  });

  it("reads env: values from the environment", async () => {
    const raw = await readJson(javaConf);
    raw.remote_storage_apikey = "env:SCF_KEY";
    const { config, secrets } = validate(raw, { SCF_KEY: "from-the-environment" });
    expect(config.remote_storage_apikey).to.equal("from-the-environment");
    expect(secrets.has("from-the-environment")).to.equal(true);
  });

  it("names the missing environment variable and the key that wanted it", async () => {
    const raw = await readJson(javaConf);
    (raw.institutions as Record<string, unknown>[])[0]!.apikey = "env:AB_KEY";
    const problems = problemsOf(() => validate(raw, {}));
    expect(problems).to.include("institutions[0].apikey: environment variable AB_KEY is not set");
    expect(problems).not.to.include("institutions[0].apikey: required");
  });

  it("resolves relative folders against the configuration file's folder and derives the rest from state_dir", () => {
    const { config } = validate({ state_dir: "state", log: { folder: "logs" } });
    expect(config.state_dir).to.equal("/etc/alma-rs/state");
    expect(config.log.folder).to.equal("/etc/alma-rs/logs");
    expect(config.report_file_folder).to.equal("/etc/alma-rs/state/reports");
    expect(config.webhook.spool_dir).to.equal("/etc/alma-rs/state/webhook");
  });

  it("accepts a single remote_storage_location written as a string", () => {
    const { config } = validate({
      gateway: "https://api-eu.hosted.exlibrisgroup.com",
      remote_storage_inst: "01AAA_RS",
      remote_storage_apikey: "k-scf",
      institutions: [
        { code: "01AAA_AB", apikey: "k-ab", libraries: [{ code: "ABRS", remote_storage_location: "rs" }] },
      ],
    });
    expect(config.institutions[0]?.libraries[0]?.remote_storage_location).to.deep.equal(["rs"]);
  });

  it("rejects two institutions with the same code", () => {
    const inst = { code: "01AAA_AB", apikey: "k" };
    const problems = problemsOf(() =>
      validate({
        gateway: "https://x.example",
        remote_storage_inst: "R",
        remote_storage_apikey: "k",
        institutions: [inst, inst],
      }),
    );
    expect(problems).to.deep.equal(["institutions[1].code: duplicate code 01AAA_AB"]);
  });
});

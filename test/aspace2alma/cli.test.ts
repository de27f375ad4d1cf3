import { expect } from "chai";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { sftpConfigSection } from "../../src/sandbox/transfer/index.js";
import { runCli } from "../helpers/cli.js";
import { makeWorld, OUTPUT_DIR, YESTERDAY, type World } from "./world.js";

/** The world's configuration written as a file the binary reads, with `change` applied. */
async function writeConfig(world: World, change?: (raw: Record<string, unknown>) => void): Promise<string> {
  const file = path.join(world.dir, "conf.json");
  const { config, sftp } = world;
  const raw = {
    state_dir: config.state_dir,
    report_file_folder: config.report_file_folder,
    log: { folder: config.log.folder },
    ftp_server: sftpConfigSection(sftp),
    aspace: {
      base_url: world.aspace.url,
      username: "alma-export",
      password: "aspace-Secret-pw",
      output_dir: OUTPUT_DIR,
    },
  };
  change?.(raw);
  await writeFile(file, JSON.stringify(raw, null, 2));
  return file;
}

describe("alma-rs aspace2alma (command line)", function () {
  this.timeout(60_000);
  let world: World;

  afterEach(async () => {
    await world?.close();
  });

  it("exports, uploads, exits 1 for the skipped resources and never logs either password", async () => {
    world = await makeWorld();
    const config = await writeConfig(world);
    const result = await runCli(["--config", config, "--log-level", "debug", "aspace2alma"]);
    expect(result.code, result.stderr).to.equal(1);
    expect(result.stdout).to.include("aspace2alma: finished");
    expect(result.stdout).to.include(
      "failed /repositories/3/resources/7 (export): the MARC export has no 008",
    );
    expect(await world.readServed(`${OUTPUT_DIR}/MARC_out.xml`)).to.equal(
      await readFile(path.join(__dirname, "../fixtures/aspace2alma/expected.xml"), "utf8"),
    );
    expect(result.stderr).to.include("Fetched record MC001.01");
    expect(result.stderr + result.stdout).not.to.include("aspace-Secret-pw");
    expect(result.stderr + result.stdout).not.to.include(world.sftp.password);
    expect(world.aspace.stats.passwordInQuery).to.equal(0);
  });

  it("exits 3 and uploads nothing when the barcode report is missing", async () => {
    world = await makeWorld({ report: null });
    const config = await writeConfig(world);
    const result = await runCli(["--config", config, "aspace2alma"]);
    expect(result.code).to.equal(3);
    expect(result.stdout).to.include("ABORTED: no barcode report /alma/aspace/sc_active_barcodes.csv");
    expect(world.existsServed(`${OUTPUT_DIR}/MARC_out.xml`)).to.equal(false);
  });

  it("exits 2 naming aspace.barcodes.institution when the set's institution is unknown, before any rotation", async () => {
    world = await makeWorld();
    const config = await writeConfig(world, (raw) => {
      raw.gateway = "https://api-na.hosted.exlibrisgroup.com";
      (raw.aspace as Record<string, unknown>).barcodes = {
        source: "set",
        set_id: "9988",
        institution: "01ZZZ_XX",
      };
    });
    const result = await runCli(["--config", config, "aspace2alma"]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include(
      "aspace.barcodes.institution: 01ZZZ_XX is neither an institutions[].code nor remote_storage_inst",
    );
    expect(await world.readServed(`${OUTPUT_DIR}/MARC_out.xml`)).to.equal(YESTERDAY);
    expect(world.existsServed(`${OUTPUT_DIR}/MARC_out_old.xml`)).to.equal(false);
  });

  it("exits 2 naming aspace.recap_pattern when it is not a valid regular expression, in config check and before any rotation", async () => {
    world = await makeWorld();
    const config = await writeConfig(world, (raw) => {
      (raw.aspace as Record<string, unknown>).recap_pattern = "^(sca";
    });
    const problem = "aspace.recap_pattern: not a valid regular expression (Unterminated group)";
    const check = await runCli(["--config", config, "config", "check"]);
    expect(check.code).to.equal(2);
    expect(check.stderr + check.stdout).to.include(problem);
    const result = await runCli(["--config", config, "aspace2alma"]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include(problem);
    expect(await world.readServed(`${OUTPUT_DIR}/MARC_out.xml`)).to.equal(YESTERDAY);
    expect(world.existsServed(`${OUTPUT_DIR}/MARC_out_old.xml`)).to.equal(false);
  });

  it("refuses --output with --remove-stale (exit 2)", async () => {
    world = await makeWorld();
    const config = await writeConfig(world);
    const result = await runCli(["--config", config, "aspace2alma", "--output", "x.xml", "--remove-stale"]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include("--output and --remove-stale cannot be used together");
  });
});

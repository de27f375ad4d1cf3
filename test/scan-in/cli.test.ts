import { expect } from "chai";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RunSummary } from "../../src/runtime/run-report.js";
import type { AlmaSimulator } from "../../src/sandbox/alma/index.js";
import { runCli } from "../helpers/cli.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { loanReturned } from "../webhook/helpers.js";
import { ABMAIN_DESK, simConfigJson, startSimulator } from "./sim-fixture.js";

describe("alma-rs scan-in", () => {
  let sim: AlmaSimulator;
  let dir: string;
  let cleanup: () => Promise<void>;
  let configFile: string;

  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    sim = await startSimulator();
    configFile = path.join(dir, "conf.json");
    await writeFile(configFile, JSON.stringify(simConfigJson(sim.url)));
  });
  afterEach(async () => {
    await sim.stop();
    await cleanup();
  });

  const scans = () =>
    sim.callsTo("POST", /\/items\/\d+$/, "01AAA_AB").filter((call) => call.query.op === "scan");

  it("scans in by --barcode, prints the summary as JSON and exits 0", async () => {
    const { code, stdout } = await runCli([
      "--config",
      configFile,
      "--json",
      "scan-in",
      "--barcode",
      "31234000123457X",
    ]);
    expect(code).to.equal(0);
    const summary = JSON.parse(stdout) as RunSummary;
    expect(summary.job).to.equal("scan-in");
    expect(summary.counts).to.deep.equal({ "scanned in": 1 });
    expect(scans().map((call) => call.query.circ_desk)).to.deep.equal([ABMAIN_DESK]);
  });

  it("says on the terminal why it ignored a barcode", async () => {
    const { code, stdout } = await runCli(["--config", configFile, "scan-in", "--barcode", "31234000123457"]);
    expect(code).to.equal(0);
    expect(stdout).to.contain(
      "  ignored: 1\n  note: barcode 31234000123457 does not end in X: not an SCF copy of a member item, ignored\n",
    );
    // The log file keeps the run's account, though stderr under cron shows warnings only.
    const logs = path.join(dir, "state", "logs");
    const [file] = (await readdir(logs)).filter((name) => name.endsWith(".log"));
    const lines = (await readFile(path.join(logs, file!), "utf8")).split("\n").filter(Boolean);
    const messages = lines.map((line) => (JSON.parse(line) as { message: string }).message);
    expect(messages).to.include('scan-in: finished {"ignored":1}');
  });

  it("scans in from a saved --event file", async () => {
    const event = path.join(dir, "event.json");
    await writeFile(event, loanReturned("1452370645077141593", "31234000123456X"));
    const { code } = await runCli(["--config", configFile, "--quiet", "scan-in", "--event", event]);
    expect(code).to.equal(0);
    expect(scans()).to.have.length(1);
  });

  it("exits 1 when the record fails, and 2 on a usage error", async () => {
    const failed = await runCli(["--config", configFile, "--quiet", "scan-in", "--barcode", "404X"]);
    expect(failed.code).to.equal(1);
    const both = await runCli(["--config", configFile, "scan-in", "--barcode", "1X", "--event", "e.json"]);
    expect(both.code).to.equal(2);
    expect(both.stderr).to.contain(
      "scan-in needs exactly one of --barcode <scf barcode> and --event <file.json>",
    );
    const notLoan = path.join(dir, "not-loan.json");
    await writeFile(notLoan, JSON.stringify({ id: "1", action: "REQUEST" }));
    const wrong = await runCli(["--config", configFile, "scan-in", "--event", notLoan]);
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.contain("not a LOAN_RETURNED event with item_loan.item_barcode");
  });
});

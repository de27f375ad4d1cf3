import { expect } from "chai";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { RunSummary } from "../../src/runtime/run-report.js";
import type { AlmaSimulator } from "../../src/sandbox/alma/index.js";
import { runCli } from "../helpers/cli.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { abRequest, DASHED_USER, simConfigJson, startSimulator } from "../scan-in/sim-fixture.js";
import { requestCanceled } from "../webhook/helpers.js";

describe("alma-rs cancel-request", () => {
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

  const status = (n: number) =>
    sim.institution("01AAA_AB").requests.find((r) => r.request_id === abRequest(n))!.request_status;

  it("cancels by --barcode and by --comment", async () => {
    const byBarcode = await runCli([
      "--config",
      configFile,
      "--json",
      "cancel-request",
      "--barcode",
      "31234000123456X",
    ]);
    expect(byBarcode.code).to.equal(0);
    expect((JSON.parse(byBarcode.stdout) as RunSummary).counts).to.deep.equal({ cancelled: 2 });
    const comment = `{Source Request 01AAA_AB-${abRequest(4)}-${DASHED_USER}}`;
    const byComment = await runCli([
      "--config",
      configFile,
      "--quiet",
      "cancel-request",
      "--comment",
      comment,
    ]);
    expect(byComment.code).to.equal(0);
    expect([status(1), status(2), status(4)]).to.deep.equal(["CANCELLED", "CANCELLED", "CANCELLED"]);
  });

  it("cancels from a saved --event file, the comment's tag winning over the barcode", async () => {
    const event = path.join(dir, "event.json");
    await writeFile(
      event,
      requestCanceled("9", {
        barcode: "31234000123456X",
        comment: `{Source Request 01AAA_AB-${abRequest(3)}-ab-jdoe}`,
      }),
    );
    const { code } = await runCli(["--config", configFile, "--quiet", "cancel-request", "--event", event]);
    expect(code).to.equal(0);
    expect([status(1), status(3)]).to.deep.equal(["IN_PROCESS", "CANCELLED"]);
  });

  it("exits 2 unless exactly one of --barcode, --comment and --event is given", async () => {
    for (const args of [[], ["--barcode", "1X", "--comment", "c"]]) {
      const { code, stderr } = await runCli(["--config", configFile, "cancel-request", ...args]);
      expect(code).to.equal(2);
      expect(stderr).to.contain("cancel-request needs exactly one of --barcode, --comment and --event");
    }
  });
});

import { expect } from "chai";
import { runScanIn } from "../../src/jobs/scan-in/job.js";
import { originalBarcodeOf } from "../../src/jobs/scan-in/scf-barcode.js";
import type { AlmaSimulator } from "../../src/sandbox/alma/index.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import {
  ABMAIN_DESK,
  ABRS_DESK,
  abItem,
  abRequest,
  runContext,
  simConfig,
  startSimulator,
} from "./sim-fixture.js";

describe("scan-in against the Alma simulator", () => {
  let sim: AlmaSimulator;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    sim = await startSimulator();
  });
  afterEach(async () => {
    await sim.stop();
    await cleanup();
  });

  const context = (dryRun = false) => runContext(simConfig(dir, sim.url), { dryRun });
  const scans = () =>
    sim.callsTo("POST", /\/items\/\d+$/, "01AAA_AB").filter((call) => call.query.op === "scan");
  const ab = () => sim.institution("01AAA_AB");

  it("scans the home item in at its library with that library's desk from the configuration", async () => {
    const summary = await runScanIn(context(), { scfBarcode: "31234000123456X" });
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.equal({ "scanned in": 1 });
    expect(summary.details.institution).to.equal("01AAA_AB");
    expect(scans().map((call) => call.query)).to.deep.equal([
      { op: "scan", library: "ABRS", circ_desk: ABRS_DESK, done: "true" },
    ]);
    expect(scans()[0]!.path).to.match(new RegExp(`/items/${abItem(1)}$`));
    // The simulator puts the item on the hold shelf for its oldest waiting request.
    expect(ab().items.find((item) => item.pid === abItem(1))!.item_data.process_type?.value).to.equal(
      "HOLDSHELF",
    );
    expect(ab().requests.find((request) => request.request_id === abRequest(1))!.request_status).to.equal(
      "ON_HOLD_SHELF",
    );
  });

  it("scans an item in a temporary location in at the temporary library and its desk", async () => {
    const summary = await runScanIn(context(), { scfBarcode: "31234000123457X" });
    expect(summary.counts).to.deep.equal({ "scanned in": 1 });
    expect(scans().map((call) => call.query)).to.deep.equal([
      { op: "scan", library: "ABMAIN", circ_desk: ABMAIN_DESK, done: "true" },
    ]);
    expect(scans()[0]!.path).to.match(new RegExp(`/items/${abItem(2)}$`));
  });

  it("does nothing new when the same return comes again (the item is already on the hold shelf)", async () => {
    await runScanIn(context(), { scfBarcode: "31234000123456X" });
    const again = await runScanIn(context(), { scfBarcode: "31234000123456X" });
    expect(again.failures).to.deep.equal([]);
    expect(again.counts).to.deep.equal({ "already scanned in": 1 });
    expect(scans()).to.have.length(1);
    expect(ab().items.find((item) => item.pid === abItem(1))!.item_data.process_type?.value).to.equal(
      "HOLDSHELF",
    );
  });

  it("scans in an item in transit (Alma may put one shipped from remote storage in transit before it arrives)", async () => {
    ab().items.find((item) => item.pid === abItem(3))!.item_data.process_type = {
      value: "TRANSIT",
      desc: "Transit",
    };
    const summary = await runScanIn(context(), { scfBarcode: "31234000223344X" });
    expect(summary.counts).to.deep.equal({ "scanned in": 1 });
    expect(scans()).to.have.length(1);
  });

  it("does not scan in an item that is on loan at home (that would return the patron's loan)", async () => {
    const summary = await runScanIn(context(), { scfBarcode: "31234000334455X" });
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.equal({ "on loan at home, not scanned in": 1 });
    expect(scans()).to.have.length(0);
    expect(ab().loans.find((loan) => loan.item_id === abItem(4))!.loan_status).to.equal("ACTIVE");
  });

  it("ignores, with a note and without a call, a barcode that does not end in X", async () => {
    const summary = await runScanIn(context(), { scfBarcode: "31234000123456" });
    expect(summary.counts).to.deep.equal({ ignored: 1 });
    expect(summary.details.note).to.equal(
      "barcode 31234000123456 does not end in X: not an SCF copy of a member item, ignored",
    );
    expect(sim.calls).to.have.length(0);
  });

  it("fails the record, naming the step, when the SCF has no such item", async () => {
    const summary = await runScanIn(context(), { scfBarcode: "99999999X" });
    expect(summary.aborted).to.equal(undefined);
    expect(summary.failures).to.deep.equal([
      {
        institution: undefined,
        barcode: "99999999",
        step: "find SCF item",
        message: "no item with barcode 99999999X in the SCF",
      },
    ]);
  });

  it("fails the record when the item's library has no circ_desc in the configuration", async () => {
    const config = simConfig(dir, sim.url);
    config.institutions[0]!.libraries = config.institutions[0]!.libraries.filter(
      (library) => library.code !== "ABRS",
    );
    const summary = await runScanIn(runContext(config), { scfBarcode: "31234000123456X" });
    expect(summary.failures[0]!.step).to.equal("choose circulation desk");
    expect(summary.failures[0]!.message).to.equal(
      "library ABRS of 01AAA_AB has no circ_desc in the configuration (institutions[].libraries[])",
    );
    expect(scans()).to.have.length(0);
  });

  it("plans the scan and makes none in a dry run", async () => {
    const summary = await runScanIn(context(true), { scfBarcode: "31234000123457X" });
    expect(summary.planned).to.deep.equal([
      {
        action: "scan in",
        target: "01AAA_AB item 31234000123457",
        detail: { library: "ABMAIN", circDesk: ABMAIN_DESK },
      },
    ]);
    expect(scans()).to.have.length(0);
  });

  it("aborts (to be retried) when Alma does not answer", async () => {
    const config = simConfig(dir, "http://127.0.0.1:9");
    const summary = await runScanIn(runContext(config), { scfBarcode: "31234000123456X" });
    expect(summary.aborted).to.match(/^01AAA_RS: no answer from Alma to GET \/almaws\/v1\/items/);
    expect(summary.failures).to.deep.equal([]);
  });
});

describe("SCF barcode", () => {
  it("is the home barcode followed by X", () => {
    expect(originalBarcodeOf("31234000123456X")).to.equal("31234000123456");
    expect(originalBarcodeOf(" 31234000123456X ")).to.equal("31234000123456");
    expect(originalBarcodeOf("31234000123456")).to.equal(undefined);
    expect(originalBarcodeOf("31234000123456x")).to.equal(undefined);
    expect(originalBarcodeOf("X")).to.equal(undefined);
  });
});

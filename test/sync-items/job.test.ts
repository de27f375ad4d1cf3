import { expect } from "chai";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { addField, dataField } from "../../src/marc/record.js";
import { exitCodeFor } from "../../src/runtime/run-report.js";
import {
  defaultFixture,
  formatId,
  IdPrefix,
  NZ_IDS,
  type AlmaFixture,
} from "../../src/sandbox/alma/index.js";
import {
  publishingRecord,
  writePublishingTarGz,
  type PublishedItemSpec,
} from "../helpers/publishing-file.js";
import { AB, csvReport, makeSyncWorld, SCF, type SyncWorld } from "./world.js";

// The default fixture (src/sandbox/alma/default-fixture.ts): AB bib 1 (NZ originOfSpecies, in the SCF with
// holding RS/rs_shared) has items …123456 (SCF copy on loan) and …123457; AB bib 2 (NZ leavesOfGrass, not in the
// SCF) item …223344 at ABMAIN/stacks; AB bib 3 (no NZ record) item …334455 at ABRS/rs_annex.
const abBib = (n: number) => formatId(IdPrefix.bib, n, "0001");
const ORIGIN = { mmsId: abBib(1), nzId: NZ_IDS.originOfSpecies, title: "On the origin of species" };
const LEAVES = { mmsId: abBib(2), nzId: NZ_IDS.leavesOfGrass, title: "Leaves of grass" };
const MINUTES = { mmsId: abBib(3), title: "Minutes of the Board of Trustees, 1890-1910" };
const rs = (barcode: string, location = "rs"): PublishedItemSpec => ({ barcode, library: "ABRS", location });

/** The default consortium plus an SCF copy of `barcode`, not on loan, with this provenance. */
function withScfCopy(barcode: string, provenance: string): AlmaFixture {
  const fixture = structuredClone(defaultFixture);
  const scf = fixture.institutions.find((inst) => inst.code === SCF)!;
  const first = scf.items![0]!;
  scf.items!.push({
    pid: formatId(IdPrefix.item, 50, "0003"),
    mms_id: first.mms_id,
    holding_id: first.holding_id,
    item_data: { barcode, provenance: { value: provenance } },
  });
  return fixture;
}

describe("sync-items job (in-process, Alma simulator)", function () {
  this.timeout(20_000);
  let world: SyncWorld;
  afterEach(() => world?.close());

  describe("with the default consortium", () => {
    beforeEach(async () => (world = await makeSyncWorld()));

    it("writes nothing for an item that is neither in the SCF nor in remote storage", async () => {
      const file = await world.writeFile("pub_20261125_020000_new.xml", [
        publishingRecord({
          ...LEAVES,
          items: [{ barcode: "31234000223344", library: "ABMAIN", location: "stacks" }],
        }),
      ]);
      const summary = await world.run([file]);
      expect(summary.counts).to.include({ "not in remote storage": 1 });
      expect(summary.failures).to.deep.equal([]);
      expect(world.writes()).to.deep.equal([]);
    });

    it("builds a local bib without the record's AVA field, with 035 (INST)mmsId", async () => {
      const record = publishingRecord({ ...MINUTES, items: [rs("31234000334455", "rs_annex")] });
      addField(
        record,
        dataField("AVA", " ", " ", [
          ["b", "ABRS"],
          ["j", "rs_annex"],
          ["e", "available"],
        ]),
      );
      const file = await world.writeFile("pub_20261125_020000_new.xml", [record]);
      const summary = await world.run([file]);
      expect(summary.counts).to.include({ created: 1, "bibs created": 1 });
      const item = world.scf().items.find((i) => i.item_data.barcode === "31234000334455X")!;
      const bib = world.scf().bibs.find((b) => b.mms_id === item.mms_id)!;
      expect(bib.network_number).to.include(`(${AB})${MINUTES.mmsId}`);
      expect(bib.record).to.contain(
        `<datafield tag="035" ind1=" " ind2=" "><subfield code="a">(${AB})${MINUTES.mmsId}</subfield></datafield>`,
      );
      expect(bib.record).not.to.contain('tag="AVA"');
    });

    it("fetches the SCF library's locations once per run, however many items and bibs ask", async () => {
      const file = await world.writeFile("pub_20261125_020000_new.xml", [
        publishingRecord({ ...ORIGIN, items: [rs("31234000123457")] }),
        publishingRecord({ ...LEAVES, items: [rs("31234000223344")] }),
        publishingRecord({ ...MINUTES, items: [rs("31234000334455", "rs_annex")] }),
      ]);
      const summary = await world.run([file]);
      expect(summary.counts).to.include({ created: 3 });
      expect(world.sim.callsTo("GET", /\/conf\/libraries\/RS\/locations$/, SCF)).to.have.length(1);
    });

    it("reports an ITM field without $l or $c and leaves its item alone, never withdrawing it", async () => {
      const origin = publishingRecord({ ...ORIGIN, items: [] });
      addField(
        origin,
        dataField("ITM", " ", " ", [
          ["b", "31234000123456"],
          ["c", "ABRS"],
        ]),
      );
      const leaves = publishingRecord({ ...LEAVES, items: [] });
      addField(
        leaves,
        dataField("ITM", " ", " ", [
          ["b", "31234000223344"],
          ["l", "rs"],
        ]),
      );
      const file = await world.writeFile("pub_20261125_020000_new.xml", [origin, leaves]);
      const summary = await world.run([file]);
      expect(summary.failures.map((f) => [f.barcode, f.step, f.message])).to.deep.equal([
        ["31234000123456", "read item", "ITM field without $l (location)"],
        ["31234000223344", "read item", "ITM field without $c (library)"],
      ]);
      expect(exitCodeFor(summary)).to.equal(1);
      expect(summary.counts).not.to.have.property("not in remote storage");
      expect(world.writes()).to.deep.equal([]);
      expect(world.scf().items.map((i) => i.item_data.barcode)).to.include("31234000123456X");
    });

    it("reads only the .xml entries of a tar.gz, in any case, and counts the others", async () => {
      const file = await world.writeTarGz("pub_20261125_020000_new.tar.gz", [
        { name: "README.txt", text: "Published by Alma\n" },
        { name: "items.xml", records: [publishingRecord({ ...ORIGIN, items: [rs("31234000123457")] })] },
        { name: "image.jpg", text: "\u00ff\u00d8\u00ff not XML" },
        { name: "MORE.XML", records: [publishingRecord({ ...LEAVES, items: [rs("31234000223344")] })] },
      ]);
      const summary = await world.run([file]);
      expect(summary.failures).to.deep.equal([]);
      expect(summary.counts).to.include({ created: 2, "tar entries not read (not .xml)": 2 });
    });

    it("syncs items of one barcode one after the other: one SCF item, no second bib or holding", async () => {
      // Two records (two bibs) carry the barcode: in parallel, both would look up, find nothing and create.
      const file = await world.writeFile("pub_20261125_020000_new.xml", [
        publishingRecord({ ...LEAVES, items: [rs("31234000223344")] }),
        publishingRecord({ ...MINUTES, items: [rs("31234000223344")] }),
      ]);
      const bibsBefore = world.scf().bibs.length;
      const summary = await world.run([file]);
      expect(summary.failures).to.deep.equal([]);
      expect(summary.counts).to.include({ created: 1, "bibs created": 1, "holdings created": 1 });
      expect(world.scf().bibs).to.have.length(bibsBefore + 1);
      expect(world.scf().items.filter((i) => i.item_data.barcode === "31234000223344X")).to.have.length(1);
    });
  });

  it("makes no loan, and reports no failure, for an item a later _delete file of the same run withdrew", async () => {
    world = await makeSyncWorld({ config: (raw) => (raw.sync_items = { loan_delay_ms: 500 }) });
    const created = await world.writeFile("pub_20261125_020000_new.xml", [
      publishingRecord({ ...LEAVES, items: [rs("31234000223344")] }),
    ]);
    const deleted = await world.writeFile("pub_20261125_030000_delete.xml", [
      publishingRecord({ ...LEAVES, items: [rs("31234000223344")] }),
    ]);
    const summary = await world.run([created, deleted]);
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.include({ created: 1, deleted: 1, "loan not made: item gone": 1 });
    expect(world.scf().items.filter((i) => i.item_data.barcode === "31234000223344X")).to.deep.equal([]);
  });

  it("reports Alma's refusal in the CSV report, with Alma's message", async () => {
    // The default location the SCF library lacks: Alma refuses the holding the new item needs.
    world = await makeSyncWorld({ config: (raw) => (raw.remote_storage_holding_location = "rs_gone") });
    const file = await world.writeFile("pub_20261125_020000_new.xml", [
      publishingRecord({ ...LEAVES, items: [rs("31234000223344")] }),
    ]);
    const summary = await world.run([file]);
    expect(summary.failures).to.have.length(1);
    const failure = summary.failures[0]!;
    expect(failure).to.include({ barcode: "31234000223344", institution: AB, step: "sync item" });
    expect(failure.message).to.match(
      /^01AAA_RS: Alma answered 400 to POST \/almaws\/v1\/bibs\/\d+\/holdings: \d+ Location rs_gone is not valid for library RS\. \(tracking id [^)]+\)$/,
    );
    const csv = await csvReport(summary);
    expect(csv).to.match(
      /^31234000223344,01AAA_AB,.*sync item: 01AAA_RS: Alma answered 400 .*Location rs_gone is not valid for library RS\./m,
    );
  });

  it("keeps the SCF items of a _delete file when ignore_delete_files is on, and counts them", async () => {
    world = await makeSyncWorld({ config: (raw) => (raw.ignore_delete_files = "true") });
    const file = await world.writeFile("pub_20261125_020000_delete.xml", [
      publishingRecord({ ...ORIGIN, items: [rs("31234000123456"), rs("31234000123457")] }),
    ]);
    const summary = await world.run([file]);
    expect(summary.counts).to.include({ "delete ignored": 2 });
    expect(summary.counts).not.to.have.property("deleted");
    expect(world.writes()).to.deep.equal([]);
    expect(world.scf().items.map((i) => i.item_data.barcode)).to.include("31234000123456X");
  });

  it("reports and leaves alone an SCF copy that another member owns, on delete and on update", async () => {
    world = await makeSyncWorld({ fixture: withScfCopy("32345000111111X", "01AAA_CD") });
    const shared = { mmsId: abBib(1), title: "Shared barcode", items: [rs("32345000111111")] };
    const deleted = await world.writeFile("pub_20261125_020000_delete.xml", [publishingRecord(shared)]);
    const updated = await world.writeFile("pub_20261125_030000_new.xml", [publishingRecord(shared)]);
    const summary = await world.run([deleted, updated]);
    const message = "SCF item 32345000111111X belongs to 01AAA_CD (provenance), not 01AAA_AB: left alone";
    expect(summary.failures.map((f) => [f.barcode, f.message])).to.deep.equal([
      ["32345000111111", message],
      ["32345000111111", message],
    ]);
    expect(world.writes()).to.deep.equal([]);
    expect(world.scf().items.map((i) => i.item_data.barcode)).to.include("32345000111111X");
    expect(await csvReport(summary)).to.contain("belongs to 01AAA_CD");
  });

  describe("with a publishing file cut short", () => {
    beforeEach(async () => (world = await makeSyncWorld()));

    it("reports the file by name as cut short, writes nothing for it and ends the run (no hang)", async () => {
      const whole = await writePublishingTarGz(world.dir, "pub_20261125_020000_new.tar.gz", [
        { name: "items.xml", records: [publishingRecord({ ...ORIGIN, items: [rs("31234000123457")] })] },
      ]);
      const bytes = await readFile(whole);
      await writeFile(whole, bytes.subarray(0, Math.floor(bytes.length / 2)));
      const summary = await world.run([whole]);
      expect(summary.failures.map((f) => [f.record, f.step, f.message])).to.deep.equal([
        [
          "pub_20261125_020000_new.tar.gz",
          "read file",
          "pub_20261125_020000_new.tar.gz[items.xml]: compressed data ends early; read up to the fault",
        ],
      ]);
      expect(world.writes()).to.deep.equal([]);
    });
  });

  describe("loans an earlier run still owed", () => {
    const owed = (scfBarcode: string, since = new Date().toISOString()) => ({
      scfBarcode,
      userId: "01AAA_AB-ABRS",
      since,
    });
    const journalFile = () => path.join(world.config.state_dir, "sync-items", AB, "pending-loans.json");

    it("in a dry run, plans the owed loans still to make and writes nothing, the journal included", async () => {
      world = await makeSyncWorld({ fixture: withScfCopy("31234000123457X", AB) });
      await world.oweLoans([owed("31234000123457X"), owed("31234000123456X"), owed("39999999999999X")]);
      const journalBefore = await readFile(journalFile(), "utf8");
      const empty = await world.writeFile("pub_20261125_020000_new.xml", []);
      const summary = await world.run([empty], { dryRun: true });
      expect(summary.planned).to.deep.equal([
        {
          action: "loan",
          target: "SCF item 31234000123457X to 01AAA_AB-ABRS",
          detail: "owed by an earlier run",
        },
      ]);
      expect(summary.counts).to.include({
        "would loan": 1,
        "owed loan: already on loan": 1,
        "owed loan: item gone": 1,
      });
      expect(world.writes()).to.deep.equal([]);
      expect(await readFile(journalFile(), "utf8")).to.equal(journalBefore);
    });

    it("makes an owed loan no sooner than loan_delay_ms after its item was created", async () => {
      world = await makeSyncWorld({
        fixture: withScfCopy("31234000123457X", AB),
        config: (raw) => (raw.sync_items = { loan_delay_ms: 600 }),
      });
      const since = Date.now();
      await world.oweLoans([owed("31234000123457X", new Date(since).toISOString())]);
      const empty = await world.writeFile("pub_20261125_020000_new.xml", []);
      const summary = await world.run([empty]);
      expect(summary.counts).to.include({ "loaned (owed by an earlier run)": 1 });
      const [loanCall] = world.sim.callsTo("POST", /\/users\/01AAA_AB-ABRS\/loans$/, SCF);
      expect(loanCall, "the loan was made").to.exist;
      expect(loanCall!.time - since).to.be.at.least(595);
    });
  });
});

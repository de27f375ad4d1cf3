import { expect } from "chai";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { NZ_IDS, formatId, IdPrefix } from "../../src/sandbox/alma/index.js";
import type { InstitutionState } from "../../src/sandbox/alma/types.js";
import { startAlmaWorld, type AlmaWorld } from "../helpers/alma-world.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import {
  publishingRecord,
  writePublishingTarGz,
  type PublishedItemSpec,
} from "../helpers/publishing-file.js";

// The default fixture's member 01AAA_AB (see src/sandbox/alma/default-fixture.ts):
//   bib 1 (NZ originOfSpecies, also in the SCF with holding RS/rs_shared): items …123456 (in the SCF, on loan
//   to 01AAA_AB-ABRS) and …123457, both at ABRS/rs; bib 2 (NZ leavesOfGrass, not in the SCF): item …223344 at
//   ABMAIN/stacks; bib 3 (no NZ record): item …334455 at ABRS/rs_annex.
const AB = "01AAA_AB";
const abBib = (n: number) => formatId(IdPrefix.bib, n, "0001");
const ORIGIN = { mmsId: abBib(1), nzId: NZ_IDS.originOfSpecies, title: "On the origin of species" };
const LEAVES = { mmsId: abBib(2), nzId: NZ_IDS.leavesOfGrass, title: "Leaves of grass" };
const MINUTES = { mmsId: abBib(3), title: "Minutes of the Board of Trustees, 1890-1910" };
const rs = (barcode: string, location = "rs"): PublishedItemSpec => ({ barcode, library: "ABRS", location });

interface Summary {
  counts: Record<string, number>;
  failures: { barcode?: string; record?: string; message: string }[];
  planned?: { action: string; target: string; detail?: unknown }[];
}

async function publish(world: AlmaWorld, name: string, records: ReturnType<typeof publishingRecord>[]) {
  const entry = name.replace(/\.tar\.gz$/, ".xml");
  await writePublishingTarGz(path.join(world.mainFolder, AB, "items"), name, [{ name: entry, records }]);
}

async function syncItems(
  world: AlmaWorld,
  ...extra: string[]
): Promise<{ result: CliResult; summary: Summary }> {
  const result = await runCli(
    ["--config", world.configFile, "--json", ...extra, "sync-items", "--institution", AB],
    {
      built: true,
    },
  );
  expect(result.stdout, result.stderr).to.match(/^\{/);
  return { result, summary: JSON.parse(result.stdout) as Summary };
}

const scf = (world: AlmaWorld): InstitutionState => world.sim.institution("01AAA_RS");
const scfItem = (world: AlmaWorld, barcode: string) =>
  scf(world).items.find((i) => i.item_data.barcode === barcode);
const activeLoanOf = (world: AlmaWorld, pid: string) =>
  scf(world).loans.find((loan) => loan.item_id === pid && loan.loan_status === "ACTIVE");

describe("sync-items end to end (built binary, SFTP server, Alma simulator)", function () {
  this.timeout(60_000);
  let world: AlmaWorld;
  beforeEach(async () => (world = await startAlmaWorld()));
  afterEach(() => world.close());

  it("creates an item under a bib made from the NZ record, with a new holding, and loans it", async () => {
    await publish(world, "pub_20261125_020000_new.tar.gz", [
      publishingRecord({ ...LEAVES, items: [rs("31234000223344")] }),
    ]);
    const { result, summary } = await syncItems(world);
    expect(result.code, result.stderr).to.equal(0);
    expect(summary.counts).to.include({ created: 1, loaned: 1, "bibs created": 1, "holdings created": 1 });
    const item = scfItem(world, "31234000223344X");
    expect(item, "SCF item").to.exist;
    expect(item!.item_data.provenance).to.deep.include({ value: AB });
    const bib = scf(world).bibs.find((b) => b.mms_id === item!.mms_id);
    expect(bib?.network_number?.join(" ")).to.contain(NZ_IDS.leavesOfGrass);
    const holding = scf(world).holdings.find((h) => h.holding_id === item!.holding_id);
    expect(holding).to.deep.include({ library: "RS", location: "rs_shared" });
    expect(activeLoanOf(world, item!.pid)?.user_id).to.equal("01AAA_AB-ABRS");
  });

  it("creates a local bib from the record when there is no NZ id, keyed by (INST)mmsId, without AVA or ITM", async () => {
    await publish(world, "pub_20261125_020000_new.tar.gz", [
      publishingRecord({ ...MINUTES, items: [rs("31234000334455", "rs_annex")] }),
    ]);
    const { result, summary } = await syncItems(world);
    expect(result.code, result.stderr).to.equal(0);
    expect(summary.counts).to.include({ created: 1, "bibs created": 1 });
    const item = scfItem(world, "31234000334455X")!;
    const bib = scf(world).bibs.find((b) => b.mms_id === item.mms_id)!;
    const bibText = JSON.stringify(bib);
    expect(bibText).to.contain(`(${AB})${MINUTES.mmsId}`);
    expect(bibText).not.to.contain("ITM");
    const holding = scf(world).holdings.find((h) => h.holding_id === item.holding_id);
    expect(holding, "the SCF library has rs_annex, so the holding uses it").to.deep.include({
      location: "rs_annex",
    });
  });

  it("puts an item of an existing bib under its existing holding", async () => {
    const holdingsBefore = scf(world).holdings.length;
    const bibsBefore = scf(world).bibs.length;
    await publish(world, "pub_20261125_020000_new.tar.gz", [
      publishingRecord({ ...ORIGIN, items: [rs("31234000123457")] }),
    ]);
    const { result, summary } = await syncItems(world);
    expect(result.code, result.stderr).to.equal(0);
    expect(summary.counts).to.include({ created: 1 });
    expect(scf(world).holdings).to.have.length(holdingsBefore);
    expect(scf(world).bibs).to.have.length(bibsBefore);
    expect(scfItem(world, "31234000123457X")?.holding_id).to.equal(
      scfItem(world, "31234000123456X")?.holding_id,
    );
  });

  it("skips the PUT when the merged item equals the SCF item, and updates when it differs", async () => {
    const copy = scfItem(world, "31234000123456X")!;
    expect(activeLoanOf(world, copy.pid), "the SCF copy is on loan: Alma shows its due date").to.exist;
    await publish(world, "pub_20261125_020000_new.tar.gz", [
      publishingRecord({ ...ORIGIN, items: [rs("31234000123456")] }),
    ]);
    const first = await syncItems(world);
    expect(first.summary.counts).to.include({ unchanged: 1 });
    expect(world.sim.callsTo("PUT", /\/items\//, "01AAA_RS")).to.have.length(0);

    const member = world.sim.institution(AB).items.find((i) => i.item_data.barcode === "31234000123456")!;
    member.item_data.description = "v.2 (rebound)";
    await publish(world, "pub_20261125_030000_new.tar.gz", [
      publishingRecord({ ...ORIGIN, items: [rs("31234000123456")] }),
    ]);
    const second = await syncItems(world);
    expect(second.summary.counts).to.include({ updated: 1 });
    const updated = scfItem(world, "31234000123456X")!;
    expect(updated.item_data.description).to.equal("v.2 (rebound)");
    expect(updated.item_data.alternative_call_number, "the SCF's own fields are kept").to.equal("RS-000123");
  });

  it("reports an ITM without a barcode and still processes the record's other items", async () => {
    await publish(world, "pub_20261125_020000_new.tar.gz", [
      publishingRecord({ ...ORIGIN, items: [{ library: "ABRS", location: "rs" }, rs("31234000123457")] }),
    ]);
    const { result, summary } = await syncItems(world);
    expect(result.code).to.equal(1);
    expect(summary.counts).to.include({ created: 1 });
    expect(summary.failures).to.have.length(1);
    expect(summary.failures[0]!.message).to.equal("ITM field without $b (barcode)");
    const reports = await readdir(path.join(world.dir, "state", "reports"));
    const csv = await readFile(
      path.join(
        world.dir,
        "state",
        "reports",
        reports.find((f) => f.endsWith(".csv"))!,
      ),
      "utf8",
    );
    expect(csv).to.contain("ITM field without $b (barcode)");
  });

  it("creates two items of one new bib under one bib and one holding", async () => {
    await publish(world, "pub_20261125_020000_new.tar.gz", [
      publishingRecord({ ...LEAVES, items: [rs("31234000223344"), rs("31234000334455")] }),
    ]);
    const { summary } = await syncItems(world);
    expect(summary.counts).to.include({ created: 2, "bibs created": 1, "holdings created": 1 });
    expect(scfItem(world, "31234000223344X")?.holding_id).to.equal(
      scfItem(world, "31234000334455X")?.holding_id,
    );
  });

  it("leaves the SCF item alone when the item left remote storage and ignore_delete_files is on", async () => {
    await world.writeConfig({ ignore_delete_files: "true" });
    await publish(world, "pub_20261125_020000_new.tar.gz", [
      publishingRecord({
        ...ORIGIN,
        items: [{ barcode: "31234000123456", library: "ABMAIN", location: "stacks" }],
      }),
    ]);
    const { result, summary } = await syncItems(world);
    expect(result.code, result.stderr).to.equal(0);
    expect(summary.counts).to.include({ "delete ignored": 1 });
    expect(scfItem(world, "31234000123456X")).to.exist;
  });

  it("withdraws the SCF item when the item left remote storage", async () => {
    await publish(world, "pub_20261125_020000_new.tar.gz", [
      publishingRecord({
        ...ORIGIN,
        items: [{ barcode: "31234000123456", library: "ABMAIN", location: "stacks" }],
      }),
    ]);
    const { result, summary } = await syncItems(world);
    expect(result.code, result.stderr).to.equal(0);
    expect(summary.counts).to.include({ deleted: 1 });
    expect(scfItem(world, "31234000123456X")).to.equal(undefined);
  });

  it("withdraws the SCF items of a _delete file", async () => {
    await publish(world, "pub_20261125_020000_delete.tar.gz", [
      publishingRecord({ ...ORIGIN, items: [rs("31234000123456"), rs("31234000123457")] }),
    ]);
    const { result, summary } = await syncItems(world);
    expect(result.code, result.stderr).to.equal(0);
    expect(summary.counts).to.include({ deleted: 1, "not in SCF": 1 });
    expect(scfItem(world, "31234000123456X")).to.equal(undefined);
  });

  it("claims the file into OLD/ and leaves nothing in the items folder", async () => {
    await publish(world, "pub_20261125_020000_new.tar.gz", [
      publishingRecord({ ...ORIGIN, items: [rs("31234000123457")] }),
    ]);
    await syncItems(world);
    const itemsDir = path.join(world.mainFolder, AB, "items");
    expect((await readdir(itemsDir)).filter((f) => !f.startsWith("."))).to.deep.equal(["OLD"]);
    expect(await readdir(path.join(itemsDir, "OLD"))).to.deep.equal(["pub_20261125_020000_new.tar.gz"]);
  });

  it("reports a file that is not a tar.gz or XML, processes the others and archives it so no later run takes it", async () => {
    const itemsDir = path.join(world.mainFolder, AB, "items");
    await publish(world, "pub_20261125_020000_new.tar.gz", [
      publishingRecord({ ...ORIGIN, items: [rs("31234000123457")] }),
    ]);
    await writeFile(path.join(itemsDir, "notes.txt"), "not a publishing file");
    const { result, summary } = await syncItems(world);
    expect(result.code).to.equal(1);
    expect(summary.counts).to.include({ created: 1, "files rejected": 1 });
    expect(summary.failures.map((f) => f.message)).to.deep.equal([
      "not a tar.gz or MARC-XML file: skipped and archived as /alma/01AAA_AB/items/OLD/notes.txt",
    ]);
    expect(await readdir(itemsDir)).not.to.include("notes.txt");
    expect(await readFile(path.join(itemsDir, "OLD", "notes.txt"), "utf8")).to.equal("not a publishing file");

    const again = await syncItems(world);
    expect(again.result.code, again.result.stderr).to.equal(0);
    expect(again.summary.failures).to.deep.equal([]);
  });

  it("processes files in the order Alma published them, so an older _delete does not undo a newer _new", async () => {
    // The profile names sort the other way round: only the timestamp in the name tells the order.
    await publish(world, "zz_pub_20261125_020000_delete.tar.gz", [
      publishingRecord({ ...ORIGIN, items: [rs("31234000123456")] }),
    ]);
    await publish(world, "aa_pub_20261125_030000_new.tar.gz", [
      publishingRecord({ ...ORIGIN, items: [rs("31234000123456")] }),
    ]);
    const { result, summary } = await syncItems(world);
    expect(result.code, result.stderr).to.equal(0);
    expect(summary.counts).to.include({ deleted: 1, created: 1 });
    const item = scfItem(world, "31234000123456X");
    expect(item, "the item came back after it was withdrawn").to.exist;
    expect(activeLoanOf(world, item!.pid)?.user_id).to.equal("01AAA_AB-ABRS");
  });

  it("exits 2 naming the path when a --file does not exist, before any call to Alma", async () => {
    const { code, stderr } = await runCli(
      ["--config", world.configFile, "sync-items", "--institution", AB, "--file", "/nonexistent/pub.tar.gz"],
      { built: true },
    );
    expect(code).to.equal(2);
    expect(stderr).to.include("--file /nonexistent/pub.tar.gz: no such file");
    expect(world.sim.calls).to.deep.equal([]);
  });

  it("writes nothing with --dry-run and lists each write it would make once", async () => {
    const member = world.sim.institution(AB).items.find((i) => i.item_data.barcode === "31234000123456")!;
    member.item_data.description = "v.2 (rebound)";
    await publish(world, "pub_20261125_020000_new.tar.gz", [
      publishingRecord({ ...LEAVES, items: [rs("31234000223344"), rs("31234000334455")] }),
      publishingRecord({ ...ORIGIN, items: [rs("31234000123456")] }),
    ]);
    const { result, summary } = await syncItems(world, "--dry-run");
    expect(result.code, result.stderr).to.equal(0);
    const writes = world.sim.calls.filter((c) => c.method !== "GET");
    expect(writes).to.deep.equal([]);
    const nz = `nz:${NZ_IDS.leavesOfGrass}`;
    expect(summary.planned?.map(({ action, target }) => ({ action, target }))).to.have.deep.members([
      { action: "create bib", target: `SCF bib ${nz}` },
      { action: "create holding", target: `SCF holding RS/rs_shared of bib (would be created) ${nz}` },
      { action: "create item", target: "SCF item 31234000223344X" },
      { action: "loan", target: "SCF item 31234000223344X to 01AAA_AB-ABRS" },
      { action: "create item", target: "SCF item 31234000334455X" },
      { action: "loan", target: "SCF item 31234000334455X to 01AAA_AB-ABRS" },
      { action: "update item", target: "SCF item 31234000123456X" },
    ]);
    expect(summary.planned).to.have.length(7);
    expect(summary.counts).to.deep.include({
      "would create bib": 1,
      "would create holding": 1,
      "would create item": 2,
      "would loan": 2,
      "would update item": 1,
    });
    for (const done of ["created", "updated", "bibs created", "holdings created", "loaned"]) {
      expect(summary.counts, done).not.to.have.property(done);
    }
    const itemsDir = await readdir(path.join(world.mainFolder, AB, "items"));
    expect(itemsDir, "the file stays for the real run").to.include("pub_20261125_020000_new.tar.gz");
    expect(itemsDir, "nothing is claimed (renamed) on the file server").not.to.include("OLD");
  });
});

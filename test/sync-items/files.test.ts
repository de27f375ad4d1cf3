import { expect } from "chai";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { formatId, IdPrefix, NZ_IDS } from "../../src/sandbox/alma/index.js";
import { exitCodeFor } from "../../src/runtime/run-report.js";
import { abortWhen } from "../helpers/abort-when.js";
import { collectionXml, publishingRecord, type PublishedItemSpec } from "../helpers/publishing-file.js";
import { AB, csvReport, makeSyncWorld, SCF, type SyncWorld, type TarEntry } from "./world.js";

// The default fixture (src/sandbox/alma/default-fixture.ts): AB bib 1 (NZ originOfSpecies, in the SCF) has items
// …123456 (SCF copy on loan) and …123457; AB bib 2 (NZ leavesOfGrass, not in the SCF) item …223344.
const abBib = (n: number) => formatId(IdPrefix.bib, n, "0001");
const ORIGIN = { mmsId: abBib(1), nzId: NZ_IDS.originOfSpecies, title: "On the origin of species" };
const LEAVES = { mmsId: abBib(2), nzId: NZ_IDS.leavesOfGrass, title: "Leaves of grass" };
const rs = (barcode: string, location = "rs"): PublishedItemSpec => ({ barcode, library: "ABRS", location });
const NAME = "pub_20261125_020000_new.tar.gz";
const twoItems: TarEntry[] = [
  {
    name: "items.xml",
    records: [
      publishingRecord({ ...ORIGIN, items: [rs("31234000123457")] }),
      publishingRecord({ ...LEAVES, items: [rs("31234000223344")] }),
    ],
  },
];

describe("sync-items on the file server (SFTP server, Alma simulator)", function () {
  this.timeout(30_000);
  let world: SyncWorld;
  afterEach(() => world?.close());

  describe("when Alma cannot be used", () => {
    const oneAtATime = (raw: Record<string, unknown>) =>
      (raw.sync_items = { loan_delay_ms: 20, concurrency: 1 });

    it("stops the run (exit 3) and puts the file back when Alma cannot be reached", async () => {
      world = await makeSyncWorld({ sftp: true });
      await world.writeTarGz(NAME, twoItems, world.itemsFolder);
      await world.sim.stop();
      const summary = await world.run([]);
      expect(summary.aborted).to.match(
        /^01AAA_RS: no answer from Alma to GET \/almaws\/v1\/items\?item_barcode=31234000\d+X after \d+ retries/,
      );
      expect(exitCodeFor(summary)).to.equal(3);
      expect(summary.failures).to.deep.equal([]);
      expect(summary.counts).to.deep.equal({ "files kept for reprocessing": 1 });
      expect(await world.remoteFiles()).to.deep.equal({ waiting: [NAME], archived: [] });
    });

    it("stops before claiming any file when Alma cannot be reached for a loan an earlier run owed", async () => {
      world = await makeSyncWorld({ sftp: true });
      await world.writeTarGz(NAME, twoItems, world.itemsFolder);
      const owed = {
        scfBarcode: "31234000123457X",
        userId: "01AAA_AB-ABRS",
        since: new Date(0).toISOString(),
      };
      await world.oweLoans([owed]);
      await world.sim.stop();
      const summary = await world.run([]);
      expect(summary.aborted).to.match(/^01AAA_RS: no answer from Alma to GET \/almaws\/v1\/items\?/);
      expect(exitCodeFor(summary)).to.equal(3);
      expect(summary.failures).to.deep.equal([]);
      expect(summary.details.files).to.deep.equal([]);
      expect(await world.remoteFiles()).to.deep.equal({ waiting: [NAME], archived: [] });
      const journal = path.join(world.config.state_dir, "sync-items", AB, "pending-loans.json");
      expect(JSON.parse(await readFile(journal, "utf8"))).to.deep.equal([owed]);
    });

    it("stops the run at the first item, and puts the file back, when the SCF's key is refused", async () => {
      world = await makeSyncWorld({ sftp: true, config: oneAtATime });
      world.scf().permissions.bibs = "none";
      await world.writeTarGz(NAME, twoItems, world.itemsFolder);
      const summary = await world.run([]);
      expect(summary.aborted).to.match(/^01AAA_RS: Alma answered 401 to GET \/almaws\/v1\/items\?/);
      expect(exitCodeFor(summary)).to.equal(3);
      expect(summary.failures).to.deep.equal([]);
      expect(world.sim.callsTo("GET", /\/items$/, SCF)).to.have.length(1);
      expect(await world.remoteFiles()).to.deep.equal({ waiting: [NAME], archived: [] });
    });

    it("stops the run when the member's key is refused", async () => {
      world = await makeSyncWorld({
        sftp: true,
        config: (raw) => {
          oneAtATime(raw);
          (raw.institutions as { apikey: string }[])[0]!.apikey = "not-a-key";
        },
      });
      await world.writeTarGz(NAME, twoItems, world.itemsFolder);
      const summary = await world.run([]);
      expect(summary.aborted).to.match(/^01AAA_AB: Alma answered 401 to GET \/almaws\/v1\/items\?/);
      expect(exitCodeFor(summary)).to.equal(3);
      expect(summary.failures).to.deep.equal([]);
      // A refused key names no institution in the simulator's log.
      expect(world.sim.callsTo("GET", /\/items$/).filter((call) => call.status === 401)).to.have.length(1);
      expect(await world.remoteFiles()).to.deep.equal({ waiting: [NAME], archived: [] });
      expect(world.writes()).to.deep.equal([]);
    });

    it("stops the run when Alma still answers 5xx after every retry, starting no further item", async () => {
      world = await makeSyncWorld({
        sftp: true,
        config: (raw) => {
          oneAtATime(raw);
          // Retries spaced so that the simulator's 25 calls a second do not answer 429 first.
          raw.alma = { retry_initial_delay_ms: 50, retry_max_delay_ms: 100, retry_max_total_ms: 500 };
        },
      });
      world.sim.setFaults([{ kind: "error", status: 503, method: "GET", path: "/items$", institution: SCF }]);
      await world.writeTarGz(NAME, twoItems, world.itemsFolder);
      const summary = await world.run([]);
      expect(summary.aborted).to.match(/^01AAA_RS: Alma answered 503 to GET \/almaws\/v1\/items\?/);
      expect(exitCodeFor(summary)).to.equal(3);
      expect(summary.failures).to.deep.equal([]);
      const barcodes = world.sim
        .callsTo("GET", /\/items$/, SCF)
        .map((call) => new URL(call.path, "http://x").searchParams.get("item_barcode"));
      expect(new Set(barcodes)).to.have.property("size", 1);
      expect(await world.remoteFiles()).to.deep.equal({ waiting: [NAME], archived: [] });
    });
  });

  it("reports no failure for items cut short by an interruption, and puts the file back", async () => {
    world = await makeSyncWorld({ sftp: true });
    world.sim.setFaults([{ kind: "latency", ms: 400, path: "^/almaws/v1/items$" }]);
    await world.writeTarGz(NAME, twoItems, world.itemsFolder);
    const sim = world.sim;
    const interrupt = abortWhen(() => sim.calls.length > 0);
    const summary = await world.run([], { signal: interrupt.signal }).finally(interrupt.stop);
    expect(summary.aborted).to.equal("interrupted; re-run to finish (nothing is done twice)");
    expect(exitCodeFor(summary)).to.equal(3);
    expect(summary.failures).to.deep.equal([]);
    expect(await world.remoteFiles()).to.deep.equal({ waiting: [NAME], archived: [] });
  });

  it("reports no failure for a loan cut short by an interruption; the journal keeps it for the next run", async () => {
    world = await makeSyncWorld({ sftp: true });
    world.sim.setFaults([{ kind: "latency", ms: 400, path: "/loans$" }]);
    await world.writeTarGz(NAME, twoItems, world.itemsFolder);
    const sim = world.sim;
    const interrupt = abortWhen(() => sim.calls.some((call) => call.path.endsWith("/loans")));
    const summary = await world.run([], { signal: interrupt.signal }).finally(interrupt.stop);
    expect(summary.aborted).to.equal("interrupted; re-run to finish (nothing is done twice)");
    expect(summary.failures).to.deep.equal([]);
  });

  it("leaves a file modified less than ftp_server.min_file_age_seconds ago for the next run", async () => {
    world = await makeSyncWorld({
      sftp: true,
      config: (raw) => void ((raw.ftp_server as Record<string, unknown>).min_file_age_seconds = 3600),
    });
    await world.writeTarGz(NAME, twoItems, world.itemsFolder);
    const dry = await world.run([], { dryRun: true });
    expect(dry.counts).to.deep.equal({ "files left for the next run (modified just now)": 1 });
    const summary = await world.run([]);
    expect(exitCodeFor(summary)).to.equal(0);
    expect(summary.counts).to.deep.equal({ "files left for the next run (modified just now)": 1 });
    expect(await world.remoteFiles()).to.deep.equal({ waiting: [NAME], archived: [] });
    expect(world.writes()).to.deep.equal([]);
  });

  it("--dry-run shows a file a run that died left claimed, which the next run puts back and processes", async () => {
    world = await makeSyncWorld({ sftp: true });
    const claimed = `${NAME}.claim-20261207T020000Z-4242-0a1b2c`;
    await world.writeTarGz(claimed, twoItems, path.join(world.itemsFolder, "OLD"));
    const summary = await world.run([], { dryRun: true });
    expect(summary.planned?.[0]).to.deep.include({ action: "put back", detail: `/alma/${AB}/items/${NAME}` });
    expect(summary.planned?.filter((write) => write.action === "create item")).to.have.length(2);
    expect(await world.remoteFiles()).to.deep.equal({ waiting: [], archived: [claimed] });
    expect(world.writes()).to.deep.equal([]);
  });

  describe("with a damaged publishing file", () => {
    beforeEach(async () => (world = await makeSyncWorld({ sftp: true })));

    it("processes the records before the fault, then reports the file and archives it marked damaged", async () => {
      const first = collectionXml([publishingRecord({ ...LEAVES, items: [rs("31234000223344")] })]);
      await world.writeTarGz(
        NAME,
        [{ name: "items.xml", text: first.replace("</collection>", "<record><leader></record>") }],
        world.itemsFolder,
      );
      const summary = await world.run([]);
      expect(summary.counts).to.include({ created: 1, "files damaged": 1 });
      expect(summary.counts).not.to.have.property("files kept for reprocessing");
      expect(exitCodeFor(summary)).to.equal(1);
      expect(summary.failures.map((f) => [f.record, f.step])).to.deep.equal([[NAME, "read file"]]);
      expect(summary.failures[0]!.message).to.match(
        new RegExp(
          `^${NAME}\\[items\\.xml\\]:\\d+:\\d+: .*; read up to the fault ` +
            `and archived as /alma/${AB}/items/OLD/${NAME}\\.damaged$`,
        ),
      );
      expect(await world.remoteFiles()).to.deep.equal({ waiting: [], archived: [`${NAME}.damaged`] });
      expect(await csvReport(summary)).to.contain(`${NAME},${AB},read file: ${NAME}[items.xml]:`);
    });

    it("archives a file that is not a tar.gz at all, marked damaged, and runs the next file", async () => {
      await world.writeTarGz("pub_20261125_030000_new.tar.gz", twoItems, world.itemsFolder);
      await writeFile(path.join(world.itemsFolder, NAME), "not gzip at all");
      const summary = await world.run([]);
      expect(summary.counts).to.include({ created: 2, "files damaged": 1, "files processed": 1 });
      expect(summary.failures.map((f) => f.record)).to.deep.equal([NAME]);
      expect(await world.remoteFiles()).to.deep.equal({
        waiting: [],
        archived: [`${NAME}.damaged`, "pub_20261125_030000_new.tar.gz"],
      });
    });
  });
});

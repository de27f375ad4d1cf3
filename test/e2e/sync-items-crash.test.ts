import { expect } from "chai";
import { spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { defaultFixture, formatId, IdPrefix, type AlmaFixture } from "../../src/sandbox/alma/index.js";
import { startAlmaWorld, type AlmaWorld } from "../helpers/alma-world.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { publishingRecord, writePublishingTarGz } from "../helpers/publishing-file.js";

const AB = "01AAA_AB";
const BIBS = 8;
const ITEMS_PER_BIB = 3;

/** The default consortium plus 8 local member bibs (no NZ record) with 3 remote-storage items each. */
function crashFixture(): AlmaFixture {
  const fixture = structuredClone(defaultFixture);
  const ab = fixture.institutions.find((inst) => inst.code === AB)!;
  for (let b = 0; b < BIBS; b++) {
    const mmsId = formatId(IdPrefix.bib, 100 + b, "0001");
    const holdingId = formatId(IdPrefix.holding, 100 + b, "0001");
    ab.bibs!.push({ mms_id: mmsId, title: `Crash test title ${b}` });
    ab.holdings!.push({ holding_id: holdingId, mms_id: mmsId, library: "ABRS", location: "rs" });
    for (let i = 0; i < ITEMS_PER_BIB; i++) {
      ab.items!.push({
        pid: formatId(IdPrefix.item, 100 + b * 10 + i, "0001"),
        mms_id: mmsId,
        holding_id: holdingId,
        item_data: { barcode: barcodeOf(b, i), description: `c.${i + 1}` },
      });
    }
  }
  return fixture;
}

const barcodeOf = (b: number, i: number) => `399000${String(b).padStart(3, "0")}${i}`;

async function publishAll(world: AlmaWorld): Promise<void> {
  const records = Array.from({ length: BIBS }, (_, b) =>
    publishingRecord({
      mmsId: formatId(IdPrefix.bib, 100 + b, "0001"),
      title: `Crash test title ${b}`,
      items: Array.from({ length: ITEMS_PER_BIB }, (_, i) => ({
        barcode: barcodeOf(b, i),
        library: "ABRS",
        location: "rs",
      })),
    }),
  );
  await writePublishingTarGz(path.join(world.mainFolder, AB, "items"), "pub_20261125_020000_new.tar.gz", [
    { name: "pub_20261125_020000_new.xml", records },
  ]);
}

/** What the SCF holds, without generated ids: per item its bib's 035s, its holding's location and its loans. */
function scfPicture(world: AlmaWorld): unknown {
  const scf = world.sim.institution("01AAA_RS");
  const items = scf.items
    .map((item) => {
      const bib = scf.bibs.find((b) => b.mms_id === item.mms_id);
      const holding = scf.holdings.find((h) => h.holding_id === item.holding_id);
      const loans = scf.loans
        .filter((l) => l.item_id === item.pid && l.loan_status === "ACTIVE")
        .map((l) => l.user_id);
      return {
        barcode: item.item_data.barcode,
        bib: bib?.network_number?.slice().sort() ?? bib?.title,
        holding: `${holding?.library}/${holding?.location}`,
        loans,
      };
    })
    .sort((a, b) => String(a.barcode).localeCompare(String(b.barcode)));
  return { bibs: scf.bibs.length, holdings: scf.holdings.length, items };
}

describe("sync-items crash safety", function () {
  this.timeout(120_000);

  // Kill points spread over the run: early (bibs and holdings), middle, late (items and their owed loans).
  const killPoints = [6, 20, 34];
  let loansOwedAtSomeKill = false;
  after(() =>
    expect(loansOwedAtSomeKill, "at least one kill left a loan owed in the journal").to.equal(true),
  );

  for (const writesBeforeKill of killPoints)
    it(`killed after ${writesBeforeKill} SCF writes and run again, leaves the SCF as an uninterrupted run does, and loses no file`, async () => {
      const slow = { faults: [{ kind: "latency" as const, ms: 15 }] };
      const reference = await startAlmaWorld({ fixture: crashFixture(), sim: slow });
      const crashed = await startAlmaWorld({ fixture: crashFixture(), sim: slow });
      try {
        await publishAll(reference);
        const clean = await runCli(["--config", reference.configFile, "sync-items", "--institution", AB], {
          built: true,
        });
        expect(clean.code, clean.stderr).to.equal(0);
        const expected = scfPicture(reference);

        await publishAll(crashed);
        const child = spawn(
          process.execPath,
          [
            path.join(repoRoot, "bin/alma-rs.js"),
            "--config",
            crashed.configFile,
            "sync-items",
            "--institution",
            AB,
          ],
          { stdio: "ignore" },
        );
        await new Promise<void>((resolve, reject) => {
          const timer = setInterval(() => {
            const writes = crashed.sim.calls.filter(
              (c) => c.institution === "01AAA_RS" && c.method === "POST",
            ).length;
            if (writes >= writesBeforeKill) {
              clearInterval(timer);
              child.kill("SIGKILL");
              resolve();
            }
          }, 2);
          child.on("exit", () => {
            clearInterval(timer);
            reject(new Error("the run finished before it could be killed"));
          });
        });
        await new Promise((resolve) => child.on("close", resolve));
        expect(scfPicture(crashed), "the kill left the work half done").not.to.deep.equal(expected);
        const journal = path.join(crashed.dir, "state", "sync-items", AB, "pending-loans.json");
        const owed = await readFile(journal, "utf8").then(
          (text) => JSON.parse(text) as unknown[],
          () => [],
        );
        if (owed.length > 0) loansOwedAtSomeKill = true;

        const rerun = await runCli(["--config", crashed.configFile, "sync-items", "--institution", AB], {
          built: true,
        });
        expect(rerun.code, rerun.stderr + rerun.stdout).to.equal(0);
        expect(scfPicture(crashed)).to.deep.equal(expected);
        const itemsDir = path.join(crashed.mainFolder, AB, "items");
        expect(await readdir(path.join(itemsDir, "OLD"))).to.deep.equal(["pub_20261125_020000_new.tar.gz"]);
      } finally {
        await reference.close();
        await crashed.close();
      }
    });
});

import { expect } from "chai";
import { readdir, readFile } from "node:fs/promises";
import { exitCodeFor, RunReport } from "../../src/runtime/run-report.js";
import { ExitCode } from "../../src/runtime/exit-codes.js";
import { silentLogger } from "../../src/runtime/logger.js";
import { parseCsv } from "../../src/runtime/csv.js";
import { makeTempDir } from "../helpers/temp-dir.js";

describe("run report", () => {
  it("counts outcomes, appends failures to the CSV and writes the JSON summary next to it", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const report = new RunReport({
        job: "sync-items",
        institution: "01AAA_AB",
        reportName: "SyncItems",
        reportFolder: dir,
        logger: silentLogger(),
      });
      report.count("created", 2);
      report.count("unchanged");
      report.fail({ barcode: "31234", step: "create item", message: 'Alma said, "no"' });
      const summary = await report.finish();
      expect(summary.counts).to.deep.equal({ created: 2, unchanged: 1, failed: 1 });
      expect(exitCodeFor(summary)).to.equal(ExitCode.SomeFailed);
      const written = JSON.parse(await readFile(summary.summaryFile!, "utf8")) as typeof summary;
      expect(written.failures[0]).to.deep.include({ barcode: "31234", institution: "01AAA_AB" });
      const csv = parseCsv(await readFile(summary.csvReport!, "utf8"));
      expect(csv[1]).to.deep.equal(["31234", "01AAA_AB", 'create item: Alma said, "no"']);
    } finally {
      await cleanup();
    }
  });

  it("keeps two summaries of the same job started in the same second apart", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const at = new Date("2026-11-25T02:30:00.100Z");
      const make = (ms: number) =>
        new RunReport({
          job: "scan-in",
          reportName: "ScanIn",
          reportFolder: dir,
          logger: silentLogger(),
          now: () => new Date(at.getTime() + ms),
        });
      const [first, second] = await Promise.all([make(0).finish(), make(5).finish()]);
      expect(first.summaryFile).not.to.equal(second.summaryFile);
      expect((await readdir(dir)).filter((name) => name.endsWith(".summary.json"))).to.have.length(2);
    } finally {
      await cleanup();
    }
  });

  it("maps a clean run to 0 and an aborted one to 3", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const make = () =>
        new RunReport({ job: "x", reportName: "X", reportFolder: dir, logger: silentLogger() });
      expect(exitCodeFor(await make().finish())).to.equal(ExitCode.Done);
      const aborted = make();
      aborted.abort("ArchivesSpace login failed");
      expect(exitCodeFor(await aborted.finish())).to.equal(ExitCode.Aborted);
    } finally {
      await cleanup();
    }
  });
});

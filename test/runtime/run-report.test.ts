import { expect } from "chai";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { exitCodeFor, RunReport } from "../../src/runtime/run-report.js";
import { ExitCode } from "../../src/runtime/exit-codes.js";
import { closeLogger, createLogger, silentLogger } from "../../src/runtime/logger.js";
import { Redactor } from "../../src/runtime/redactor.js";
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

  it("marks a dry run's failures in the CSV report, which is the real day's report", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const report = new RunReport({
        job: "send-requests",
        institution: "01AAA_AB",
        reportName: "RequestHandler",
        reportFolder: dir,
        dryRun: true,
        logger: silentLogger(),
      });
      report.fail({ barcode: "31234", step: "title hold", message: "the source request would be cancelled" });
      const summary = await report.finish();
      const csv = parseCsv(await readFile(summary.csvReport!, "utf8"));
      expect(csv[1]).to.deep.equal([
        "31234",
        "01AAA_AB",
        "dry run: title hold: the source request would be cancelled",
      ]);
    } finally {
      await cleanup();
    }
  });

  it("masks a registered secret in a failure message in both the CSV report and the JSON summary", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const secret = "l8xx-registered-secret-77";
      const logger = createLogger({
        level: "error",
        folder: path.join(dir, "logs"),
        redactor: new Redactor([secret]),
        console: false,
      });
      const report = new RunReport({ job: "scan-in", reportName: "ScanIn", reportFolder: dir, logger });
      report.fail({ barcode: "31234", step: "scan in", message: `Alma refused GET /items?apikey=${secret}` });
      report.fail({ record: "conf", message: `key ${secret} and password=unregistered-pw-1` });
      report.abort(`gave up after ${secret} was refused`);
      report.detail("login", { user: "alma", password: "unregistered-pw-2" });
      const summary = await report.finish();
      await closeLogger(logger);
      const json = await readFile(summary.summaryFile!, "utf8");
      const csv = await readFile(summary.csvReport!, "utf8");
      for (const text of [json, csv, JSON.stringify(summary)]) {
        expect(text).not.to.contain(secret);
        expect(text).not.to.contain("unregistered-pw");
      }
      expect(parseCsv(csv)[1]).to.deep.equal(["31234", "", "scan in: Alma refused GET /items?apikey=***"]);
      const written = JSON.parse(json) as typeof summary;
      expect(written.failures[1]!.message).to.equal("key *** and password=***");
      expect(written.aborted).to.equal("gave up after *** was refused");
      expect(written.details.login).to.deep.equal({ user: "alma", password: "***" });
    } finally {
      await cleanup();
    }
  });

  it("takes the redactor given instead of the logger's", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const report = new RunReport({
        job: "x",
        reportName: "X",
        reportFolder: dir,
        logger: silentLogger(),
        redactor: new Redactor(["given-secret-1"]),
      });
      report.fail({ barcode: "1", message: "refused given-secret-1" });
      const summary = await report.finish();
      expect(summary.failures[0]!.message).to.equal("refused ***");
      expect(await readFile(summary.csvReport!, "utf8")).not.to.contain("given-secret-1");
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

import { expect } from "chai";
import { existsSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError } from "../../src/config/config-error.js";
import { putReportBack } from "../../src/jobs/aspace2alma/alma-barcodes.js";
import { silentLogger } from "../../src/runtime/logger.js";
import { exitCodeFor, type RunSummary } from "../../src/runtime/run-report.js";
import { createFileTransfer } from "../../src/transfer/create-transfer.js";
import { aspaceCleanSeedRepositories, SEED_ALMA_BARCODES } from "../../src/sandbox/aspace/index.js";
import { abortWhen } from "../helpers/abort-when.js";
import { analyticsReport, makeWorld, OUTPUT_DIR, YESTERDAY, type RawConfig, type World } from "./world.js";

const OUT = `${OUTPUT_DIR}/MARC_out.xml`;
const OLD = `${OUTPUT_DIR}/MARC_out_old.xml`;
const REPORT = `${OUTPUT_DIR}/sc_active_barcodes.csv`;
const REPORT_OLD = `${OUTPUT_DIR}/sc_active_barcodes_old.csv`;
const clean = { repositories: aspaceCleanSeedRepositories() };

/** The path of every MARC export of the clean seed, for faults on all of them. */
function cleanMarcExports(): string[] {
  return clean.repositories.flatMap((repository) =>
    repository.resources.map((resource) => `${repository.uri}/resources/marc21/${resource.id}.xml`),
  );
}

/** `barcodes.source: set`, the set being `institution`'s, with an Alma gateway and one member institution. */
function readSetOf(institution: string, change?: (raw: RawConfig) => void): (raw: RawConfig) => void {
  return (raw) => {
    raw.gateway = "https://api-na.hosted.exlibrisgroup.com";
    raw.remote_storage_inst = "01AAA_RS";
    raw.remote_storage_apikey = "l7xx-unused-scf-key-000000000000000";
    raw.institutions = [{ code: "01AAA_AB", apikey: "l7xx-unused-member-key-00000000000" }];
    raw.aspace.barcodes = { source: "set", set_id: "9988", institution };
    change?.(raw);
  };
}

/** Runs the job, interrupting it as soon as ArchivesSpace has received a request that `reached` picks. */
async function runInterruptedAt(world: World, reached: (line: string) => boolean): Promise<RunSummary> {
  const interrupt = abortWhen(() => world.aspace.stats.log.some(reached));
  return world.run({ signal: interrupt.signal }).finally(interrupt.stop);
}

describe("aspace2alma job", () => {
  let world: World;

  afterEach(async () => {
    await world?.close();
  });

  describe("rotation on the file server", () => {
    it("after a good run, MARC_out.xml is today's export and MARC_out_old.xml yesterday's", async () => {
      world = await makeWorld({ simulator: clean });
      const summary = await world.run();
      expect(exitCodeFor(summary)).to.equal(0);
      expect(await world.readServed(OLD)).to.equal(YESTERDAY);
      const today = await world.readServed(OUT);
      expect(today).to.include('<controlfield tag="001">MC001.01</controlfield>');
      expect(summary.details.uploaded).to.equal(OUT);
      expect(world.existsServed(`${OUTPUT_DIR}/.MARC_out.xml.part`)).to.equal(false);
    });

    it("after a run that fails (no barcode report), MARC_out.xml is absent and _old holds yesterday's", async () => {
      world = await makeWorld({ simulator: clean, report: null });
      const summary = await world.run();
      expect(exitCodeFor(summary)).to.equal(3);
      expect(summary.aborted).to.match(
        /^no barcode report \/alma\/aspace\/sc_active_barcodes\.csv on the file server/,
      );
      expect(summary.aborted).to.match(/nothing uploaded$/);
      expect(world.existsServed(OUT)).to.equal(false);
      expect(await world.readServed(OLD)).to.equal(YESTERDAY);
      expect(summary.details.note).to.equal(
        `the previous MARC_out.xml is now ${OLD}: rename it back if it is today's export and Alma has not imported it yet`,
      );
      expect(world.aspace.stats.requests).to.equal(0);
    });

    it("after a run that fails (ArchivesSpace refuses the login), MARC_out.xml is absent and _old holds yesterday's", async () => {
      world = await makeWorld({ simulator: { ...clean, password: "changed-on-the-server" } });
      const summary = await world.run();
      expect(exitCodeFor(summary)).to.equal(3);
      expect(summary.aborted).to.equal(
        "login failed as user alma-export: ArchivesSpace answered 403; nothing uploaded",
      );
      expect(world.existsServed(OUT)).to.equal(false);
      expect(await world.readServed(OLD)).to.equal(YESTERDAY);
      expect(await world.readServed(REPORT)).to.equal(analyticsReport(SEED_ALMA_BARCODES));
      expect(world.existsServed(REPORT_OLD)).to.equal(false);
      expect(summary.details.barcode_report).to.equal("put back: nothing was uploaded");
    });

    it("puts the barcode report back after a failed run, so a re-run the same day can use it", async () => {
      world = await makeWorld({ simulator: clean });
      world.aspace.fail("/repositories/3/resources", { status: 500 });
      const failed = await world.run();
      expect(exitCodeFor(failed)).to.equal(3);
      expect(await world.readServed(REPORT)).to.equal(analyticsReport(SEED_ALMA_BARCODES));

      world.aspace.clearFaults();
      const rerun = await world.run();
      expect(exitCodeFor(rerun)).to.equal(0);
      expect(rerun.counts.resources).to.be.greaterThan(0);
      expect(await world.readServed(OUT)).to.include('<controlfield tag="001">MC001.01</controlfield>');
      // The re-run used the report up: the day's report serves one successful run.
      expect(world.existsServed(REPORT)).to.equal(false);
      expect(await world.readServed(REPORT_OLD)).to.equal(analyticsReport(SEED_ALMA_BARCODES));
    });

    it("leaves a fresh report that arrived during a failed run as it is, and the read one as _old", async () => {
      world = await makeWorld({ simulator: { ...clean, latencyMs: 50 } });
      world.aspace.fail("/repositories/3/resources", { status: 500 });
      const fresh = analyticsReport(["32101000000001"]);
      const aspace = world.aspace;
      const watch = setInterval(() => {
        if (aspace.stats.log.some((line) => line.startsWith("GET /repositories/3/resources"))) {
          clearInterval(watch);
          writeFileSync(world.served(REPORT), fresh);
        }
      }, 1);
      const summary = await world.run().finally(() => clearInterval(watch));
      expect(exitCodeFor(summary)).to.equal(3);
      expect(await world.readServed(REPORT)).to.equal(fresh);
      expect(await world.readServed(REPORT_OLD)).to.equal(analyticsReport(SEED_ALMA_BARCODES));
    });

    it("does not put the report back when the output reached the file server after all (an upload's answer lost)", async () => {
      world = await makeWorld({ simulator: clean, report: null });
      writeFileSync(world.served(REPORT_OLD), analyticsReport(SEED_ALMA_BARCODES));
      writeFileSync(world.served(OUT), "<collection/>\n");
      const transfer = createFileTransfer(world.sftp.settings(), { logger: silentLogger() });
      const source = {
        transfer,
        dir: OUTPUT_DIR,
        file: "sc_active_barcodes.csv",
        localDir: world.dir,
        consume: true,
        logger: silentLogger(),
      };
      try {
        await putReportBack(source, OUT);
        expect(world.existsServed(REPORT)).to.equal(false);
        expect(world.existsServed(REPORT_OLD)).to.equal(true);
      } finally {
        await transfer.close();
      }
    });

    it("uses each barcode report once: the next run without a fresh one stops, leaving no MARC_out.xml", async () => {
      world = await makeWorld({ simulator: clean });
      await world.run();
      const first = await world.readServed(OUT);
      expect(world.existsServed(REPORT)).to.equal(false);
      expect(await world.readServed(REPORT_OLD)).to.equal(analyticsReport(SEED_ALMA_BARCODES));
      const second = await world.run();
      expect(exitCodeFor(second)).to.equal(3);
      expect(world.existsServed(OUT)).to.equal(false);
      expect(await world.readServed(OLD)).to.equal(first);
    });

    it("keeps the last good export as _old through two failed days in a row", async () => {
      world = await makeWorld({ simulator: clean, report: null });
      expect(exitCodeFor(await world.run())).to.equal(3);
      expect(exitCodeFor(await world.run())).to.equal(3);
      expect(world.existsServed(OUT)).to.equal(false);
      expect(await world.readServed(OLD)).to.equal(YESTERDAY);
    });

    it("warns about the barcode report, with the fix, when the file server is down for the put-back", async () => {
      world = await makeWorld({ simulator: { ...clean, latencyMs: 20 } });
      const { aspace, sftp } = world;
      let stopping: Promise<void> | undefined;
      const watch = setInterval(() => {
        if (aspace.stats.log.some((line) => line.includes("/marc21/"))) {
          clearInterval(watch);
          stopping = sftp.stop();
        }
      }, 1);
      const summary = await world.run().finally(() => clearInterval(watch));
      await stopping;
      expect(exitCodeFor(summary)).to.equal(3);
      const warnings = world.logEntries.filter((entry) => entry.level === "warn").map((e) => e.message);
      const warning = warnings.find((message) => message.includes("barcode report"));
      expect(warning).to.match(
        new RegExp(
          `^the barcode report ${REPORT_OLD} was not put back as ${REPORT}: rename it by hand to re-run today ` +
            `\\(the file server failed while checking whether ${OUT} was uploaded: `,
        ),
      );
    });

    it("works when there is no yesterday's file at all", async () => {
      world = await makeWorld({ simulator: clean, yesterday: null });
      const summary = await world.run();
      expect(exitCodeFor(summary)).to.equal(0);
      expect(world.existsServed(OUT)).to.equal(true);
      expect(world.existsServed(OLD)).to.equal(false);
    });
  });

  describe("ArchivesSpace trouble", () => {
    it("survives the session expiring in the middle of the run, with the same output", async () => {
      world = await makeWorld({ simulator: { sessionCallLimit: 3 } });
      const summary = await world.run();
      const expected = await readFile(path.join(__dirname, "../fixtures/aspace2alma/expected.xml"), "utf8");
      expect(await world.readServed(OUT)).to.equal(expected);
      expect(world.aspace.stats.rejectedSessions).to.be.greaterThan(2);
      expect(world.aspace.stats.logins).to.be.greaterThan(3);
      expect(summary.failures.map((f) => f.record)).to.deep.equal([
        "/repositories/3/resources/7",
        "/repositories/3/resources/8",
        "/repositories/3/resources/9",
      ]);
    });

    it("skips a resource answering 500 and reports it by URI; the rest is uploaded; exit 1", async () => {
      world = await makeWorld({ simulator: clean });
      world.aspace.fail("/repositories/3/resources/marc21/2.xml", { status: 500 });
      const summary = await world.run();
      expect(exitCodeFor(summary)).to.equal(1);
      expect(summary.failures).to.deep.equal([
        {
          institution: undefined,
          record: "/repositories/3/resources/2",
          step: "export",
          message: "ArchivesSpace answered 500 to GET /repositories/3/resources/marc21/2.xml",
        },
      ]);
      const csv = await readFile(summary.csvReport!, "utf8");
      expect(csv).to.include("/repositories/3/resources/2");
      expect(csv).to.include("ArchivesSpace answered 500");
      const uploaded = await world.readServed(OUT);
      expect(uploaded).not.to.include("C0101");
      expect(uploaded).to.include("MC001.01");
      expect(summary.counts.exported).to.equal(4);
    });

    it("skips a resource whose containers cannot be read", async () => {
      world = await makeWorld({ simulator: clean });
      world.aspace.fail("/repositories/12/top_containers/search", { status: 500 });
      const summary = await world.run();
      expect(summary.failures.map((f) => f.record)).to.deep.equal(["/repositories/12/resources/3"]);
      expect(await world.readServed(OUT)).not.to.include("AC999");
    });

    it("keeps the export of a skipped resource in the run folder for a look", async () => {
      world = await makeWorld();
      await world.run();
      const kept = path.join(world.config.state_dir, "aspace2alma", "failed", "repository-3-resource-7.xml");
      expect(await readFile(kept, "utf8")).to.include("No Fixed Field");
    });

    it("skips a resource whose 008 is too short for rule 6's dates, and says why", async () => {
      const shortFixed = (id: number, fixed: string) => ({
        id,
        marcXml:
          '<collection xmlns="http://www.loc.gov/MARC21/slim"><record>' +
          "<leader>00000npcaa2200000 u 4500</leader>" +
          `<controlfield tag="008">${fixed}</controlfield>` +
          `<datafield ind1=" " ind2=" " tag="099"><subfield code="a">C90${id}</subfield></datafield>` +
          '<datafield ind1="4" ind2="2" tag="856"><subfield code="u">http://x</subfield></datafield>' +
          "</record></collection>",
        topContainers: [],
      });
      const repositories = [
        {
          uri: "/repositories/5",
          repo_code: "short",
          name: "Short 008s",
          resources: [shortFixed(1, "221215i1917"), shortFixed(2, "221215i19171950")],
        },
      ];
      world = await makeWorld({ simulator: { repositories } });
      const summary = await world.run();
      expect(exitCodeFor(summary)).to.equal(1);
      expect(summary.failures.map((f) => [f.record, f.message])).to.deep.equal([
        [
          "/repositories/5/resources/1",
          "the MARC export's 008 is 11 characters long, too short for its dates at positions 7-14",
        ],
      ]);
      expect(await world.readServed(OUT)).to.include("C902");
    });

    it("aborts before any upload when listing the resources fails", async () => {
      world = await makeWorld({ simulator: clean });
      world.aspace.fail("/repositories/3/resources", { status: 500 });
      const summary = await world.run();
      expect(exitCodeFor(summary)).to.equal(3);
      expect(summary.aborted).to.equal(
        "ArchivesSpace answered 500 to GET /repositories/3/resources?all_ids=true; nothing uploaded",
      );
      expect(world.existsServed(OUT)).to.equal(false);
    });

    it("aborts when ArchivesSpace stops answering in the middle of the export", async () => {
      world = await makeWorld({ simulator: clean, config: (raw) => void (raw.aspace.concurrency = 1) });
      for (const id of [1, 2, 3]) {
        world.aspace.fail(`/repositories/3/resources/marc21/${id}.xml`, { reset: true });
      }
      const summary = await world.run();
      expect(exitCodeFor(summary)).to.equal(3);
      expect(summary.aborted).to.match(/^ArchivesSpace stopped answering \(3 resources in a row\)/);
      expect(world.existsServed(OUT)).to.equal(false);
      expect(await world.readServed(OLD)).to.equal(YESTERDAY);
    });

    it("aborts when ArchivesSpace answers 503 to every MARC export, as when it does not answer", async () => {
      world = await makeWorld({ simulator: clean });
      for (const marc of cleanMarcExports()) world.aspace.fail(marc, { status: 503 });
      const summary = await world.run();
      expect(exitCodeFor(summary)).to.equal(3);
      expect(summary.aborted).to.equal(
        "ArchivesSpace stopped answering (3 resources in a row): " +
          "ArchivesSpace answered 503 to GET /repositories/3/resources/marc21/3.xml; nothing uploaded",
      );
      expect(world.existsServed(OUT)).to.equal(false);
      expect(await world.readServed(OLD)).to.equal(YESTERDAY);
      expect(await world.readServed(REPORT)).to.equal(analyticsReport(SEED_ALMA_BARCODES));
    });

    it("aborts when every resource failed, even not in a row, rather than upload an empty file", async () => {
      world = await makeWorld({ simulator: clean });
      for (const marc of cleanMarcExports()) world.aspace.fail(marc, { status: 404 });
      const summary = await world.run();
      expect(exitCodeFor(summary)).to.equal(3);
      expect(summary.failures).to.have.length(8);
      expect(summary.aborted).to.equal(
        "no resource was exported: 8 failed (the first: ArchivesSpace answered 404 to GET " +
          "/repositories/3/resources/marc21/1.xml); nothing uploaded",
      );
      expect(world.existsServed(OUT)).to.equal(false);
      expect(await world.readServed(REPORT)).to.equal(analyticsReport(SEED_ALMA_BARCODES));
    });

    for (const [what, repositories] of [
      ["no repositories", []],
      ["repositories without resources", clean.repositories.map((r) => ({ ...r, resources: [] }))],
    ] as const) {
      it(`aborts when ArchivesSpace lists ${what}, as for a user who lost its permissions`, async () => {
        world = await makeWorld({ simulator: { repositories: [...repositories] } });
        const summary = await world.run();
        expect(exitCodeFor(summary)).to.equal(3);
        expect(summary.aborted).to.equal(
          `ArchivesSpace listed no resources in ${repositories.length} repositories, ` +
            "as when the export user has lost its permissions; nothing uploaded",
        );
        expect(world.existsServed(OUT)).to.equal(false);
        expect(await world.readServed(OLD)).to.equal(YESTERDAY);
        expect(await world.readServed(REPORT)).to.equal(analyticsReport(SEED_ALMA_BARCODES));
        expect(summary.details.barcode_report).to.equal("put back: nothing was uploaded");
      });
    }

    it("stops as interrupted when the signal fires while the resources are being listed", async () => {
      world = await makeWorld({ simulator: { ...clean, latencyMs: 200 } });
      const summary = await runInterruptedAt(world, (line) => line === "GET /repositories");
      expect(exitCodeFor(summary)).to.equal(3);
      expect(summary.aborted).to.equal("interrupted: nothing uploaded");
      expect(world.existsServed(OUT)).to.equal(false);
      expect(await world.readServed(REPORT)).to.equal(analyticsReport(SEED_ALMA_BARCODES));
    });

    it("stops without uploading when interrupted", async () => {
      world = await makeWorld({ simulator: { ...clean, latencyMs: 20 } });
      // Interrupted once the export is under way (the first MARC export reached ArchivesSpace), whatever the load.
      const summary = await runInterruptedAt(world, (line) => line.includes("/marc21/"));
      expect(exitCodeFor(summary)).to.equal(3);
      expect(summary.aborted).to.equal("interrupted: nothing uploaded");
      expect(world.existsServed(OUT)).to.equal(false);
      expect(world.existsServed(REPORT)).to.equal(true);
      expect(existsSync(path.join(world.config.state_dir, "aspace2alma", "MARC_out.xml.part"))).to.equal(
        false,
      );
    });
  });

  describe("runs by hand", () => {
    it("--output writes the local file and touches nothing on the file server", async () => {
      world = await makeWorld({ simulator: clean });
      const file = path.join(world.dir, "by-hand", "out.xml");
      const summary = await world.run({ output: file });
      expect(exitCodeFor(summary)).to.equal(0);
      expect(await readFile(file, "utf8")).to.include("MC001.01");
      expect(await world.readServed(OUT)).to.equal(YESTERDAY);
      expect(world.existsServed(OLD)).to.equal(false);
      expect(world.existsServed(REPORT)).to.equal(true);
      expect(summary.details.uploaded).to.equal(undefined);
    });

    it("--dry-run rotates, uploads and renames nothing, and says what it would have done", async () => {
      world = await makeWorld({ simulator: clean });
      const summary = await world.run({ dryRun: true });
      expect(exitCodeFor(summary)).to.equal(0);
      expect(await world.readServed(OUT)).to.equal(YESTERDAY);
      expect(world.existsServed(OLD)).to.equal(false);
      expect(world.existsServed(REPORT)).to.equal(true);
      expect(summary.planned!.map((p) => `${p.action} ${p.target}`)).to.deep.equal([
        `rotate ${OUT}`,
        `rename ${REPORT}`,
        `upload ${OUT}`,
      ]);
      expect(summary.counts).to.deep.include({ resources: 8, exported: 5, excluded: 3, items: 5 });
    });

    it("--remove-stale removes today's output and nothing else", async () => {
      world = await makeWorld({ simulator: clean });
      await world.run();
      const summary = await world.run({ removeStale: true });
      expect(exitCodeFor(summary)).to.equal(0);
      expect(summary.counts.removed).to.equal(1);
      expect(world.existsServed(OUT)).to.equal(false);
      expect(await world.readServed(OLD)).to.equal(YESTERDAY);
      const again = await world.run({ removeStale: true });
      expect(again.counts["nothing to remove"]).to.equal(1);
    });
  });

  describe("the barcodes Alma already has", () => {
    it("reads a report with a BOM, CRLF and the Barcode header: those containers get no item", async () => {
      world = await makeWorld({
        simulator: clean,
        report: analyticsReport(["32101000000010", "32101000000100"]),
      });
      const summary = await world.run();
      const out = await world.readServed(OUT);
      expect(out).not.to.include("32101000000010<");
      expect(out).not.to.include("32101000000100<");
      expect(out).to.include("32101000000020<"); // not in this report: gets an item this time
      expect(summary.details.barcodes_in_alma).to.equal(2);
    });

    it("stops when the report has no Barcode column", async () => {
      world = await makeWorld({ simulator: clean, report: "Item\r\n123\r\n" });
      const summary = await world.run();
      expect(summary.aborted).to.equal(
        "the barcode report /alma/aspace/sc_active_barcodes.csv has no Barcode column; nothing uploaded",
      );
      expect(world.existsServed(OUT)).to.equal(false);
    });

    it("stops when the report holds no barcodes rather than make every container an item", async () => {
      world = await makeWorld({ simulator: clean, report: "\uFEFFBarcode\r\n" });
      const summary = await world.run();
      expect(summary.aborted).to.match(/holds no barcodes/);
      expect(world.existsServed(OUT)).to.equal(false);
    });

    it("reads them from an Alma set when so configured, and touches no report", async () => {
      const calls: string[] = [];
      world = await makeWorld({
        simulator: clean,
        config: readSetOf("01AAA_AB"),
        setMembers: {
          allSetMembers: (setId) => {
            calls.push(setId);
            return Promise.resolve(
              SEED_ALMA_BARCODES.map((barcode, i) => ({ id: String(i), description: barcode })),
            );
          },
        },
      });
      const summary = await world.run();
      expect(exitCodeFor(summary)).to.equal(0);
      expect(calls).to.deep.equal(["9988"]);
      expect(world.existsServed(REPORT)).to.equal(true);
      expect(await world.readServed(OUT)).not.to.include("32101000000020<");
    });

    it("stops when the Alma set cannot be read", async () => {
      world = await makeWorld({
        simulator: clean,
        config: readSetOf("01AAA_AB"),
        setMembers: {
          allSetMembers: () => Promise.reject(new Error("Alma answered 400: set 9988 not found")),
        },
      });
      const summary = await world.run();
      expect(summary.aborted).to.equal(
        "cannot read the members of Alma set 9988: Alma answered 400: set 9988 not found; nothing uploaded",
      );
      expect(world.existsServed(OUT)).to.equal(false);
    });

    it("refuses an unknown barcodes.institution before rotating anything (ConfigError, exit 2)", async () => {
      world = await makeWorld({ simulator: clean, config: readSetOf("01ZZZ_XX") });
      const error = (await world.run().catch((e: unknown) => e)) as ConfigError;
      expect(error).to.be.instanceOf(ConfigError);
      expect(error.message).to.equal(
        "aspace2alma cannot read the Alma set\n" +
          "  aspace.barcodes.institution: 01ZZZ_XX is neither an institutions[].code nor remote_storage_inst",
      );
      expect(await world.readServed(OUT)).to.equal(YESTERDAY);
      expect(world.existsServed(OLD)).to.equal(false);
      expect(world.aspace.stats.logins).to.equal(0);
    });

    it("refuses a set source without a gateway before rotating anything", async () => {
      world = await makeWorld({
        simulator: clean,
        config: readSetOf("01AAA_RS", (raw) => {
          delete raw.gateway;
          delete raw.institutions;
        }),
      });
      const error = (await world.run().catch((e: unknown) => e)) as ConfigError;
      expect(error.message).to.equal(
        "aspace2alma cannot read the Alma set\n  gateway: required when barcodes.source is set (to call Alma)",
      );
      expect(await world.readServed(OUT)).to.equal(YESTERDAY);
    });

    it("takes the SCF's code (remote_storage_inst) as the set's institution", async () => {
      world = await makeWorld({
        simulator: clean,
        config: readSetOf("01AAA_RS"),
        setMembers: { allSetMembers: () => Promise.resolve([{ id: "1", description: "32101000000020" }]) },
      });
      const summary = await world.run();
      expect(exitCodeFor(summary)).to.equal(0);
    });
  });
});

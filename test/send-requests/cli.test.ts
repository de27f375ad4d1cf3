import { expect } from "chai";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { acquireLock } from "../../src/runtime/lock.js";
import type { RunSummary } from "../../src/runtime/run-report.js";
import {
  sftpConfigSection,
  startSftpServer,
  type RunningSftpServer,
} from "../../src/sandbox/transfer/index.js";
import { runCli } from "../helpers/cli.js";
import { BARCODES, EXPORTS, MEMBER, MEMBER_BIBS, PATRON, REQUESTS } from "./consortium.js";
import { exportXml, makeWorld, type ExportFields, type World } from "./world.js";

const noBarcode: ExportFields = {
  requestType: "PATRON_PHYSICAL",
  requestId: REQUESTS.noBarcode,
  mmsId: MEMBER_BIBS.origin,
  libraryCode: "ABRS",
};

describe("alma-rs send-requests (the command, with the exports on an SFTP server)", function () {
  this.timeout(60_000);
  let world: World;
  let sftp: RunningSftpServer;
  let requestsDir: string;

  beforeEach(async () => {
    sftp = await startSftpServer();
    world = await makeWorld({
      config: (raw) => {
        raw.ftp_server = sftpConfigSection(sftp);
      },
    });
    requestsDir = path.join(sftp.root, "alma", MEMBER, "requests");
    await mkdir(requestsDir, { recursive: true });
  });
  afterEach(async () => {
    await world.close();
    await sftp.close();
  });

  const cli = (...args: string[]) => runCli(["--config", world.configFile, ...args]);

  it("claims the exports, creates the SCF requests, archives the file it finished and puts back the broken one", async () => {
    await writeFile(
      path.join(requestsDir, "requests_20240115_0900.xml"),
      exportXml([EXPORTS.itemHold, noBarcode]),
    );
    await writeFile(
      path.join(requestsDir, "requests_20240115_2100.xml"),
      exportXml([EXPORTS.itemHold]).replace("</xb:requestType>", "</xb:requestTyp>"),
    );
    const result = await cli("--json", "send-requests", "--institution", MEMBER);
    expect(result.code, result.stderr).to.equal(1);
    const summary = JSON.parse(result.stdout) as RunSummary;
    expect(summary.counts).to.deep.include({
      "created: item hold": 1,
      "created: title hold": 1,
      "files processed": 1,
      "files kept for reprocessing": 1,
    });
    expect(summary.failures.map((failure) => [failure.record, failure.step])).to.deep.equal([
      ["requests_20240115_2100.xml", "read export"],
    ]);
    expect(summary.failures[0]!.message).to.match(
      /requests_20240115_2100\.xml at line 4, column \d+: not well-formed XML: unexpected close tag\.; no request of it was processed and the file is kept for reprocessing$/,
    );
    expect(world.scfRequests()).to.have.length(2);
    expect((await readdir(requestsDir)).sort()).to.deep.equal(["OLD", "requests_20240115_2100.xml"]);
    expect(await readdir(path.join(requestsDir, "OLD"))).to.deep.equal(["requests_20240115_0900.xml"]);
    const csv = await readFile(summary.csvReport!, "utf8");
    expect(csv).to.include("requests_20240115_2100.xml");
  });

  it("processes local files given with --file and leaves the file server alone", async () => {
    await writeFile(path.join(requestsDir, "waiting.xml"), exportXml([noBarcode]));
    const local = await world.writeExport("by-hand.xml", [EXPORTS.itemHold]);
    const result = await cli("send-requests", "--institution", MEMBER, "--file", local);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include("send-requests 01AAA_AB: finished");
    expect(result.stdout).to.include("created: item hold: 1");
    expect(world.scfRequests().map((request) => request.item_id !== undefined)).to.deep.equal([true]);
    expect(await readdir(requestsDir)).to.deep.equal(["waiting.xml"]);
  });

  it("with --dry-run prints the requests it would create and neither claims the files nor writes to Alma", async () => {
    await writeFile(path.join(requestsDir, "requests.xml"), exportXml([EXPORTS.itemHold, noBarcode]));
    const result = await cli("--dry-run", "send-requests", "--institution", MEMBER);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include("send-requests 01AAA_AB (dry run: nothing written): finished");
    expect(result.stdout).to.include(
      `would create item hold on SCF item ${BARCODES.available}X for 01AAA_AB-ABRS (source request ${REQUESTS.itemHold})`,
    );
    expect(result.stdout).to.match(/would create title hold on SCF bib \d+ for 01AAA_AB-ABRS/);
    expect(world.sim.calls.filter((call) => call.method !== "GET")).to.deep.equal([]);
    expect(await readdir(requestsDir)).to.deep.equal(["requests.xml"]);
  });

  it("takes --dry-run after the subcommand too, and prints every planned write, past fifty", async () => {
    // Fifty requests the SCF has no copy for (one look-up each), then one it can place: the 51st planned write.
    const unknown = Array.from({ length: 50 }, (_, i): ExportFields => ({
      requestType: "PATRON_PHYSICAL",
      requestId: `2400${String(i + 1).padStart(6, "0")}06966`,
      barcode: BARCODES.unknown,
      mmsId: MEMBER_BIBS.origin,
      libraryCode: "ABRS",
    }));
    // Each still active in the member: a request already ended would be left alone, not cancelled.
    world.sim.institution(MEMBER).requests.push(
      ...unknown.map((request) => ({
        request_id: request.requestId!,
        user_primary_id: PATRON.primaryId,
        request_type: "HOLD",
        request_status: "NOT_STARTED" as const,
        mms_id: MEMBER_BIBS.origin,
        request_date: "2026-12-01Z",
        fields: {},
      })),
    );
    await writeFile(path.join(requestsDir, "requests.xml"), exportXml([...unknown, EXPORTS.itemHold]));
    const result = await cli("send-requests", "--institution", MEMBER, "--dry-run");
    expect(result.code, result.stderr).to.equal(1);
    expect(result.stdout).to.include("send-requests 01AAA_AB (dry run: nothing written): finished");
    const planned = result.stdout.split("\n").filter((line) => line.startsWith("  would "));
    expect(planned).to.deep.equal([
      ...unknown.map(
        (request) =>
          `  would cancel source request ${request.requestId} of 01AAA_AB through bib ${MEMBER_BIBS.origin} ` +
          "(CannotBeFulfilled: Request could not be fulfilled by the SCF.)",
      ),
      `  would create item hold on SCF item ${BARCODES.available}X for 01AAA_AB-ABRS (source request ${REQUESTS.itemHold})`,
    ]);
    expect(result.stdout).not.to.include("more planned writes");
    expect(world.sim.calls.filter((call) => call.method !== "GET")).to.deep.equal([]);
    expect(await readdir(requestsDir)).to.deep.equal(["requests.xml"]);
  });

  it("re-run after the files were put back creates nothing twice", async () => {
    const file = path.join(requestsDir, "requests.xml");
    await writeFile(file, exportXml([EXPORTS.itemHold, noBarcode]));
    expect((await cli("-q", "send-requests", "--institution", MEMBER)).code).to.equal(0);
    await writeFile(file, exportXml([EXPORTS.itemHold, noBarcode]));
    const again = await cli("--json", "send-requests", "--institution", MEMBER);
    expect(again.code, again.stderr).to.equal(0);
    expect((JSON.parse(again.stdout) as RunSummary).counts).to.deep.include({ "already in the SCF": 2 });
    expect(world.scfRequests()).to.have.length(2);
  });

  it("refuses an institution that is not configured, and a --file that does not exist, with exit 2", async () => {
    const unknown = await cli("send-requests", "--institution", "01ZZZ_XX");
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include(
      "institution 01ZZZ_XX is not in the configuration (configured: 01AAA_AB, 01AAA_CD) (configuration: ",
    );
    const missing = await cli(
      "send-requests",
      "--institution",
      MEMBER,
      "--file",
      "/nonexistent/requests.xml",
    );
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include("--file /nonexistent/requests.xml: no such file");
  });

  it("exits 4 and touches nothing while another run for the same institution holds the lock", async () => {
    await writeFile(path.join(requestsDir, "requests.xml"), exportXml([EXPORTS.itemHold]));
    const lock = await acquireLock(world.config.state_dir, `send-requests-${MEMBER}`);
    try {
      const result = await cli("send-requests", "--institution", MEMBER);
      expect(result.code).to.equal(4);
      expect(await readdir(requestsDir)).to.deep.equal(["requests.xml"]);
      expect(world.sim.calls).to.deep.equal([]);
    } finally {
      await lock.release();
    }
  });

  it("has nothing to do, and says so, when the requests folder is not on the file server", async () => {
    await rm(requestsDir, { recursive: true });
    const result = await runCli([
      "--config",
      world.configFile,
      "--log-level",
      "warn",
      "send-requests",
      "--institution",
      MEMBER,
    ]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.include(
      "/alma/01AAA_AB/requests does not exist on the file server: no request export to process",
    );
  });
});

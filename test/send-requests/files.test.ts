import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { memoryLogger } from "../alma/helpers/memory-logger.js";
import {
  BARCODES,
  EXPORTS,
  MEMBER,
  MEMBER_BIBS,
  OTHER_MEMBER,
  PATRON,
  REQUESTS,
  SCF,
  SCF_BIBS,
} from "./consortium.js";
import { makeWorld, type ExportFields, type World } from "./world.js";

const jane = {
  patronName: PATRON.name,
  patronIdentifier: PATRON.barcode,
  patronEmail: PATRON.email,
  patronAddress: PATRON.address,
};

/** One request of each route the consortium can fulfil. */
const everyRoute: ExportFields[] = [
  {
    requestType: "PATRON_PHYSICAL",
    requestId: REQUESTS.itemHold,
    barcode: BARCODES.available,
    mmsId: MEMBER_BIBS.origin,
    libraryCode: "ABRS",
    requestNote: "Please handle with care",
    ...jane,
  },
  EXPORTS.onLoanHold,
  {
    requestType: "PATRON_PHYSICAL",
    requestId: REQUESTS.titleHold,
    barcode: "v.2 : 1856",
    mmsId: MEMBER_BIBS.leaves,
    ...jane,
  },
  {
    requestType: "PHYSICAL_TO_DIGITIZATION",
    requestId: REQUESTS.patronItemDigitization,
    barcode: BARCODES.archive,
    mmsId: MEMBER_BIBS.archive,
    ...jane,
  },
  {
    requestType: "PHYSICAL_TO_DIGITIZATION",
    requestId: REQUESTS.patronTitleDigitization,
    barcode: "ch. 3",
    mmsId: MEMBER_BIBS.origin,
    ...jane,
  },
  EXPORTS.staffDigitization,
  {
    requestType: "RESOURCE_SHARING_P2D_SHIPMENT",
    requestId: REQUESTS.resourceSharing,
    barcode: BARCODES.leaves,
    mmsId: MEMBER_BIBS.leaves,
    institutionCode: OTHER_MEMBER,
    libraryCode: "CDRS",
  },
  {
    requestType: "PATRON_PHYSICAL",
    requestId: REQUESTS.noBarcode,
    mmsId: MEMBER_BIBS.origin,
    libraryCode: "ABRS",
  },
  {
    requestType: "PATRON_PHYSICAL",
    requestId: REQUESTS.unknownBarcode,
    barcode: BARCODES.unknown,
    mmsId: MEMBER_BIBS.origin,
    libraryCode: "ABRS",
  },
];

/** What the SCF and the member hold after a run, without ids the simulator makes up. */
function outcome(world: World) {
  return {
    scf: world.scfRequests().map((r) => ({
      user: r.user_primary_id,
      type: r.request_type,
      mms: r.mms_id,
      item: r.item_id,
      comment: r.comment,
    })),
    member: world.sim
      .institution(MEMBER)
      .requests.map((r) => [r.request_id, r.request_status, r.cancellation?.reason]),
    linkedUsers: world
      .scfUsers()
      .filter((u) => u.source_institution_code)
      .map((u) => u.primary_id),
  };
}

describe("send-requests over whole export files, against the Alma simulator", () => {
  let world: World;
  beforeEach(async () => {
    world = await makeWorld();
  });
  afterEach(() => world.close());

  it("resolves pickup library names with one /conf/libraries call per institution per run", async () => {
    const file = await world.writeExport("requests.xml", [
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.itemHold,
        barcode: BARCODES.available,
        pickupLibrary: "AB Main Library",
      },
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.pickupByName,
        barcode: BARCODES.available,
        pickupLibrary: "ab main  library",
      },
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.noBarcode,
        mmsId: MEMBER_BIBS.origin,
        pickupLibrary: "Nowhere Library",
      },
      {
        requestType: "STAFF_PHYSICAL_DIGITIZATION",
        requestId: REQUESTS.staffDigitization,
        barcode: BARCODES.available,
        institutionCode: OTHER_MEMBER,
        pickupLibrary: "CD Central Library",
      },
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.titleHold,
        mmsId: MEMBER_BIBS.leaves,
        institutionCode: OTHER_MEMBER,
        pickupLibrary: "CD Central Library",
      },
    ]);
    const summary = await world.run([file]);
    expect(summary.failures).to.deep.equal([]);
    expect(world.scfRequests().map((r) => r.user_primary_id)).to.deep.equal([
      "01AAA_AB-ABMAIN",
      "01AAA_AB-ABMAIN",
      "01AAA_AB-ABRS",
      "01AAA_CD-CDMAIN",
      "01AAA_CD-CDMAIN",
    ]);
    const libraryCalls = world.sim.callsTo("GET", /\/conf\/libraries$/);
    expect(libraryCalls.map((call) => call.institution)).to.deep.equal([MEMBER, OTHER_MEMBER]);
  });

  it("falls back to default_library, after one call, when the member's key may not read its libraries", async () => {
    world.sim.institution(MEMBER).permissions.conf = "none";
    const file = await world.writeExport("requests.xml", [
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.itemHold,
        barcode: BARCODES.available,
        pickupLibrary: "AB Main Library",
      },
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.pickupByName,
        barcode: BARCODES.available,
        pickupLibrary: "AB Main Library",
      },
    ]);
    const { logger, entries } = memoryLogger();
    const summary = await world.run([file], { logger });
    expect(summary.failures).to.deep.equal([]);
    expect(world.scfRequests().map((r) => r.user_primary_id)).to.deep.equal([
      "01AAA_AB-ABRS",
      "01AAA_AB-ABRS",
    ]);
    expect(world.sim.callsTo("GET", /\/conf\/libraries$/).map((call) => call.status)).to.deep.equal([401]);
    const warnings = entries.filter((entry) => entry.level === "warn").map((entry) => entry.message);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(
      /^cannot read the libraries of 01AAA_AB \(01AAA_AB: Alma answered 401 to GET \/almaws\/v1\/conf\/libraries: UNAUTHORIZED .*\); pickup library names of 01AAA_AB fall back to its default_library$/,
    );
  });

  it("stops the run when the library list cannot be read, and asks for it again on the next run", async () => {
    await world.close();
    // No retries: the one injected 500 is the failed read.
    world = await makeWorld({
      config: (raw) => ((raw.alma as Record<string, unknown>).retry_max_total_ms = 0),
    });
    world.sim.setFaults([
      { kind: "error", status: 500, method: "GET", path: "/conf/libraries$", institution: MEMBER, times: 1 },
    ]);
    const file = await world.writeExport("requests.xml", [
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.itemHold,
        barcode: BARCODES.available,
        pickupLibrary: "AB Main Library",
      },
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.pickupByName,
        barcode: BARCODES.available,
        pickupLibrary: "AB Main Library",
      },
    ]);
    const summary = await world.run([file]);
    expect(summary.aborted).to.match(
      /^01AAA_AB: Alma answered 500 to GET \/almaws\/v1\/conf\/libraries: GENERAL_ERROR /,
    );
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.equal({ "files kept for reprocessing": 1 });
    expect(world.scfRequests()).to.deep.equal([]);
    const again = await world.run([file]);
    expect(again.failures).to.deep.equal([]);
    expect(world.sim.callsTo("GET", /\/conf\/libraries$/).map((call) => call.status)).to.deep.equal([
      500, 200,
    ]);
    expect(world.scfRequests().map((r) => r.user_primary_id)).to.deep.equal([
      "01AAA_AB-ABMAIN",
      "01AAA_AB-ABMAIN",
    ]);
  });

  it("uses xb:libraryCode without looking the library up", async () => {
    const file = await world.writeExport("requests.xml", [
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.itemHold,
        barcode: BARCODES.available,
        libraryCode: "ABRS",
        pickupLibrary: "AB Main Library",
      },
    ]);
    await world.run([file]);
    expect(world.scfRequests().map((r) => r.user_primary_id)).to.deep.equal(["01AAA_AB-ABRS"]);
    expect(world.sim.callsTo("GET", /\/conf\/libraries$/)).to.deep.equal([]);
  });

  it("reports a request whose pickup library cannot be resolved and leaves it for staff", async () => {
    await world.close();
    world = await makeWorld({
      config: (raw) => {
        for (const institution of raw.institutions as Record<string, unknown>[])
          delete institution.default_library;
      },
    });
    const file = await world.writeExport("requests.xml", [
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.itemHold,
        barcode: BARCODES.available,
        pickupLibrary: "Nowhere Library",
      },
    ]);
    const summary = await world.run([file]);
    expect(summary.failures.map((f) => f.message)).to.deep.equal([
      `request ${REQUESTS.itemHold}: no pickup library for 01AAA_AB: the export has no libraryCode, "Nowhere Library" ` +
        "is not a library name of 01AAA_AB and 01AAA_AB has no default_library in the configuration; " +
        "the source request was left as it is",
    ]);
    expect(world.memberRequest(REQUESTS.itemHold).request_status).to.equal("NOT_STARTED");
  });

  it("gives the same result for an indented export and a compact one", async () => {
    const indented = await world.writeExport("indented.xml", everyRoute, "indented");
    const compact = await world.writeExport("compact.xml", everyRoute, "compact");
    expect((await readFile(compact, "utf8")).split("\n")).to.have.length(3);
    const first = await world.run([indented]);
    const fromIndented = outcome(world);
    world.sim.reset();
    const second = await world.run([compact]);
    expect(outcome(world)).to.deep.equal(fromIndented);
    expect(second.counts).to.deep.equal(first.counts);
    expect(fromIndented.scf).to.have.length(7);
    expect(first.counts).to.deep.include({
      "created: item hold": 1,
      "created: title hold": 2,
      "created: patron digitization (item)": 1,
      "created: patron digitization (title)": 1,
      "created: staff digitization (item)": 2,
      "cancelled: item on loan": 1,
      failed: 1,
    });
  });

  it("processes the other requests of a file with one broken rsExport and reports the broken one", async () => {
    const file = await world.writeExport("requests.xml", [
      everyRoute[0]!,
      { requestType: "PATRON_PHYSICAL", barcode: BARCODES.leaves },
      everyRoute[7]!,
    ]);
    const summary = await world.run([file]);
    expect(summary.failures).to.deep.equal([
      {
        institution: MEMBER,
        barcode: BARCODES.leaves,
        record: `${file} rsExport #2 (line 17, column 3)`,
        step: "read export",
        message: `rsExport #2 (line 17, column 3) of ${file}: requestId is missing; skipped`,
      },
    ]);
    expect(summary.counts).to.deep.include({
      "created: item hold": 1,
      "created: title hold": 1,
      "files processed": 1,
    });
    expect(world.scfRequests()).to.have.length(2);
    const csv = await readFile(summary.csvReport!, "utf8");
    expect(csv).to.include(`rsExport #2 (line 17, column 3) of ${file}: requestId is missing; skipped`);
  });

  it("puts the barcode of an rsExport it cannot read in the CSV's Barcode column, and its request id in the message", async () => {
    const file = await world.writeExport("requests.xml", [
      { requestType: "", requestId: REQUESTS.itemHold, barcode: BARCODES.available },
    ]);
    const summary = await world.run([file]);
    const message = `request ${REQUESTS.itemHold}: rsExport #1 (line 3, column 3) of ${file}: requestType is missing; skipped`;
    expect(summary.failures).to.deep.equal([
      {
        institution: MEMBER,
        barcode: BARCODES.available,
        record: REQUESTS.itemHold,
        step: "read export",
        message,
      },
    ]);
    const csv = await readFile(summary.csvReport!, "utf8");
    expect(csv.trim().split("\n").slice(1)).to.deep.equal([
      `${BARCODES.available},${MEMBER},"read export: ${message}"`,
    ]);
  });

  it("creates nothing new when a file is run again", async () => {
    const file = await world.writeExport("requests.xml", everyRoute);
    await world.run([file]);
    const afterFirst = outcome(world);
    const postsAfterFirst = world.sim.callsTo("POST", /requests$/, SCF).length;
    const again = await world.run([file]);
    expect(outcome(world)).to.deep.equal(afterFirst);
    expect(world.sim.callsTo("POST", /requests$/, SCF)).to.have.length(postsAfterFirst);
    expect(again.counts).to.deep.include({ "already in the SCF": 7 });
    expect(again.counts).not.to.have.any.keys(
      "created: item hold",
      "created: title hold",
      "created: patron digitization (item)",
      "linked users created",
    );
  });

  it("with --dry-run lists the route and the request each would create, and writes nothing", async () => {
    const file = await world.writeExport("requests.xml", everyRoute);
    const summary = await world.run([file], { dryRun: true });
    expect(world.scfRequests()).to.deep.equal([]);
    expect(world.sim.calls.filter((call) => call.method !== "GET")).to.deep.equal([]);
    expect(summary.planned!.map((write) => `${write.action} ${write.target}`)).to.deep.equal([
      `create item hold on SCF item ${BARCODES.available}X for 01AAA_AB-ABRS (source request ${REQUESTS.itemHold})`,
      `cancel source request ${REQUESTS.onLoan} of 01AAA_AB on item ${BARCODES.onLoan} (CannotBeFulfilled: Item is on loan)`,
      `create title hold on SCF bib ${SCF_BIBS.leaves} for 01AAA_AB-ABRS (source request ${REQUESTS.titleHold})`,
      `create linked user in the SCF for patron ${PATRON.primaryId} of 01AAA_AB`,
      `create patron digitization (item) on SCF item ${BARCODES.archive}X for (linked user of 01AAA_AB patron ab-jdoe) (source request ${REQUESTS.patronItemDigitization})`,
      `cancel source request ${REQUESTS.patronItemDigitization} of 01AAA_AB through bib ${MEMBER_BIBS.archive} (RequestSwitched: Request will be handled by the remote storage.)`,
      `create patron digitization (title) on SCF bib ${SCF_BIBS.origin} for (linked user of 01AAA_AB patron ab-jdoe) (source request ${REQUESTS.patronTitleDigitization})`,
      `cancel source request ${REQUESTS.patronTitleDigitization} of 01AAA_AB through bib ${MEMBER_BIBS.origin} (RequestSwitched: Request will be handled by the remote storage.)`,
      `create staff digitization (item) on SCF item ${BARCODES.available}X for 01AAA_AB-ABRS (source request ${REQUESTS.staffDigitization})`,
      `create staff digitization (item) on SCF item ${BARCODES.leaves}X for 01AAA_CD-CDRS (source request ${REQUESTS.resourceSharing})`,
      `create title hold on SCF bib ${SCF_BIBS.origin} for 01AAA_AB-ABRS (source request ${REQUESTS.noBarcode})`,
      `cancel source request ${REQUESTS.unknownBarcode} of 01AAA_AB through bib ${MEMBER_BIBS.origin} (CannotBeFulfilled: Request could not be fulfilled by the SCF.)`,
    ]);
    const hold = summary.planned![0]!;
    expect(hold.detail).to.deep.equal({
      route: "item hold",
      requestId: REQUESTS.itemHold,
      userId: "01AAA_AB-ABRS",
      body: {
        request_type: "HOLD",
        request_sub_type: { value: "PATRON_PHYSICAL" },
        pickup_location_type: "USER_HOME_ADDRESS",
        task_name: "Pickup From Shelf",
        user_primary_id: "01AAA_AB-ABRS",
        comment:
          "Please handle with care Patron: [patron name], 21234000111111, [patron email], [patron address] || " +
          `request type: PATRON_PHYSICAL || Internal identifier: ${REQUESTS.itemHold}`,
      },
    });
  });

  it("logs patron names, emails and addresses at debug level only", async () => {
    const file = await world.writeExport("requests.xml", everyRoute);
    const { logger, entries } = memoryLogger();
    await world.run([file], { logger });
    const carrying = entries.filter((entry) =>
      [PATRON.name, PATRON.email, PATRON.address].some((value) => JSON.stringify(entry).includes(value)),
    );
    expect(carrying.length).to.be.greaterThan(0);
    expect([...new Set(carrying.map((entry) => entry.level))]).to.deep.equal(["debug"]);
  });

  it("reports a file that is not well-formed with its position, and processes none of it", async () => {
    const good = await world.writeExport("good.xml", [everyRoute[0]!]);
    const broken = await world.writeExport("broken.xml", [everyRoute[7]!]);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(broken, (await readFile(broken, "utf8")).replace("</xb:requestId>", "</xb:requestID>"));
    const summary = await world.run([broken, good]);
    expect(summary.failures).to.deep.equal([
      {
        institution: MEMBER,
        record: broken,
        step: "read export",
        message:
          `${broken} at line 5, column 48: not well-formed XML: unexpected close tag.; ` +
          "no request of it was processed and the file is kept for reprocessing",
      },
    ]);
    expect(summary.counts).to.deep.include({ "files kept for reprocessing": 1, "files processed": 1 });
    expect(world.scfRequests()).to.have.length(1);
  });
});

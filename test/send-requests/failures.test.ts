import { expect } from "chai";
import { BARCODES, EXPORTS, MEMBER, MEMBER_BIBS, PATRON, REQUESTS, SCF, SCF_BIBS } from "./consortium.js";
import { abortWhen } from "../helpers/abort-when.js";
import { makeWorld, type World } from "./world.js";

describe("send-requests when things go wrong, against the Alma simulator", () => {
  let world: World;
  beforeEach(async () => {
    world = await makeWorld();
  });
  afterEach(() => world.close());

  it("reads the source request through its patron when the export names no bib", async () => {
    const file = await world.writeExport("requests.xml", [
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.noBarcode,
        patronIdentifier: PATRON.barcode,
        libraryCode: "ABRS",
      },
    ]);
    const summary = await world.run([file]);
    expect(summary.failures).to.deep.equal([]);
    expect(
      world.sim.callsTo("GET", `/users/${PATRON.barcode}/requests/${REQUESTS.noBarcode}`, MEMBER),
    ).to.have.length(1);
    expect(world.scfRequests().map((request) => request.mms_id)).to.deep.equal([SCF_BIBS.origin]);
  });

  it("cancels the source request when Alma refuses the SCF request, with Alma's answer in the report", async () => {
    const scf = world.sim.institution(SCF);
    scf.items = scf.items.filter((item) => item.mms_id !== SCF_BIBS.leaves);
    const file = await world.writeExport("requests.xml", [
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.titleHold,
        mmsId: MEMBER_BIBS.leaves,
        libraryCode: "ABRS",
      },
    ]);
    const summary = await world.run([file]);
    expect(summary.failures).to.have.length(1);
    expect(summary.failures[0]!.message).to.match(
      new RegExp(
        `^request ${REQUESTS.titleHold}: 01AAA_RS: Alma answered 400 to POST /almaws/v1/bibs/${SCF_BIBS.leaves}/requests` +
          `\\?user_id=01AAA_AB-ABRS&allow_same_request=true: 401129 No items can fulfill the submitted request\\.` +
          `.*; the source request was cancelled \\(CannotBeFulfilled: Request could not be fulfilled by the SCF\\.\\)$`,
      ),
    );
    expect(world.memberRequest(REQUESTS.titleHold).cancellation?.reason).to.equal("CannotBeFulfilled");
  });

  it("leaves the patron's request alone and keeps the file when the SCF has no system user for the pickup library", async () => {
    world.sim.institution(SCF).users = world
      .scfUsers()
      .filter((user) => user.primary_id !== "01AAA_AB-ABMAIN");
    const file = await world.writeExport("requests.xml", [
      { ...EXPORTS.itemHold, libraryCode: "ABMAIN" },
      { ...EXPORTS.titleHold, libraryCode: "ABMAIN" },
    ]);
    const summary = await world.run([file]);
    expect(summary.aborted).to.equal(undefined);
    expect(summary.failures.map((failure) => failure.message)).to.deep.equal(
      [REQUESTS.itemHold, REQUESTS.titleHold].map(
        (requestId) =>
          `request ${requestId}: the SCF has no user 01AAA_AB-ABMAIN (Alma answered 401861 User with identifier ` +
          "01AAA_AB-ABMAIN was not found.): staff must create it in the SCF before the request can be placed; " +
          "the source request was left as it is and the file is kept for another run",
      ),
    );
    expect(summary.counts).to.deep.include({ "files kept for reprocessing": 1 });
    expect(world.sim.callsTo("DELETE", /\/requests\//, MEMBER)).to.deep.equal([]);
    for (const requestId of [REQUESTS.itemHold, REQUESTS.titleHold]) {
      expect(world.memberRequest(requestId).request_status).to.equal("NOT_STARTED");
    }
  });

  it("reports a failed request it cannot cancel because the export names neither a bib nor a patron", async () => {
    const file = await world.writeExport("requests.xml", [
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.unknownBarcode,
        barcode: BARCODES.unknown,
        libraryCode: "ABRS",
      },
    ]);
    const summary = await world.run([file]);
    expect(summary.failures.map((failure) => failure.message)).to.deep.equal([
      `request ${REQUESTS.unknownBarcode}: item ${BARCODES.unknown}X is not in the SCF; the source request could not be ` +
        `cancelled: request ${REQUESTS.unknownBarcode} cannot be cancelled in 01AAA_AB: the export gives neither an MMS id nor a patron`,
    ]);
    expect(world.memberRequest(REQUESTS.unknownBarcode).request_status).to.equal("NOT_STARTED");
  });

  it("cancels a request the SCF cannot fulfil once: run again, it finds the request gone and sends nothing", async () => {
    const file = await world.writeExport("requests.xml", [
      { ...EXPORTS.patronItemDigitization, barcode: BARCODES.unknown },
    ]);
    const first = await world.run([file]);
    expect(first.failures).to.have.length(1);
    expect(world.sim.callsTo("DELETE", /\/requests\//, MEMBER)).to.have.length(1);
    const again = await world.run([file]);
    expect(again.failures).to.deep.equal([]);
    expect(again.counts).to.include({ "source request already ended": 1 });
    expect(world.sim.callsTo("DELETE", /\/requests\//, MEMBER)).to.have.length(1);
  });

  it("reports a title-level request whose bib the SCF does not have, and cancels it", async () => {
    world.sim.institution(SCF).bibs = world.sim
      .institution(SCF)
      .bibs.filter((bib) => bib.mms_id !== SCF_BIBS.leaves);
    const file = await world.writeExport("requests.xml", [
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.titleHold,
        mmsId: MEMBER_BIBS.leaves,
        libraryCode: "ABRS",
      },
    ]);
    const summary = await world.run([file]);
    expect(summary.failures.map((failure) => failure.message)).to.deep.equal([
      `request ${REQUESTS.titleHold}: bib ${MEMBER_BIBS.leaves} of 01AAA_AB is not in the SCF (NZ id 990000000024441, ` +
        `other system id (01AAA_AB)${MEMBER_BIBS.leaves}); the source request was cancelled ` +
        "(CannotBeFulfilled: Request could not be fulfilled by the SCF.)",
    ]);
    const source = world.memberRequest(REQUESTS.titleHold);
    expect(source.request_status).to.equal("CANCELLED");
    expect(source.cancellation).to.deep.include({
      reason: "CannotBeFulfilled",
      note: "Request could not be fulfilled by the SCF.",
      notify_user: true,
    });
    expect(
      world.sim.callsTo("DELETE", /\/requests\//, MEMBER).map((call) => [call.path, call.query.reason]),
    ).to.deep.equal([
      [`/almaws/v1/bibs/${MEMBER_BIBS.leaves}/requests/${REQUESTS.titleHold}`, "CannotBeFulfilled"],
    ]);
  });

  it("cancels through the patron, with CannotBeFulfilled and the patron told, when the export names no bib", async () => {
    const file = await world.writeExport("requests.xml", [
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.unknownBarcode,
        barcode: BARCODES.unknown,
        patronIdentifier: PATRON.barcode,
        libraryCode: "ABRS",
      },
    ]);
    const summary = await world.run([file]);
    expect(summary.failures.map((failure) => failure.message)).to.deep.equal([
      `request ${REQUESTS.unknownBarcode}: item ${BARCODES.unknown}X is not in the SCF; the source request was ` +
        "cancelled (CannotBeFulfilled: Request could not be fulfilled by the SCF.)",
    ]);
    const deletes = world.sim.callsTo("DELETE", /\/requests\//, MEMBER);
    expect(deletes.map((call) => [call.path, call.query])).to.deep.equal([
      [
        `/almaws/v1/users/${PATRON.barcode}/requests/${REQUESTS.unknownBarcode}`,
        {
          reason: "CannotBeFulfilled",
          note: "Request could not be fulfilled by the SCF.",
          notify_user: "true",
        },
      ],
    ]);
    expect(world.memberRequest(REQUESTS.unknownBarcode).cancellation).to.deep.include({
      reason: "CannotBeFulfilled",
      notify_user: true,
    });
    expect(world.scfRequests()).to.deep.equal([]);
  });

  it("looks before writing again when the answer to a create is lost, and makes one SCF request", async () => {
    world.sim.setFaults([
      { kind: "reset", method: "POST", path: "/requests$", institution: SCF, phase: "after", times: 1 },
    ]);
    const file = await world.writeExport("requests.xml", [EXPORTS.itemHold]);
    const summary = await world.run([file]);
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.include({ "created: item hold": 1 });
    expect(world.scfRequests()).to.have.length(1);
    expect(world.sim.callsTo("POST", /\/requests$/, SCF)).to.have.length(1);
  });

  it("leaves the patron's request alone and keeps the file when Alma keeps failing on one request", async () => {
    world.sim.setFaults([
      { kind: "error", status: 503, method: "POST", path: "/requests$", institution: SCF },
    ]);
    const file = await world.writeExport("requests.xml", [EXPORTS.itemHold, EXPORTS.onLoanHold]);
    const summary = await world.run([file]);
    expect(summary.aborted).to.equal(undefined);
    expect(summary.failures).to.have.length(1);
    expect(summary.failures[0]!.message).to.match(
      /; the source request was left as it is and the file is kept for another run$/,
    );
    expect(summary.counts).to.deep.include({
      "cancelled: item on loan": 1,
      "files kept for reprocessing": 1,
    });
    expect(world.memberRequest(REQUESTS.itemHold).request_status).to.equal("NOT_STARTED");
    expect(world.scfRequests()).to.deep.equal([]);
  });

  it("stops the run and cancels nothing when Alma cannot be reached", async () => {
    const file = await world.writeExport("requests.xml", [
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.unknownBarcode,
        barcode: BARCODES.unknown,
        mmsId: MEMBER_BIBS.origin,
        libraryCode: "ABRS",
      },
    ]);
    await world.sim.stop();
    const summary = await world.run([file]);
    expect(summary.aborted).to.match(
      /^01AAA_RS: no answer from Alma to GET \/almaws\/v1\/items\?item_barcode=31234000999999X/,
    );
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.equal({ "files kept for reprocessing": 1 });
  });

  it("says it was interrupted, not that Alma did not answer, when SIGTERM cuts a call short", async () => {
    world.sim.setFaults([{ kind: "latency", ms: 400, path: "^/almaws/v1/items$" }]);
    const file = await world.writeExport("requests.xml", [EXPORTS.itemHold]);
    const sim = world.sim;
    const interrupt = abortWhen(() => sim.calls.length > 0);
    const summary = await world.run([file], { signal: interrupt.signal }).finally(interrupt.stop);
    expect(summary.aborted).to.equal(
      "interrupted; the files not finished are put back, and a re-run creates nothing twice",
    );
    expect(summary.failures).to.deep.equal([]);
  });

  it("stops the run at the first request, cancelling nothing, when the SCF keeps answering 503", async () => {
    await world.close();
    // Retries spaced enough that the simulator's per-second threshold does not answer them first.
    world = await makeWorld({
      config: (raw) => {
        raw.alma = { retry_initial_delay_ms: 100, retry_max_delay_ms: 200, retry_max_total_ms: 1000 };
      },
    });
    world.sim.setFaults([{ kind: "error", status: 503, institution: SCF }]);
    const file = await world.writeExport("requests.xml", [EXPORTS.itemHold, EXPORTS.onLoanHold]);
    const summary = await world.run([file]);
    expect(summary.aborted).to.match(
      new RegExp(
        `^01AAA_RS: Alma answered 503 to GET /almaws/v1/items\\?item_barcode=${BARCODES.available}X`,
      ),
    );
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.equal({ "files kept for reprocessing": 1 });
    const barcodes = world.sim.callsTo("GET", /\/items$/, SCF).map((call) => call.query.item_barcode);
    expect([...new Set(barcodes)]).to.deep.equal([`${BARCODES.available}X`]);
    expect(world.sim.callsTo("DELETE", /\/requests\//, MEMBER)).to.deep.equal([]);
  });

  it("stops the run, cancelling nothing, when the SCF key may not create requests", async () => {
    world.sim.institution(SCF).permissions.bibs = "read";
    const file = await world.writeExport("requests.xml", [
      EXPORTS.itemHold,
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.unknownBarcode,
        barcode: BARCODES.unknown,
        mmsId: MEMBER_BIBS.origin,
        libraryCode: "ABRS",
      },
    ]);
    const summary = await world.run([file]);
    expect(summary.aborted).to.match(
      /^01AAA_RS: Alma answered 401 to POST \/almaws\/v1\/bibs\/.*\/requests\?/,
    );
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.equal({ "files kept for reprocessing": 1 });
    expect(
      world.sim.institution(MEMBER).requests.filter((r) => r.request_status === "CANCELLED"),
    ).to.deep.equal([]);
    expect(world.sim.callsTo("GET", /\/items$/, SCF)).to.have.length(1);
  });
});

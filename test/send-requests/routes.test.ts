import { expect } from "chai";
import {
  BARCODES,
  EXPORTS,
  MEMBER,
  MEMBER_BIBS,
  PATRON,
  REQUESTS,
  SCF_BIBS,
  SCF_HOLDINGS,
  SCF_ITEMS,
} from "./consortium.js";
import { makeWorld, type ExportFields, type World } from "./world.js";

const jane = {
  patronName: PATRON.name,
  patronIdentifier: PATRON.barcode,
  patronEmail: PATRON.email,
  patronAddress: PATRON.address,
};

describe("send-requests, one route at a time, against the Alma simulator", () => {
  let world: World;
  beforeEach(async () => {
    world = await makeWorld();
  });
  afterEach(() => world.close());

  async function runOne(fields: ExportFields) {
    const file = await world.writeExport("requests.xml", [fields]);
    return world.run([file]);
  }

  it("places an item hold on the SCF copy for the library's system user", async () => {
    const summary = await runOne({
      requestType: "PATRON_PHYSICAL",
      requestId: REQUESTS.itemHold,
      barcode: BARCODES.available,
      mmsId: MEMBER_BIBS.origin,
      libraryCode: "ABRS",
      requestNote: "Please handle with care",
      ...jane,
    });
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.include({ "created: item hold": 1, "files processed": 1 });
    const [created, ...others] = world.scfRequests();
    expect(others).to.deep.equal([]);
    expect(created).to.deep.include({
      user_primary_id: "01AAA_AB-ABRS",
      request_type: "HOLD",
      mms_id: SCF_BIBS.origin,
      item_id: SCF_ITEMS.available,
      comment:
        "Please handle with care Patron: Doe, Jane, 21234000111111, ab-jdoe@example.edu, " +
        "12 College Street, Springfield || request type: PATRON_PHYSICAL || " +
        `Internal identifier: ${REQUESTS.itemHold}`,
    });
    expect(created!.fields).to.deep.include({
      request_sub_type: { value: "PATRON_PHYSICAL" },
      pickup_location_type: "USER_HOME_ADDRESS",
      task_name: "Pickup From Shelf",
    });
    expect(world.memberRequest(REQUESTS.itemHold).request_status).to.equal("NOT_STARTED");
    const post = world.sim.callsTo("POST", /\/items\/\d+\/requests$/, "01AAA_RS")[0]!;
    expect(post.query).to.deep.equal({ user_id: "01AAA_AB-ABRS", allow_same_request: "true" });
  });

  it("cancels the source request with 'Item is on loan' when the SCF copy is on loan, and creates nothing", async () => {
    const summary = await runOne(EXPORTS.onLoanHold);
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.include({ "cancelled: item on loan": 1 });
    expect(world.scfRequests()).to.deep.equal([]);
    const source = world.memberRequest(REQUESTS.onLoan);
    expect(source.request_status).to.equal("CANCELLED");
    expect(source.cancellation).to.deep.include({
      reason: "CannotBeFulfilled",
      note: "Item is on loan",
      notify_user: true,
    });
    expect(world.sim.callsTo("DELETE", /\/items\/\d+\/requests\/\d+$/, MEMBER)).to.have.length(1);
  });

  it("with --dry-run counts the cancellation of a request on an SCF item on loan as planned, not as made", async () => {
    const file = await world.writeExport("requests.xml", [EXPORTS.onLoanHold]);
    const summary = await world.run([file], { dryRun: true });
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.equal({ "would cancel source request": 1, "files processed": 1 });
    expect(world.memberRequest(REQUESTS.onLoan).request_status).to.equal("NOT_STARTED");
  });

  it("places a title hold with the manual description attached to the SCF holding and the source tag", async () => {
    const summary = await runOne(EXPORTS.titleHold);
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.include({ "created: title hold": 1 });
    const [created] = world.scfRequests();
    expect(created).to.deep.include({
      user_primary_id: "01AAA_AB-ABRS",
      request_type: "HOLD",
      mms_id: SCF_BIBS.leaves,
      holding_id: SCF_HOLDINGS.leavesShared,
      comment:
        "Second volume only The inventory for this request should come from 01AAA_AB v.2 1856 || " +
        `Patron: ${PATRON.barcode} || request type: PATRON_PHYSICAL || Internal identifier: ${REQUESTS.titleHold} ` +
        `{Source Request 01AAA_AB-${REQUESTS.titleHold}-ab-jdoe}`,
    });
    expect(created).not.to.have.property("item_id");
    expect(created!.fields).to.deep.include({
      request_sub_type: { value: "PATRON_PHYSICAL" },
      pickup_location_type: "USER_HOME_ADDRESS",
      manual_description: "v.2 1856",
      volume: "2",
      date_of_publication: "1856",
    });
    expect(created!.fields).not.to.have.property("issue");
  });

  it("turns a request without a barcode into a title hold instead of failing", async () => {
    const summary = await runOne({
      requestType: "PATRON_PHYSICAL",
      requestId: REQUESTS.noBarcode,
      mmsId: MEMBER_BIBS.origin,
      libraryCode: "ABRS",
    });
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.include({ "created: title hold": 1 });
    const [created] = world.scfRequests();
    expect(created).to.deep.include({ mms_id: SCF_BIBS.origin, request_type: "HOLD" });
    expect(created).not.to.have.property("item_id");
    expect(created).not.to.have.property("holding_id");
    expect(world.memberRequest(REQUESTS.noBarcode).request_status).to.equal("NOT_STARTED");
  });

  for (const barcode of ["v.1 1859", "v.1:1859"]) {
    it(`treats the barcode "${barcode}" as a title-level request`, async () => {
      const summary = await runOne({
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.noBarcode,
        barcode,
        mmsId: MEMBER_BIBS.origin,
        libraryCode: "ABRS",
      });
      expect(summary.counts).to.deep.include({ "created: title hold": 1 });
      expect(world.scfRequests().map((r) => [r.mms_id, r.item_id])).to.deep.equal([
        [SCF_BIBS.origin, undefined],
      ]);
      expect(world.sim.callsTo("GET", /\/items$/)).to.deep.equal([]);
    });
  }

  it("cancels the source request as CannotBeFulfilled when the SCF has no copy of the item, and reports why", async () => {
    const summary = await runOne({
      requestType: "PATRON_PHYSICAL",
      requestId: REQUESTS.unknownBarcode,
      barcode: BARCODES.unknown,
      mmsId: MEMBER_BIBS.origin,
      libraryCode: "ABRS",
    });
    expect(summary.failures).to.deep.equal([
      {
        institution: MEMBER,
        barcode: BARCODES.unknown,
        record: REQUESTS.unknownBarcode,
        step: "item hold",
        message:
          `request ${REQUESTS.unknownBarcode}: item ${BARCODES.unknown}X is not in the SCF; ` +
          "the source request was cancelled (CannotBeFulfilled: Request could not be fulfilled by the SCF.)",
      },
    ]);
    const source = world.memberRequest(REQUESTS.unknownBarcode);
    expect(source.request_status).to.equal("CANCELLED");
    expect(source.cancellation).to.deep.include({
      reason: "CannotBeFulfilled",
      note: "Request could not be fulfilled by the SCF.",
      notify_user: true,
    });
    expect(
      world.sim.callsTo("DELETE", `/bibs/${MEMBER_BIBS.origin}/requests/${REQUESTS.unknownBarcode}`),
    ).to.have.length(1);
    expect(world.scfRequests()).to.deep.equal([]);
  });
});

import { expect } from "chai";
import { memoryLogger } from "../alma/helpers/memory-logger.js";
import {
  BARCODES,
  EXPORTS,
  MEMBER,
  MEMBER_BIBS,
  PATRON,
  REQUESTS,
  SCF,
  SCF_BIBS,
  SCF_ITEMS,
} from "./consortium.js";
import { makeWorld, type World } from "./world.js";

const DIGITIZATION = {
  request_type: "DIGITIZATION",
  request_sub_type: { value: "PHYSICAL_TO_DIGITIZATION" },
  target_destination: { value: "DIGI_DEPT" },
  copyrights_declaration_signed_by_patron: true,
  partial_digitization: true,
  required_pages_range: [{ from_page: "10", to_page: "24" }],
  chapter_or_article_title: "Chapter 3",
  chapter_or_article_author: "Darwin",
  last_interest_date: "2099-01-31Z",
};

describe("send-requests digitization routes, against the Alma simulator", () => {
  let world: World;
  beforeEach(async () => {
    world = await makeWorld();
  });
  afterEach(() => world.close());

  const linkedUsers = () => world.scfUsers().filter((user) => user.source_institution_code === MEMBER);

  it("makes an item-level patron digitization for the patron linked into the SCF, then switches the source", async () => {
    const file = await world.writeExport("requests.xml", [EXPORTS.patronItemDigitization]);
    const summary = await world.run([file]);
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.include({
      "created: patron digitization (item)": 1,
      "linked users created": 1,
    });
    expect(linkedUsers().map((user) => [user.primary_id, user.source_user_id])).to.deep.equal([
      [PATRON.primaryId, PATRON.primaryId],
    ]);
    const [created] = world.scfRequests();
    expect(created).to.deep.include({
      user_primary_id: PATRON.primaryId,
      request_type: "DIGITIZATION",
      item_id: SCF_ITEMS.archive,
      comment: `Patron: ${PATRON.barcode} || request type: PHYSICAL_TO_DIGITIZATION || Internal identifier: ${REQUESTS.patronItemDigitization}`,
    });
    expect(created!.fields).to.deep.equal({ ...DIGITIZATION, description: "Box 1" });
    const source = world.memberRequest(REQUESTS.patronItemDigitization);
    expect(source.request_status).to.equal("CANCELLED");
    expect(source.cancellation).to.deep.include({
      reason: "RequestSwitched",
      note: "Request will be handled by the remote storage.",
      notify_user: false,
    });
    expect(
      world.sim.callsTo("POST", `/users/${PATRON.primaryId}`, SCF).map((call) => call.query),
    ).to.deep.equal([{ op: "refresh" }]);
  });

  it("makes a title-level patron digitization and creates the linked user once for two requests", async () => {
    const file = await world.writeExport("requests.xml", [
      {
        requestType: "PHYSICAL_TO_DIGITIZATION",
        requestId: REQUESTS.patronTitleDigitization,
        barcode: "ch. 3 : pp. 10-24",
        mmsId: MEMBER_BIBS.origin,
        patronIdentifier: PATRON.barcode,
      },
      {
        requestType: "PHYSICAL_TO_DIGITIZATION",
        requestId: REQUESTS.secondPatronDigitization,
        barcode: BARCODES.available,
        mmsId: MEMBER_BIBS.origin,
        patronIdentifier: PATRON.barcode,
      },
    ]);
    const summary = await world.run([file]);
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.include({
      "created: patron digitization (title)": 1,
      "created: patron digitization (item)": 1,
      "linked users created": 1,
    });
    expect(world.sim.callsTo("POST", /\/users$/, SCF)).to.have.length(1);
    expect(linkedUsers()).to.have.length(1);
    const [title, item] = world.scfRequests();
    expect(title).to.deep.include({
      user_primary_id: PATRON.primaryId,
      request_type: "DIGITIZATION",
      mms_id: SCF_BIBS.origin,
    });
    expect(title).not.to.have.property("item_id");
    expect(title!.fields).to.deep.equal(DIGITIZATION);
    expect(item).to.deep.include({ user_primary_id: PATRON.primaryId, item_id: SCF_ITEMS.available });
    for (const id of [REQUESTS.patronTitleDigitization, REQUESTS.secondPatronDigitization]) {
      expect(world.memberRequest(id).cancellation?.reason).to.equal("RequestSwitched");
    }
  });

  it("reuses the linked user a previous run created", async () => {
    const first = await world.writeExport("first.xml", [EXPORTS.patronItemDigitization]);
    const second = await world.writeExport("second.xml", [EXPORTS.patronTitleDigitization]);
    await world.run([first]);
    const summary = await world.run([second]);
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).not.to.have.property("linked users created");
    expect(world.sim.callsTo("POST", /\/users$/, SCF)).to.have.length(1);
    expect(linkedUsers()).to.have.length(1);
    expect(world.scfRequests().map((request) => request.user_primary_id)).to.deep.equal([
      PATRON.primaryId,
      PATRON.primaryId,
    ]);
  });

  it("makes a staff digitization for the library's system user and leaves the source request open", async () => {
    const file = await world.writeExport("requests.xml", [EXPORTS.staffDigitization]);
    const summary = await world.run([file]);
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.include({ "created: staff digitization (item)": 1 });
    const [created] = world.scfRequests();
    expect(created).to.deep.include({
      user_primary_id: "01AAA_AB-ABRS",
      request_type: "DIGITIZATION",
      item_id: SCF_ITEMS.available,
      comment: `request type: STAFF_PHYSICAL_DIGITIZATION || Internal identifier: ${REQUESTS.staffDigitization}`,
    });
    expect(created!.fields).to.deep.equal({
      request_type: "DIGITIZATION",
      request_sub_type: { value: "PHYSICAL_TO_DIGITIZATION" },
      target_destination: { value: "DIGI_DEPT" },
      required_pages_range: "1-5",
    });
    expect(world.memberRequest(REQUESTS.staffDigitization).request_status).to.equal("NOT_STARTED");
    expect(world.sim.callsTo("POST", /\/users/, SCF)).to.deep.equal([]);
  });

  it("makes a title-level staff digitization tagged with its source request", async () => {
    const file = await world.writeExport("requests.xml", [EXPORTS.staffTitleDigitization]);
    const summary = await world.run([file]);
    expect(summary.failures).to.deep.equal([]);
    const [created] = world.scfRequests();
    expect(created).to.deep.include({
      user_primary_id: "01AAA_AB-ABRS",
      request_type: "DIGITIZATION",
      mms_id: SCF_BIBS.archive,
      comment:
        "The inventory for this request should come from 01AAA_AB || request type: STAFF_PHYSICAL_DIGITIZATION || " +
        `Internal identifier: ${REQUESTS.staffTitleDigitization} {Source Request 01AAA_AB-${REQUESTS.staffTitleDigitization}-ab-staff}`,
    });
    expect(world.sim.callsTo("GET", /\/bibs$/, SCF).map((call) => call.query.other_system_id)).to.deep.equal([
      `(01AAA_AB)${MEMBER_BIBS.archive}`,
    ]);
  });

  it("makes a resource-sharing P2D shipment a digitization for the system user, with no user request behind it", async () => {
    const file = await world.writeExport("requests.xml", [
      {
        requestType: "RESOURCE_SHARING_P2D_SHIPMENT",
        requestId: REQUESTS.resourceSharing,
        barcode: BARCODES.leaves,
        mmsId: MEMBER_BIBS.leaves,
        description: "v.2",
        institutionCode: "01AAA_CD",
        libraryCode: "CDRS",
      },
    ]);
    const summary = await world.run([file]);
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.include({ "created: staff digitization (item)": 1 });
    const [created] = world.scfRequests();
    expect(created).to.deep.include({
      user_primary_id: "01AAA_CD-CDRS",
      request_type: "DIGITIZATION",
      item_id: SCF_ITEMS.leaves,
    });
    expect(created!.fields).to.deep.equal({
      request_type: "DIGITIZATION",
      request_sub_type: { value: "PHYSICAL_TO_DIGITIZATION" },
      target_destination: { value: "DIGI_DEPT" },
      description: "v.2",
    });
  });

  it("places the digitization for the linked user as it is when the SCF refuses to refresh it, and switches the source", async () => {
    // A linked user the SCF has lost the source of: Alma refuses to refresh it (400, not a linked user).
    world.sim.institution(SCF).users.push({
      primary_id: "scf-jdoe",
      first_name: "Jane",
      last_name: "Doe",
      source_institution_code: MEMBER,
      linking_id: PATRON.linkingId,
    });
    const file = await world.writeExport("requests.xml", [EXPORTS.patronItemDigitization]);
    const { logger, entries } = memoryLogger();
    const summary = await world.run([file], { logger });
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.include({ "created: patron digitization (item)": 1 });
    expect(world.sim.callsTo("POST", "/users/scf-jdoe", SCF).map((call) => call.status)).to.deep.equal([400]);
    const warnings = entries.filter((entry) => entry.level === "warn").map((entry) => entry.message);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(
      /^the SCF would not refresh linked user scf-jdoe \(01AAA_RS: Alma answered 400 to POST \/almaws\/v1\/users\/scf-jdoe\?op=refresh: \d+ User scf-jdoe is not a linked user\..*\); the request is placed for the linked user as it is$/,
    );
    expect(world.scfRequests().map((request) => [request.user_primary_id, request.item_id])).to.deep.equal([
      ["scf-jdoe", SCF_ITEMS.archive],
    ]);
    expect(world.memberRequest(REQUESTS.patronItemDigitization).cancellation?.reason).to.equal(
      "RequestSwitched",
    );
  });

  it("posts every digitization with allow_same_request, so a patron's second chapter of one item is not refused", async () => {
    const file = await world.writeExport("requests.xml", [
      EXPORTS.patronItemDigitization,
      EXPORTS.patronTitleDigitization,
      EXPORTS.staffDigitization,
    ]);
    const summary = await world.run([file]);
    expect(summary.failures).to.deep.equal([]);
    expect(world.sim.callsTo("POST", /\/requests$/, SCF).map((call) => call.query)).to.deep.equal([
      { user_id: PATRON.primaryId, allow_same_request: "true" },
      { user_id: PATRON.primaryId, allow_same_request: "true" },
      { user_id: "01AAA_AB-ABRS", allow_same_request: "true" },
    ]);
  });

  it("leaves the patron's request alone when no digitization department is configured", async () => {
    await world.close();
    world = await makeWorld({ config: (raw) => delete raw.remote_storage_digitization_department });
    const file = await world.writeExport("requests.xml", [EXPORTS.patronItemDigitization]);
    const summary = await world.run([file]);
    expect(summary.failures.map((failure) => failure.message)).to.deep.equal([
      `request ${REQUESTS.patronItemDigitization}: remote_storage_digitization_department is not set in the ` +
        "configuration: no digitization request can be made; the source request was left as it is",
    ]);
    expect(world.memberRequest(REQUESTS.patronItemDigitization).request_status).to.equal("NOT_STARTED");
    expect(world.scfRequests()).to.deep.equal([]);
  });
});

import { expect } from "chai";
import type { RequestStatus } from "../../src/sandbox/alma/index.js";
import {
  BARCODES,
  EXPORTS,
  MEMBER,
  MEMBER_BIBS,
  MEMBER_ITEMS,
  REQUESTS,
  SCF,
  SCF_ITEMS,
} from "./consortium.js";
import { makeWorld, type ExportFields, type World } from "./world.js";

/** A request on the SCF's copy that is out on loan. */
const onLoan = EXPORTS.onLoanHold;

/** A request of each route but the item hold, each placed on a different SCF item or bib. */
const otherRoutes: ExportFields[] = [
  EXPORTS.titleHold,
  EXPORTS.patronItemDigitization,
  EXPORTS.patronTitleDigitization,
  EXPORTS.staffDigitization,
  EXPORTS.staffTitleDigitization,
];

describe("send-requests running a kept file again, against the Alma simulator", () => {
  let world: World;
  beforeEach(async () => {
    world = await makeWorld();
  });
  afterEach(() => world.close());

  /** The SCF has fulfilled every request the job made: they are in its history now. */
  function scfFulfilsEverything(): void {
    for (const request of world.scfRequests()) request.request_status = "COMPLETED";
  }

  const memberStates = () =>
    world.sim
      .institution(MEMBER)
      .requests.map((r) => [r.request_id, r.request_status, r.cancellation?.reason]);

  it("leaves the patron's request active when the SCF fulfilled the hold and lent the item out since the first run", async () => {
    const file = await world.writeExport("requests.xml", [EXPORTS.itemHold]);
    await world.run([file]);
    scfFulfilsEverything();
    const scfItem = world.sim.institution(SCF).items.find((item) => item.pid === SCF_ITEMS.available)!;
    scfItem.item_data.process_type = { value: "LOAN", desc: "Loan" };
    const again = await world.run([file]);
    expect(again.failures).to.deep.equal([]);
    expect(again.counts).to.deep.include({ "already in the SCF": 1 });
    expect(again.counts).not.to.have.property("cancelled: item on loan");
    const source = world.memberRequest(REQUESTS.itemHold);
    expect(source.request_status).to.equal("NOT_STARTED");
    expect(source).not.to.have.property("cancellation");
    expect(world.sim.callsTo("DELETE", /\/requests\//, MEMBER)).to.deep.equal([]);
    expect(world.scfRequests()).to.have.length(1);
    expect(world.sim.callsTo("POST", /\/requests$/, SCF)).to.have.length(1);
  });

  it("creates no second SCF request on any route when the SCF has already fulfilled the first", async () => {
    const file = await world.writeExport("requests.xml", otherRoutes);
    const first = await world.run([file]);
    expect(first.failures).to.deep.equal([]);
    expect(world.scfRequests()).to.have.length(otherRoutes.length);
    scfFulfilsEverything();
    const memberAfterFirst = memberStates();
    const again = await world.run([file]);
    expect(again.failures).to.deep.equal([]);
    expect(again.counts).to.deep.include({ "already in the SCF": otherRoutes.length });
    expect(world.scfRequests()).to.have.length(otherRoutes.length);
    expect(world.sim.callsTo("POST", /\/requests$/, SCF)).to.have.length(otherRoutes.length);
    expect(memberStates()).to.deep.equal(memberAfterFirst);
  });

  it("looks in the SCF's history only when no active request was made for the source request", async () => {
    const file = await world.writeExport("requests.xml", [EXPORTS.itemHold]);
    await world.run([file]);
    await world.run([file]);
    const lists = world.sim.callsTo("GET", /\/items\/\d+\/requests$/, SCF).map((call) => call.query.status);
    expect(lists).to.deep.equal([undefined, "history", undefined]);
  });

  it("cancels a request on an SCF item on loan once, and counts no cancellation when the file is run again", async () => {
    const file = await world.writeExport("requests.xml", [onLoan]);
    const first = await world.run([file]);
    expect(first.counts).to.deep.include({ "cancelled: item on loan": 1 });
    const again = await world.run([file]);
    expect(again.counts).not.to.have.property("cancelled: item on loan");
    expect(again.failures.map((failure) => failure.message)).to.deep.equal([
      `request ${REQUESTS.onLoan}: request ${REQUESTS.onLoan} is not in 01AAA_AB (cancelled meanwhile?); ` +
        "the source request was left as it is",
    ]);
    expect(world.sim.callsTo("DELETE", /\/requests\//, MEMBER)).to.have.length(1);
  });

  it("does not count a cancellation the member answers with 'request not found'", async () => {
    // The member's request hangs on another item than the barcode's: the cancellation through the item misses it.
    world.memberRequest(REQUESTS.onLoan).item_id = MEMBER_ITEMS.unknown;
    const file = await world.writeExport("requests.xml", [onLoan]);
    const summary = await world.run([file]);
    expect(summary.counts).not.to.have.property("cancelled: item on loan");
    expect(summary.failures.map((failure) => failure.message)).to.deep.equal([
      `request ${REQUESTS.onLoan}: SCF item ${BARCODES.onLoan}X is on loan, but request ${REQUESTS.onLoan} ` +
        "was already gone from 01AAA_AB: nothing placed; the source request was left as it is",
    ]);
    expect(world.sim.callsTo("DELETE", /\/requests\//, MEMBER).map((call) => call.status)).to.deep.equal([
      400,
    ]);
  });

  it("sends no second RequestSwitched when a patron digitization is run again", async () => {
    const file = await world.writeExport("requests.xml", [EXPORTS.patronItemDigitization]);
    await world.run([file]);
    const again = await world.run([file]);
    expect(again.failures).to.deep.equal([]);
    expect(again.counts).to.deep.include({ "already in the SCF": 1 });
    expect(world.sim.callsTo("DELETE", /\/requests\//, MEMBER).map((call) => call.status)).to.deep.equal([
      204,
    ]);
  });
});

describe("send-requests with a source request that has ended since the export, against the Alma simulator", () => {
  let world: World;
  beforeEach(async () => {
    world = await makeWorld();
  });
  afterEach(() => world.close());

  const endedRequests: [string, ExportFields][] = [
    ["hold on an item", EXPORTS.itemHold],
    ["hold on an SCF item on loan", onLoan],
    ["patron digitization of an item", EXPORTS.patronItemDigitization],
    ["staff digitization of an item", EXPORTS.staffDigitization],
    [
      "title hold",
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.titleHold,
        mmsId: MEMBER_BIBS.leaves,
        libraryCode: "ABRS",
      },
    ],
  ];
  for (const [what, fields] of endedRequests) {
    it(`places nothing and cancels nothing for a ${what} whose source request has ended`, async () => {
      const requestId = fields.requestId!;
      // Alma answers a read by id with the request's ended status; the simulator hides cancelled and completed
      // requests from such reads, so the request gets a status the simulator does not know as ended.
      world.memberRequest(requestId).request_status = "HISTORY" as RequestStatus;
      const file = await world.writeExport("requests.xml", [fields]);
      const summary = await world.run([file]);
      expect(summary.failures.map((failure) => failure.message)).to.deep.equal([
        `request ${requestId}: request ${requestId} of 01AAA_AB is no longer active (HISTORY): nothing placed; ` +
          "the source request was left as it is",
      ]);
      expect(world.scfRequests()).to.deep.equal([]);
      expect(world.sim.callsTo("POST", /\/requests$/, SCF)).to.deep.equal([]);
      expect(world.sim.callsTo("DELETE", /\/requests\//, MEMBER)).to.deep.equal([]);
    });
  }

  it("places nothing and cancels nothing for an item hold the member no longer has", async () => {
    world.memberRequest(REQUESTS.itemHold).request_status = "CANCELLED";
    const file = await world.writeExport("requests.xml", [EXPORTS.itemHold]);
    const summary = await world.run([file]);
    expect(summary.failures.map((failure) => failure.message)).to.deep.equal([
      `request ${REQUESTS.itemHold}: request ${REQUESTS.itemHold} is not in 01AAA_AB (cancelled meanwhile?); ` +
        "the source request was left as it is",
    ]);
    expect(summary.counts).to.deep.include({ "files processed": 1 });
    expect(world.scfRequests()).to.deep.equal([]);
    expect(world.sim.callsTo("DELETE", /\/requests\//, MEMBER)).to.deep.equal([]);
  });

  it("reads an item hold's source request through the member item's bib when the export names neither bib nor patron", async () => {
    const file = await world.writeExport("requests.xml", [
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.itemHold,
        barcode: BARCODES.available,
        libraryCode: "ABRS",
      },
    ]);
    const summary = await world.run([file]);
    expect(summary.failures).to.deep.equal([]);
    expect(summary.counts).to.deep.include({ "created: item hold": 1 });
    expect(
      world.sim.callsTo("GET", `/bibs/${MEMBER_BIBS.origin}/requests/${REQUESTS.itemHold}`, MEMBER),
    ).to.have.length(1);
  });
});

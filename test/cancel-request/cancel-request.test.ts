import { expect } from "chai";
import { CANCEL_NOTE, CANCEL_REASON, runCancelRequest } from "../../src/jobs/cancel-request/job.js";
import { parseSourceRequestTag } from "../../src/jobs/cancel-request/source-request-tag.js";
import type { AlmaSimulator } from "../../src/sandbox/alma/index.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import {
  abBib,
  abRequest,
  DASHED_USER,
  runContext,
  simConfig,
  startSimulator,
} from "../scan-in/sim-fixture.js";

describe("cancel-request against the Alma simulator", () => {
  let sim: AlmaSimulator;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    sim = await startSimulator();
  });
  afterEach(async () => {
    await sim.stop();
    await cleanup();
  });

  const context = (dryRun = false) => runContext(simConfig(dir, sim.url), { dryRun });
  const request = (n: number) =>
    sim.institution("01AAA_AB").requests.find((r) => r.request_id === abRequest(n))!;
  const cancels = () => sim.callsTo("DELETE", /\/requests\//, "01AAA_AB");

  describe("by barcode", () => {
    it("cancels every active request on the home item, with the reason and note", async () => {
      const summary = await runCancelRequest(context(), { scfBarcode: "31234000123456X" });
      expect(summary.failures).to.deep.equal([]);
      expect(summary.counts).to.deep.equal({ cancelled: 2 });
      for (const n of [1, 2]) {
        expect(request(n).request_status, `request ${n}`).to.equal("CANCELLED");
        expect(request(n).cancellation).to.include({
          reason: CANCEL_REASON,
          note: CANCEL_NOTE,
          notify_user: true,
        });
      }
      expect(CANCEL_NOTE).to.equal("Remote storage cannot fulfill the request");
      // Requests on other items and titles are left alone.
      expect([3, 4].map((n) => request(n).request_status)).to.deep.equal(["NOT_STARTED", "NOT_STARTED"]);
    });

    it("does nothing, without an error, when the item has no request", async () => {
      const summary = await runCancelRequest(context(), { scfBarcode: "31234000223344X" });
      expect(summary.failures).to.deep.equal([]);
      expect(summary.aborted).to.equal(undefined);
      expect(summary.counts).to.deep.equal({ "no request to cancel": 1 });
      expect(cancels()).to.have.length(0);
    });

    it("does nothing new when the same cancellation comes again", async () => {
      await runCancelRequest(context(), { scfBarcode: "31234000123456X" });
      const again = await runCancelRequest(context(), { scfBarcode: "31234000123456X" });
      expect(again.failures).to.deep.equal([]);
      expect(again.counts).to.deep.equal({ "no request to cancel": 1 });
      expect(cancels()).to.have.length(2);
    });

    it("ignores a barcode without X, and fails the record for an SCF item it cannot find", async () => {
      const ignored = await runCancelRequest(context(), { scfBarcode: "31234000123456" });
      expect(ignored.counts).to.deep.equal({ ignored: 1 });
      const missing = await runCancelRequest(context(), { scfBarcode: "55555X" });
      expect(missing.failures.map((f) => [f.step, f.message])).to.deep.equal([
        ["find SCF item", "no item with barcode 55555X in the SCF"],
      ]);
    });

    it("plans the cancellations and makes none in a dry run", async () => {
      const summary = await runCancelRequest(context(true), { scfBarcode: "31234000123456X" });
      expect(summary.planned!.map((p) => p.target)).to.deep.equal([
        `01AAA_AB request ${abRequest(1)} on 31234000123456`,
        `01AAA_AB request ${abRequest(2)} on 31234000123456`,
      ]);
      expect(cancels()).to.have.length(0);
    });
  });

  describe("by comment", () => {
    it("cancels a title-level source request through its bib (user id with a dash)", async () => {
      const comment = `Rush please {Source Request 01AAA_AB-${abRequest(3)}-ab-jdoe}`;
      const summary = await runCancelRequest(context(), { comment });
      expect(summary.failures).to.deep.equal([]);
      expect(summary.counts).to.deep.equal({ cancelled: 1 });
      expect(cancels().map((call) => call.path)).to.deep.equal([
        `/almaws/v1/bibs/${abBib(2)}/requests/${abRequest(3)}`,
      ]);
      expect(cancels()[0]!.query).to.include({ reason: CANCEL_REASON, note: CANCEL_NOTE });
      expect(request(3).request_status).to.equal("CANCELLED");
    });

    it("cancels an item-level source request through its user, whose id has several dashes", async () => {
      const comment = `{Source Request 01AAA_AB-${abRequest(4)}-${DASHED_USER}}`;
      const summary = await runCancelRequest(context(), { comment });
      expect(summary.counts).to.deep.equal({ cancelled: 1 });
      expect(cancels().map((call) => call.path)).to.deep.equal([
        `/almaws/v1/users/${DASHED_USER}/requests/${abRequest(4)}`,
      ]);
      expect(request(4).request_status).to.equal("CANCELLED");
      expect(request(4).cancellation?.note).to.equal(CANCEL_NOTE);
    });

    it("does nothing new when the source request is already cancelled", async () => {
      const comment = `{Source Request 01AAA_AB-${abRequest(3)}-ab-jdoe}`;
      await runCancelRequest(context(), { comment });
      const again = await runCancelRequest(context(), { comment });
      expect(again.failures).to.deep.equal([]);
      expect(again.counts).to.deep.equal({ "already cancelled": 1 });
      expect(again.details.note).to.equal(
        `request ${abRequest(3)} is not an active request in 01AAA_AB (cancelled already, or no such request): nothing to do`,
      );
      expect(cancels()).to.have.length(1);
    });

    it("fails the record for an institution that is not configured, and ignores a comment without a tag", async () => {
      const unknown = await runCancelRequest(context(), { comment: "{Source Request 01ZZZ_XX-123-u}" });
      expect(unknown.failures.map((f) => [f.record, f.step, f.message])).to.deep.equal([
        [
          "01ZZZ_XX request 123",
          "find source institution",
          "source request 123 comes from 01ZZZ_XX, which is not in institutions[]",
        ],
      ]);
      const untagged = await runCancelRequest(context(), {
        comment: "Patron: Jane Doe || request type: HOLD",
      });
      expect(untagged.counts).to.deep.equal({ ignored: 1 });
      expect(sim.calls).to.have.length(0);
    });
  });
});

describe("source request tag", () => {
  it("reads institution to the first dash, request id to the second, user id (dashes and all) to the brace", () => {
    expect(
      parseSourceRequestTag("note {Source Request 01AAA_AB-2400751600006966-jane-doe-77} end"),
    ).to.deep.equal({
      institution: "01AAA_AB",
      requestId: "2400751600006966",
      userId: "jane-doe-77",
    });
    expect(parseSourceRequestTag("{Source Request 01AAA_AB-1-12345}")).to.deep.equal({
      institution: "01AAA_AB",
      requestId: "1",
      userId: "12345",
    });
  });

  it("gives nothing for a missing tag or an empty part", () => {
    for (const comment of [
      "no tag here",
      "{Source Request }",
      "{Source Request 01AAA_AB}",
      "{Source Request 01AAA_AB-123}",
      "{Source Request 01AAA_AB-123-}",
      "{Source Request -123-u}",
      "{Source Request 01AAA_AB--u}",
    ]) {
      expect(parseSourceRequestTag(comment), comment).to.equal(undefined);
    }
  });
});

/* eslint-disable @typescript-eslint/no-unsafe-member-access -- tests read Alma's loose JSON */
import { expect } from "chai";
import { startAlmaSimulator, type AlmaSimulator } from "../../../src/sandbox/alma/index.js";
import type { ItemRecord } from "../../../src/sandbox/alma/index.js";
import { callAlma, firstError, type InstitutionCode } from "./call-alma.js";

function itemPath(item: ItemRecord): string {
  return `/bibs/${item.mms_id}/holdings/${item.holding_id}/items/${item.pid}`;
}

const SCF_HOLD = {
  request_type: "HOLD",
  request_sub_type: { value: "PATRON_PHYSICAL" },
  pickup_location_type: "USER_HOME_ADDRESS",
  task_name: "Pickup From Shelf",
  user_primary_id: "01AAA_AB-ABRS",
  comment: "Patron: Doe, Jane || request type: HOLD || Internal identifier: 240000000010001",
};

describe("Alma simulator: loans, scan-in and requests", () => {
  let sim: AlmaSimulator;
  const clock = { now: Date.UTC(2025, 2, 10, 9, 0, 0) };

  beforeEach(async () => {
    sim = await startAlmaSimulator({ now: () => clock.now });
  });

  afterEach(async () => {
    await sim.stop();
  });

  function item(code: InstitutionCode, barcode: string): ItemRecord {
    const found = sim.institution(code).items.find((candidate) => candidate.item_data.barcode === barcode);
    if (!found) throw new Error(`no item ${barcode} in ${code}`);
    return found;
  }

  async function newScfItem(barcode: string): Promise<ItemRecord> {
    const holding = sim.institution("01AAA_RS").holdings[0]!;
    const created = await callAlma(
      sim,
      "POST",
      `/bibs/${holding.mms_id}/holdings/${holding.holding_id}/items`,
      {
        json: { item_data: { barcode, provenance: { value: "01AAA_AB" } } },
      },
    );
    expect(created.status).to.equal(200);
    return item("01AAA_RS", barcode);
  }

  describe("loans", () => {
    it("lends an item to a user, after which the item's process_type is LOAN", async () => {
      const scfItem = await newScfItem("31234000123457X");
      const answer = await callAlma(sim, "POST", "/users/01AAA_AB-ABRS/loans", {
        query: { item_pid: scfItem.pid },
        json: { circ_desk: { value: "DEFAULT_CIRC_DESK" }, library: { value: "RS" } },
      });
      expect(answer.status).to.equal(200);
      expect(answer.body.loan_id).to.match(/^18\d+0003$/);
      expect(answer.body.user_id).to.equal("01AAA_AB-ABRS");
      expect(answer.body.item_barcode).to.equal("31234000123457X");
      expect(answer.body.loan_status).to.equal("ACTIVE");
      expect(answer.body.due_date).to.equal("2025-04-07T09:00:00Z");
      const lookup = await callAlma(sim, "GET", "/items", { query: { item_barcode: "31234000123457X" } });
      expect(lookup.body.item_data.process_type.value).to.equal("LOAN");
      expect(
        sim.institution("01AAA_RS").loans.filter((loan) => loan.loan_status === "ACTIVE"),
      ).to.have.length(2);
    });

    it("refuses a second loan on an item already on loan", async () => {
      const scfItem = item("01AAA_RS", "31234000123456X");
      const answer = await callAlma(sim, "POST", "/users/01AAA_AB-ABRS/loans", {
        query: { item_pid: scfItem.pid },
        json: { circ_desk: { value: "DEFAULT_CIRC_DESK" }, library: { value: "RS" } },
      });
      expect(answer.status).to.equal(400);
      expect(firstError(answer).errorCode).to.equal("401153");
    });

    it("answers 400 for a loan at a circulation desk the library does not have", async () => {
      const scfItem = await newScfItem("31234000123457X");
      const answer = await callAlma(sim, "POST", "/users/01AAA_AB-ABRS/loans", {
        query: { item_pid: scfItem.pid },
        json: { circ_desk: { value: "NO_DESK" }, library: { value: "RS" } },
      });
      expect(answer.status).to.equal(400);
      expect(firstError(answer).errorCode).to.equal("401895");
    });

    it("answers 400 401861 for a loan to an unknown user", async () => {
      const answer = await callAlma(sim, "POST", "/users/nobody/loans", {
        query: { item_pid: item("01AAA_RS", "31234000123456X").pid },
        json: { circ_desk: { value: "DEFAULT_CIRC_DESK" }, library: { value: "RS" } },
      });
      expect(answer.status).to.equal(400);
      expect(firstError(answer).errorMessage).to.equal("User with identifier nobody was not found.");
    });

    it("lists a user's active loans", async () => {
      const answer = await callAlma(sim, "GET", "/users/01AAA_AB-ABRS/loans");
      expect(answer.body.total_record_count).to.equal(1);
      expect(answer.body.item_loan[0].item_barcode).to.equal("31234000123456X");
    });

    it("lists an item's active loans as Alma does, and none once the item is returned", async () => {
      const scfItem = item("01AAA_RS", "31234000123456X");
      const onLoan = await callAlma(sim, "GET", `${itemPath(scfItem)}/loans`);
      expect(onLoan.status).to.equal(200);
      expect(onLoan.body.total_record_count).to.equal(1);
      expect(onLoan.body.item_loan).to.have.length(1);
      expect(onLoan.body.item_loan[0]).to.include({
        item_id: scfItem.pid,
        user_id: "01AAA_AB-ABRS",
        loan_status: "ACTIVE",
      });
      await callAlma(sim, "POST", itemPath(scfItem), {
        query: { op: "scan", library: "RS", circ_desk: "DEFAULT_CIRC_DESK", done: "true" },
      });
      const returned = await callAlma(sim, "GET", `${itemPath(scfItem)}/loans`);
      expect(returned.body).to.deep.equal({ total_record_count: 0 });
    });

    it("answers 400 401690 for the loans of an unknown item", async () => {
      const scfItem = item("01AAA_RS", "31234000123456X");
      const answer = await callAlma(
        sim,
        "GET",
        `/bibs/${scfItem.mms_id}/holdings/${scfItem.holding_id}/items/230000099990003/loans`,
      );
      expect(answer.status).to.equal(400);
      expect(firstError(answer).errorCode).to.equal("401690");
    });
  });

  describe("scan-in", () => {
    it("ends the active loan and answers the item back in place", async () => {
      const scfItem = item("01AAA_RS", "31234000123456X");
      clock.now += 60_000;
      const answer = await callAlma(sim, "POST", itemPath(scfItem), {
        query: { op: "scan", library: "RS", circ_desk: "DEFAULT_CIRC_DESK", done: "true" },
      });
      expect(answer.status).to.equal(200);
      expect(answer.body.item_data.barcode).to.equal("31234000123456X");
      expect(answer.body.item_data).to.not.have.property("process_type");
      expect(answer.body.additional_info.value).to.contain("returned");
      const loan = sim.institution("01AAA_RS").loans[0]!;
      expect(loan).to.include({
        loan_status: "COMPLETE",
        return_library: "RS",
        return_circ_desk: "DEFAULT_CIRC_DESK",
        return_date: "2025-03-10T09:01:00Z",
      });
    });

    it("puts a member item on the hold shelf for its waiting request", async () => {
      const abItem = item("01AAA_AB", "31234000123456");
      const answer = await callAlma(sim, "POST", itemPath(abItem), {
        as: "01AAA_AB",
        query: { op: "scan", library: "ABRS", circ_desk: "DEFAULT_CIRC_DESK", done: "true" },
      });
      expect(answer.status).to.equal(200);
      expect(answer.body.item_data.process_type.value).to.equal("HOLDSHELF");
      expect(sim.institution("01AAA_AB").requests[0]?.request_status).to.equal("ON_HOLD_SHELF");
    });

    it("answers 400 for an op other than scan, or a missing circ_desk", async () => {
      const scfItem = item("01AAA_RS", "31234000123456X");
      const wrongOp = await callAlma(sim, "POST", itemPath(scfItem), { query: { op: "move" } });
      expect(wrongOp.status).to.equal(400);
      expect(firstError(wrongOp).errorMessage).to.equal("op (move) parameter is not valid.");
      const noDesk = await callAlma(sim, "POST", itemPath(scfItem), { query: { op: "scan", library: "RS" } });
      expect(noDesk.status).to.equal(400);
      expect(sim.institution("01AAA_RS").loans[0]?.loan_status).to.equal("ACTIVE");
    });
  });

  describe("requests", () => {
    it("creates an item-level HOLD and lists it on the item", async () => {
      const scfItem = await newScfItem("31234000123457X");
      const created = await callAlma(sim, "POST", `${itemPath(scfItem)}/requests`, {
        query: { user_id: "01AAA_AB-ABRS", allow_same_request: "true" },
        json: SCF_HOLD,
      });
      expect(created.status).to.equal(200);
      expect(created.body.request_id).to.match(/^24\d+0003$/);
      expect(created.body).to.include({
        request_type: "HOLD",
        request_status: "NOT_STARTED",
        item_id: scfItem.pid,
        barcode: "31234000123457X",
        pickup_location_type: "USER_HOME_ADDRESS",
        comment: SCF_HOLD.comment,
        request_date: "2025-03-10Z",
      });
      const listed = await callAlma(sim, "GET", `${itemPath(scfItem)}/requests`);
      expect(listed.body.total_record_count).to.equal(1);
      expect(listed.body.user_request[0].request_id).to.equal(created.body.request_id);
    });

    it("refuses the same request twice unless allow_same_request=true", async () => {
      const scfItem = await newScfItem("31234000123457X");
      const path = `${itemPath(scfItem)}/requests`;
      const first = await callAlma(sim, "POST", path, {
        query: { user_id: "01AAA_AB-ABRS" },
        json: SCF_HOLD,
      });
      expect(first.status).to.equal(200);
      const second = await callAlma(sim, "POST", path, {
        query: { user_id: "01AAA_AB-ABRS" },
        json: SCF_HOLD,
      });
      expect(second.status).to.equal(400);
      expect(firstError(second).errorCode).to.equal("401136");
      const allowed = await callAlma(sim, "POST", path, {
        query: { user_id: "01AAA_AB-ABRS", allow_same_request: "true" },
        json: SCF_HOLD,
      });
      expect(allowed.status).to.equal(200);
    });

    it("refuses a HOLD to the user's home address when the user has none", async () => {
      const rs = sim.institution("01AAA_RS");
      rs.users.push({ primary_id: "no-address", first_name: "No", last_name: "Address" });
      const scfItem = await newScfItem("31234000123457X");
      const answer = await callAlma(sim, "POST", `${itemPath(scfItem)}/requests`, {
        query: { user_id: "no-address" },
        json: SCF_HOLD,
      });
      expect(answer.status).to.equal(400);
      expect(firstError(answer).errorCode).to.equal("60309");
    });

    it("creates a title-level DIGITIZATION request and lists title and item requests of the bib", async () => {
      const bib = sim.institution("01AAA_AB").bibs[0]!;
      const created = await callAlma(sim, "POST", `/bibs/${bib.mms_id}/requests`, {
        as: "01AAA_AB",
        query: { user_id: "ab-jdoe" },
        json: {
          request_type: "DIGITIZATION",
          request_sub_type: { value: "PHYSICAL_TO_DIGITIZATION" },
          target_destination: { value: "DIGI_DEPT" },
          partial_digitization: true,
          required_pages_range: [{ from_page: "1", to_page: "10" }],
          comment: "{Source Request 01AAA_CD-240000000010002-cd-asmith}",
        },
      });
      expect(created.status).to.equal(200);
      expect(created.body).to.not.have.property("item_id");
      expect(created.body.target_destination).to.deep.equal({ value: "DIGI_DEPT" });
      const listed = await callAlma(sim, "GET", `/bibs/${bib.mms_id}/requests`, { as: "01AAA_AB" });
      expect(listed.body.total_record_count).to.equal(2);
      const comments = (listed.body.user_request as { comment: string | null }[]).map(
        (request) => request.comment,
      );
      expect(comments).to.have.members([
        "Please handle with care",
        "{Source Request 01AAA_CD-240000000010002-cd-asmith}",
      ]);
      const read = await callAlma(sim, "GET", `/bibs/${bib.mms_id}/requests/${created.body.request_id}`, {
        as: "01AAA_AB",
      });
      expect(read.body.request_type).to.equal("DIGITIZATION");
    });

    it("answers 401129 for a title-level request on a bib without items", async () => {
      const bib = await callAlma(sim, "POST", "/bibs", {
        query: { from_nz_mms_id: "990000000044441" },
        xml: "<bib/>",
      });
      const answer = await callAlma(sim, "POST", `/bibs/${bib.body.mms_id}/requests`, {
        query: { user_id: "01AAA_AB-ABRS" },
        json: SCF_HOLD,
      });
      expect(answer.status).to.equal(400);
      expect(firstError(answer).errorCode).to.equal("401129");
    });

    it("reads a request through its user", async () => {
      const request = sim.institution("01AAA_AB").requests[0]!;
      const answer = await callAlma(sim, "GET", `/users/ab-jdoe/requests/${request.request_id}`, {
        as: "01AAA_AB",
      });
      expect(answer.status).to.equal(200);
      expect(answer.body.barcode).to.equal("31234000123456");
      const other = await callAlma(sim, "GET", `/users/cd-asmith/requests/${request.request_id}`, {
        as: "01AAA_CD",
      });
      expect(other.status).to.equal(400);
    });

    it("cancels a request with reason, note and notify_user, kept in the state", async () => {
      clock.now = Date.UTC(2025, 2, 11, 12, 0, 0);
      const request = sim.institution("01AAA_AB").requests[0]!;
      const answer = await callAlma(sim, "DELETE", `/bibs/${request.mms_id}/requests/${request.request_id}`, {
        as: "01AAA_AB",
        query: { reason: "CannotBeFulfilled", note: "Item is on loan", notify_user: "false" },
      });
      expect(answer.status).to.equal(204);
      expect(request.request_status).to.equal("CANCELLED");
      expect(request.cancellation).to.deep.equal({
        reason: "CannotBeFulfilled",
        note: "Item is on loan",
        notify_user: false,
        time: "2025-03-11T12:00:00Z",
      });
      const gone = await callAlma(sim, "GET", `/bibs/${request.mms_id}/requests/${request.request_id}`, {
        as: "01AAA_AB",
      });
      expect(gone.status).to.equal(400);
      expect(firstError(gone).errorCode).to.equal("401907");
      const history = await callAlma(sim, "GET", `/bibs/${request.mms_id}/requests`, {
        as: "01AAA_AB",
        query: { status: "history" },
      });
      expect(history.body.user_request[0].request_status).to.equal("CANCELLED");
      const again = await callAlma(sim, "DELETE", `/bibs/${request.mms_id}/requests/${request.request_id}`, {
        as: "01AAA_AB",
      });
      expect(again.status, "a cancelled request cannot be cancelled twice").to.equal(400);
    });

    it("cancels an item request through its item path, and refuses an unknown reason code", async () => {
      const request = sim.institution("01AAA_AB").requests[0]!;
      const abItem = item("01AAA_AB", "31234000123456");
      const path = `${itemPath(abItem)}/requests/${request.request_id}`;
      const refused = await callAlma(sim, "DELETE", path, { as: "01AAA_AB", query: { reason: "Because" } });
      expect(refused.status).to.equal(400);
      expect(firstError(refused).errorMessage).to.equal("reason (Because) parameter is not valid.");
      const cancelled = await callAlma(sim, "DELETE", path, {
        as: "01AAA_AB",
        query: { reason: "RequestSwitched" },
      });
      expect(cancelled.status).to.equal(204);
      expect(request.cancellation).to.include({ reason: "RequestSwitched", notify_user: true });
    });
  });
});

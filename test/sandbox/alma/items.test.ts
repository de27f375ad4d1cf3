/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- tests read Alma's loose JSON */
import { expect } from "chai";
import { startAlmaSimulator, type AlmaSimulator } from "../../../src/sandbox/alma/index.js";
import { callAlma, firstError } from "./call-alma.js";

describe("Alma simulator: items", () => {
  let sim: AlmaSimulator;

  beforeEach(async () => {
    sim = await startAlmaSimulator({ faultSeed: 1 });
  });

  afterEach(async () => {
    await sim.stop();
  });

  it("finds an item by barcode with item_data, holding_data and bib_data", async () => {
    const answer = await callAlma(sim, "GET", "/items", { query: { item_barcode: "31234000123456X" } });
    expect(answer.status).to.equal(200);
    expect(answer.body.item_data.barcode).to.equal("31234000123456X");
    expect(answer.body.item_data.pid).to.match(/^23\d+0003$/);
    expect(answer.body.item_data.provenance.value).to.equal("01AAA_AB");
    expect(answer.body.item_data.process_type.value).to.equal("LOAN");
    expect(answer.body.item_data.library).to.deep.equal({ value: "RS", desc: "Remote Storage Facility" });
    expect(answer.body.item_data.location.value).to.equal("rs_shared");
    expect(answer.body.holding_data.holding_id).to.match(/^22\d+0003$/);
    expect(answer.body.holding_data.in_temp_location).to.equal(false);
    expect(answer.body.bib_data.mms_id).to.match(/^99\d+0003$/);
    expect(answer.body.bib_data.network_number).to.include("(EXLNZ-01AAA_NETWORK)990000000014441");
  });

  it("answers 400 with errorList for an unknown barcode", async () => {
    const answer = await callAlma(sim, "GET", "/items", { query: { item_barcode: "NOPE" } });
    expect(answer.status).to.equal(400);
    expect(answer.body.errorsExist).to.equal(true);
    expect(answer.body.result).to.equal(null);
    const error = firstError(answer);
    expect(error.errorCode).to.equal("401689");
    expect(error.errorMessage).to.equal("No items found for barcode NOPE.");
    expect(error.trackingId).to.match(/^E01-\d{10}-[A-Z]{5}-AWAE\d{10}$/);
  });

  it("answers the error as web_service_result XML when the client accepts XML", async () => {
    const answer = await callAlma(sim, "GET", "/items", {
      query: { item_barcode: "NOPE" },
      accept: "application/xml",
    });
    expect(answer.status).to.equal(400);
    expect(answer.headers.get("content-type")).to.contain("application/xml");
    expect(answer.text).to.contain('<web_service_result xmlns="http://com/exlibris/urm/general/xmlbeans">');
    expect(answer.text).to.contain("<errorsExist>true</errorsExist>");
    expect(answer.text).to.contain("<errorCode>401689</errorCode>");
    expect(answer.text).to.contain("<errorMessage>No items found for barcode NOPE.</errorMessage>");
  });

  it("answers XML by default, as Alma does without an Accept header asking for JSON", async () => {
    const answer = await callAlma(sim, "GET", "/items", {
      query: { item_barcode: "31234000123456X" },
      accept: "*/*",
    });
    expect(answer.status).to.equal(200);
    expect(answer.headers.get("content-type")).to.contain("application/xml");
    expect(answer.text).to.match(/<item link="[^"]+">/);
    expect(answer.text).to.contain("<barcode>31234000123456X</barcode>");
    expect(answer.text).to.contain('<process_type desc="Loan">LOAN</process_type>');
  });

  it("creates an item under a holding, taking library and location from the holding", async () => {
    const rs = sim.institution("01AAA_RS");
    const holding = rs.holdings[0]!;
    const answer = await callAlma(
      sim,
      "POST",
      `/bibs/${holding.mms_id}/holdings/${holding.holding_id}/items`,
      {
        json: {
          item_data: {
            barcode: "31234000123457X",
            provenance: { value: "01AAA_AB" },
            library: { value: "IGNORED" },
            description: "c.2",
          },
        },
      },
    );
    expect(answer.status).to.equal(200);
    expect(answer.body.item_data.pid).to.equal("231000000000003");
    expect(answer.body.item_data.library.value).to.equal("RS");
    expect(answer.body.item_data.location.value).to.equal("rs_shared");
    const stored = rs.items.find((item) => item.item_data.barcode === "31234000123457X");
    expect(stored?.holding_id).to.equal(holding.holding_id);
    expect(stored?.item_data.description).to.equal("c.2");
  });

  it("refuses a second item with a barcode already in use", async () => {
    const holding = sim.institution("01AAA_RS").holdings[0]!;
    const answer = await callAlma(
      sim,
      "POST",
      `/bibs/${holding.mms_id}/holdings/${holding.holding_id}/items`,
      {
        json: { item_data: { barcode: "31234000123456X" } },
      },
    );
    expect(answer.status).to.equal(400);
    expect(firstError(answer).errorCode).to.equal("401873");
    expect(sim.institution("01AAA_RS").items).to.have.length(1);
  });

  it("keeps unknown fields a client sends on PUT and returns them", async () => {
    const found = await callAlma(sim, "GET", "/items", { query: { item_barcode: "31234000123456X" } });
    const item = found.body;
    item.item_data.internal_note_2 = "moved to tray 43";
    item.item_data.future_field = { value: "KEEP", desc: "Not modelled" };
    item.holding_data.temp_policy = { value: "x" };
    item.top_level_extra = [1, 2, 3];
    item.item_data.process_type = { value: "" };
    const path = `/bibs/${item.bib_data.mms_id}/holdings/${item.holding_data.holding_id}/items/${item.item_data.pid}`;
    const put = await callAlma(sim, "PUT", path, { json: item });
    expect(put.status).to.equal(200);
    expect(put.body.item_data.internal_note_2).to.equal("moved to tray 43");
    expect(put.body.item_data.future_field).to.deep.equal({ value: "KEEP", desc: "Not modelled" });
    expect(put.body.holding_data.temp_policy).to.deep.equal({ value: "x" });
    expect(put.body.top_level_extra).to.deep.equal([1, 2, 3]);
    expect(put.body.item_data.process_type.value, "process_type stays Alma's").to.equal("LOAN");
    const again = await callAlma(sim, "GET", path);
    expect(again.body.item_data.future_field.value).to.equal("KEEP");
    expect(again.body.top_level_extra).to.deep.equal([1, 2, 3]);
  });

  it("drops a field the client leaves out of a PUT, as a whole-entity replace does", async () => {
    const found = await callAlma(sim, "GET", "/items", { query: { item_barcode: "31234000123456X" } });
    const item = found.body;
    delete item.item_data.storage_location_id;
    const path = `/bibs/${item.bib_data.mms_id}/holdings/${item.holding_data.holding_id}/items/${item.item_data.pid}`;
    const put = await callAlma(sim, "PUT", path, { json: item });
    expect(put.status).to.equal(200);
    expect(put.body.item_data).to.not.have.property("storage_location_id");
  });

  it("refuses to delete an item on loan unless override=true, then removes it", async () => {
    const item = sim.institution("01AAA_RS").items[0]!;
    const path = `/bibs/${item.mms_id}/holdings/${item.holding_id}/items/${item.pid}`;
    const refused = await callAlma(sim, "DELETE", path);
    expect(refused.status).to.equal(400);
    expect(firstError(refused).errorCode).to.equal("401875");
    const deleted = await callAlma(sim, "DELETE", path, { query: { override: "true", holdings: "delete" } });
    expect(deleted.status).to.equal(204);
    expect(deleted.text).to.equal("");
    const rs = sim.institution("01AAA_RS");
    expect(rs.items).to.have.length(0);
    expect(rs.holdings).to.have.length(0);
    expect(rs.loans[0]?.loan_status).to.equal("COMPLETE");
    const lookup = await callAlma(sim, "GET", "/items", { query: { item_barcode: "31234000123456X" } });
    expect(lookup.status).to.equal(400);
  });

  it("deletes an item without loans or requests and keeps the holding by default", async () => {
    const ab = sim.institution("01AAA_AB");
    const item = ab.items.find((candidate) => candidate.item_data.barcode === "31234000223344")!;
    const answer = await callAlma(
      sim,
      "DELETE",
      `/bibs/${item.mms_id}/holdings/${item.holding_id}/items/${item.pid}`,
      {
        as: "01AAA_AB",
      },
    );
    expect(answer.status).to.equal(204);
    expect(ab.items.some((candidate) => candidate.pid === item.pid)).to.equal(false);
    expect(ab.holdings.some((holding) => holding.holding_id === item.holding_id)).to.equal(true);
  });

  it("lists the items of a holding with paging", async () => {
    const ab = sim.institution("01AAA_AB");
    const holding = ab.holdings[0]!;
    const page = await callAlma(sim, "GET", `/bibs/${holding.mms_id}/holdings/${holding.holding_id}/items`, {
      as: "01AAA_AB",
      query: { limit: "1", offset: "1" },
    });
    expect(page.status).to.equal(200);
    expect(page.body.total_record_count).to.equal(2);
    expect(page.body.item).to.have.length(1);
    expect(page.body.item[0].item_data.barcode).to.equal("31234000123457");
  });

  it("answers 400 for an item pid that is not under the named holding", async () => {
    const rs = sim.institution("01AAA_RS");
    const holding = rs.holdings[0]!;
    const answer = await callAlma(
      sim,
      "GET",
      `/bibs/${holding.mms_id}/holdings/${holding.holding_id}/items/239999`,
    );
    expect(answer.status).to.equal(400);
    expect(firstError(answer).errorCode).to.equal("401690");
  });
});

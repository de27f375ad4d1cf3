/* eslint-disable @typescript-eslint/no-unsafe-member-access -- tests read Alma's loose JSON */
import { expect } from "chai";
import {
  DEFAULT_API_KEYS,
  NZ_IDS,
  startAlmaSimulator,
  type AlmaSimulator,
} from "../../../src/sandbox/alma/index.js";
import { callAlma } from "./call-alma.js";

describe("Alma simulator: wire details", () => {
  let sim: AlmaSimulator;

  afterEach(async () => {
    await sim.stop();
  });

  it("renders a list as XML with total_record_count on the plural root and the MARC record inline", async () => {
    sim = await startAlmaSimulator();
    const answer = await callAlma(sim, "GET", "/bibs", {
      query: { other_system_id: "(OCoLC)1234567" },
      accept: "application/xml",
    });
    expect(answer.status).to.equal(200);
    expect(answer.text).to.match(/^<\?xml [^>]+\?><bibs total_record_count="1"><bib link="[^"]+">/);
    expect(answer.text).to.contain("<record><leader>");
    expect(answer.text).to.contain("<network_number>(OCoLC)1234567</network_number>");
  });

  it("answers JSON for format=json whatever the Accept header says", async () => {
    sim = await startAlmaSimulator();
    const answer = await callAlma(sim, "GET", "/conf/libraries", {
      accept: "*/*",
      query: { format: "json" },
    });
    expect(answer.headers.get("content-type")).to.contain("application/json");
    expect(answer.body.library[0].code).to.equal("RS");
  });

  it("can answer the barcode look-up with a redirect to the item, as Alma may", async () => {
    sim = await startAlmaSimulator({ redirectBarcodeLookup: true });
    const response = await fetch(`${sim.url}/almaws/v1/items?item_barcode=31234000123456X&view=label`, {
      headers: { Authorization: `apikey ${DEFAULT_API_KEYS["01AAA_RS"]}`, Accept: "application/json" },
      redirect: "manual",
    });
    expect(response.status).to.equal(302);
    const item = sim.institution("01AAA_RS").items[0]!;
    expect(response.headers.get("location")).to.equal(
      `${sim.url}/almaws/v1/bibs/${item.mms_id}/holdings/${item.holding_id}/items/${item.pid}?view=label`,
    );
    const followed = await callAlma(sim, "GET", "/items", { query: { item_barcode: "31234000123456X" } });
    expect(followed.status, "fetch follows the redirect with the header").to.equal(200);
    expect(followed.body.item_data.pid).to.equal(item.pid);
  });

  it("lists remote-storage integration profiles", async () => {
    sim = await startAlmaSimulator();
    const answer = await callAlma(sim, "GET", "/conf/integration-profiles", {
      as: "01AAA_AB",
      query: { type: "REMOTE_STORAGE" },
    });
    expect(answer.body.total_record_count).to.equal(1);
    expect(answer.body.integration_profile[0]).to.include({ id: "5001240001", code: "SCF_REMOTE_STORAGE" });
  });

  it("admits exactly the limit out of a concurrent burst in one instant, and refuses the rest", async () => {
    const now = Date.UTC(2025, 0, 1);
    sim = await startAlmaSimulator({ rateLimitPerSecond: 25, now: () => now });
    const answers = await Promise.all(
      Array.from({ length: 60 }, () => callAlma(sim, "GET", "/users/ab-jdoe", { as: "01AAA_AB" })),
    );
    expect(answers.filter((answer) => answer.status === 200)).to.have.length(25);
    expect(answers.filter((answer) => answer.status === 429)).to.have.length(35);
    expect(sim.calls).to.have.length(60);
    expect(new Set(sim.calls.map((call) => call.seq)).size).to.equal(60);
  });

  it("answers 413 REQUEST_TOO_LARGE for a body over the limit", async () => {
    sim = await startAlmaSimulator({ bodyLimitBytes: 100 });
    const answer = await callAlma(sim, "POST", "/bibs", { xml: `<bib>${"x".repeat(200)}</bib>` });
    expect(answer.status).to.equal(413);
    expect(answer.body.errorList.error[0].errorCode).to.equal("REQUEST_TOO_LARGE");
  });

  it("reports a handler bug as 500 GENERAL_ERROR and tells onInternalError", async () => {
    const errors: unknown[] = [];
    sim = await startAlmaSimulator({ onInternalError: (error) => errors.push(error) });
    // A corrupt Network Zone record in the state makes the handler throw something that is not an Alma answer.
    sim.state.network_zone.bibs.find((bib) => bib.mms_id === NZ_IDS.walden)!.record = "<record>";
    const answer = await callAlma(sim, "POST", "/bibs", {
      query: { from_nz_mms_id: NZ_IDS.walden },
      xml: "<bib/>",
    });
    expect(answer.status).to.equal(500);
    expect(answer.body.errorList.error[0].errorCode).to.equal("GENERAL_ERROR");
    expect(errors).to.have.length(1);
    expect(sim.calls[0]).to.include({ status: 500, errorCode: "GENERAL_ERROR" });
  });
});

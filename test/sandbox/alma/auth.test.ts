/* eslint-disable @typescript-eslint/no-unsafe-member-access -- tests read Alma's loose JSON */
import { expect } from "chai";
import { DEFAULT_API_KEYS, startAlmaSimulator, type AlmaSimulator } from "../../../src/sandbox/alma/index.js";
import { callAlma, firstError } from "./call-alma.js";

describe("Alma simulator: API keys", () => {
  let sim: AlmaSimulator;

  beforeEach(async () => {
    sim = await startAlmaSimulator();
  });

  afterEach(async () => {
    await sim.stop();
  });

  it("selects the institution by the key in the Authorization header", async () => {
    const scf = await callAlma(sim, "GET", "/items", { query: { item_barcode: "31234000123456X" } });
    const member = await callAlma(sim, "GET", "/items", {
      as: "01AAA_AB",
      query: { item_barcode: "31234000123456X" },
    });
    expect(scf.status).to.equal(200);
    expect(member.status, "the SCF barcode does not exist in the member").to.equal(400);
    const ab = await callAlma(sim, "GET", "/items", {
      as: "01AAA_AB",
      query: { item_barcode: "31234000123456" },
    });
    expect(ab.body.item_data.pid).to.match(/0001$/);
    expect(sim.calls.map((call) => call.institution)).to.deep.equal(["01AAA_RS", "01AAA_AB", "01AAA_AB"]);
  });

  it("accepts the key as ?apikey= and never logs it", async () => {
    const answer = await callAlma(sim, "GET", "/items", {
      as: null,
      query: { item_barcode: "31234000123456", apikey: DEFAULT_API_KEYS["01AAA_AB"] },
    });
    expect(answer.status).to.equal(200);
    expect(sim.calls[0]?.institution).to.equal("01AAA_AB");
    expect(sim.calls[0]?.query).to.deep.equal({ item_barcode: "31234000123456" });
    expect(JSON.stringify(sim.calls)).to.not.contain(DEFAULT_API_KEYS["01AAA_AB"]);
  });

  it("answers 401 UNAUTHORIZED for an unknown key", async () => {
    const answer = await callAlma(sim, "GET", "/items", { key: "l7xx-wrong", query: { item_barcode: "x" } });
    expect(answer.status).to.equal(401);
    expect(answer.body.errorsExist).to.equal(true);
    expect(firstError(answer).errorCode).to.equal("UNAUTHORIZED");
    expect(answer.headers.get("x-exl-api-remaining")).to.equal(null);
    expect(sim.calls[0]).to.include({ institution: null, status: 401, errorCode: "UNAUTHORIZED" });
  });

  it("answers 401 UNAUTHORIZED when no key is sent", async () => {
    const answer = await callAlma(sim, "GET", "/conf/libraries", { as: null });
    expect(answer.status).to.equal(401);
    expect(firstError(answer).errorMessage).to.equal(
      "API-key not defined or not configured to allow this API.",
    );
  });

  it("answers 404 for a path Alma does not have", async () => {
    const answer = await callAlma(sim, "GET", "/no/such/thing");
    expect(answer.status).to.equal(404);
    expect(firstError(answer).errorCode).to.equal("UNKNOWN_RESOURCE");
  });
});

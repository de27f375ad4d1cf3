/* eslint-disable @typescript-eslint/no-unsafe-member-access -- tests read loose JSON */
import { expect } from "chai";
import {
  DEFAULT_API_KEYS,
  defaultFixture,
  startAlmaSimulator,
  type AlmaSimulator,
  type SimulatorState,
} from "../../../src/sandbox/alma/index.js";
import type { CallRecord } from "../../../src/sandbox/alma/index.js";
import { callAlma, type Answer } from "./call-alma.js";

describe("Alma simulator: side paths", () => {
  let sim: AlmaSimulator;

  beforeEach(async () => {
    sim = await startAlmaSimulator({ dailyBudget: 500 });
  });

  afterEach(async () => {
    await sim.stop();
  });

  async function side(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Pick<Answer, "status" | "body">> {
    const response = await fetch(`${sim.url}/__sandbox/${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
    });
    return { status: response.status, body: await response.json() };
  }

  it("shows the state without API keys", async () => {
    const answer = await side("GET", "state");
    expect(answer.status).to.equal(200);
    const state = answer.body as SimulatorState;
    expect(Object.keys(state.institutions)).to.deep.equal(["01AAA_RS", "01AAA_AB", "01AAA_CD"]);
    expect(state.institutions["01AAA_RS"]?.items[0]?.item_data.barcode).to.equal("31234000123456X");
    const text = JSON.stringify(answer.body);
    for (const key of Object.values(DEFAULT_API_KEYS)) expect(text).to.not.contain(key);
    expect(sim.institution("01AAA_RS").apikey, "only the dump is redacted").to.equal(
      DEFAULT_API_KEYS["01AAA_RS"],
    );
  });

  it("shows the call log, filtered, and is not logged itself", async () => {
    await callAlma(sim, "GET", "/items", { query: { item_barcode: "31234000123456X" } });
    await callAlma(sim, "GET", "/conf/libraries", { as: "01AAA_AB" });
    const all = await side("GET", "calls");
    expect((all.body.calls as CallRecord[]).map((call) => call.path)).to.deep.equal([
      "/almaws/v1/items",
      "/almaws/v1/conf/libraries",
    ]);
    const filtered = await side("GET", "calls?institution=01AAA_AB&path=conf");
    expect(filtered.body.calls).to.have.length(1);
    expect(filtered.body.calls[0]).to.include({
      seq: 2,
      method: "GET",
      status: 200,
      institution: "01AAA_AB",
    });
    expect(sim.calls).to.have.length(2);
  });

  it("sets faults from JSON and refuses an invalid rule", async () => {
    const set = await side("POST", "faults", {
      faults: [{ kind: "error", status: 503, path: "^/almaws/v1/items" }],
      seed: 3,
    });
    expect(set.status).to.equal(200);
    expect(set.body.faults[0]).to.include({ kind: "error", status: 503 });
    expect((await callAlma(sim, "GET", "/items", { query: { item_barcode: "x" } })).status).to.equal(503);
    const listed = await side("GET", "faults");
    expect(listed.body.faults).to.have.length(1);
    const invalid = await side("POST", "faults", { faults: [{ kind: "explode" }] });
    expect(invalid.status).to.equal(400);
    expect(sim.faults, "an invalid set leaves the faults as they were").to.have.length(1);
  });

  it("resets state, call log, limits and faults to the fixture", async () => {
    sim.setFaults([{ kind: "error" }]);
    sim.institution("01AAA_RS").items = [];
    await callAlma(sim, "GET", "/conf/libraries");
    expect(sim.remaining("01AAA_RS")).to.equal(499);
    const answer = await side("POST", "reset");
    expect(answer.body).to.deep.equal({ reset: true });
    expect(sim.institution("01AAA_RS").items).to.have.length(1);
    expect(sim.calls).to.have.length(0);
    expect(sim.faults).to.have.length(0);
    expect(sim.remaining("01AAA_RS")).to.equal(500);
    expect((await callAlma(sim, "GET", "/conf/libraries")).status).to.equal(200);
  });

  it("resets to a fixture given in the body", async () => {
    const fixture = structuredClone(defaultFixture);
    fixture.institutions = fixture.institutions.filter((institution) => institution.code === "01AAA_RS");
    await side("POST", "reset", { fixture });
    expect(Object.keys(sim.state.institutions)).to.deep.equal(["01AAA_RS"]);
    expect((await callAlma(sim, "GET", "/conf/libraries", { as: "01AAA_AB" })).status).to.equal(401);
  });

  it("shows what is left of each institution's daily budget", async () => {
    await callAlma(sim, "GET", "/conf/libraries", { as: "01AAA_CD" });
    const answer = await side("GET", "limits");
    expect(answer.body.institutions["01AAA_CD"]).to.deep.equal({ remaining: 499 });
    expect(answer.body.institutions["01AAA_AB"]).to.deep.equal({ remaining: 500 });
  });

  it("answers 404 for an unknown side path", async () => {
    expect((await side("GET", "nothing")).status).to.equal(404);
  });
});

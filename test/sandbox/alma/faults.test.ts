/* eslint-disable @typescript-eslint/no-unsafe-member-access -- tests read Alma's loose JSON */
import { expect } from "chai";
import { startAlmaSimulator, type AlmaSimulator, type FaultRule } from "../../../src/sandbox/alma/index.js";
import { callAlma, firstError } from "./call-alma.js";

const LOAN_BODY = { circ_desk: { value: "DEFAULT_CIRC_DESK" }, library: { value: "RS" } };

describe("Alma simulator: fault injection", () => {
  let sim: AlmaSimulator;

  beforeEach(async () => {
    sim = await startAlmaSimulator({ rateLimitPerSecond: 10_000 });
  });

  afterEach(async () => {
    await sim.stop();
  });

  function lookup() {
    return callAlma(sim, "GET", "/items", { query: { item_barcode: "31234000123456X" } });
  }

  async function statusesOf(seed: number, rule: FaultRule, calls: number): Promise<number[]> {
    sim.reset();
    sim.setFaults([rule], { seed });
    const statuses: number[] = [];
    for (let index = 0; index < calls; index += 1) statuses.push((await lookup()).status);
    return statuses;
  }

  it("delays answers by a fixed latency and names it in the call log", async () => {
    sim.setFaults([{ kind: "latency", ms: 120, path: "^/almaws/v1/items$" }]);
    const started = performance.now();
    const answer = await lookup();
    expect(answer.status).to.equal(200);
    expect(performance.now() - started).to.be.at.least(110);
    expect(sim.calls[0]?.fault).to.equal("latency:120ms");
  });

  it("draws a uniform latency between minMs and maxMs, the same for the same seed", async () => {
    const rule: FaultRule = { kind: "latency", minMs: 1, maxMs: 30 };
    const labels = async (): Promise<(string | undefined)[]> => {
      sim.reset();
      sim.setFaults([rule], { seed: 99 });
      for (let index = 0; index < 5; index += 1) await lookup();
      return sim.calls.map((call) => call.fault);
    };
    const first = await labels();
    const second = await labels();
    expect(first).to.deep.equal(second);
    for (const label of first) {
      const ms = Number(/^latency:(\d+)ms$/.exec(label ?? "")?.[1]);
      expect(ms).to.be.within(1, 30);
    }
  });

  it("answers 503 ROUTING_ERROR and 500 GENERAL_ERROR bodies", async () => {
    sim.setFaults([{ kind: "error", status: 503 }]);
    const unavailable = await lookup();
    expect(unavailable.status).to.equal(503);
    expect(firstError(unavailable).errorCode).to.equal("ROUTING_ERROR");
    sim.setFaults([{ kind: "error" }]);
    const failed = await lookup();
    expect(failed.status).to.equal(500);
    expect(firstError(failed).errorCode).to.equal("GENERAL_ERROR");
    expect(failed.headers.get("x-exl-api-remaining"), "faulted calls still count").to.equal("99998");
    expect(sim.calls.map((call) => call.fault)).to.deep.equal(["error:503", "error:500"]);
  });

  it("fails a share of calls, the same ones for the same seed", async () => {
    const rule: FaultRule = { kind: "error", status: 503, rate: 0.2 };
    const first = await statusesOf(7, rule, 100);
    const second = await statusesOf(7, rule, 100);
    const other = await statusesOf(8, rule, 100);
    expect(first).to.deep.equal(second);
    expect(first).to.not.deep.equal(other);
    const failures = first.filter((status) => status === 503).length;
    expect(failures).to.be.within(8, 35);
  });

  it("fails only the Nth matching call", async () => {
    sim.setFaults([{ kind: "error", method: "GET", path: "/items", nth: 2 }]);
    const statuses = [(await lookup()).status, (await lookup()).status, (await lookup()).status];
    expect(statuses).to.deep.equal([200, 500, 200]);
  });

  it("stops after `times` applications", async () => {
    sim.setFaults([{ kind: "error", times: 2 }]);
    const statuses = [(await lookup()).status, (await lookup()).status, (await lookup()).status];
    expect(statuses).to.deep.equal([500, 500, 200]);
  });

  it("matches faults by method and institution", async () => {
    sim.setFaults([{ kind: "error", method: "POST", institution: "01AAA_AB" }]);
    expect((await lookup()).status).to.equal(200);
    const abGet = await callAlma(sim, "GET", "/conf/libraries", { as: "01AAA_AB" });
    expect(abGet.status).to.equal(200);
    const abPost = await callAlma(sim, "POST", "/bibs/test", { as: "01AAA_AB" });
    expect(abPost.status).to.equal(500);
  });

  it("resets the connection without an answer, and changes nothing before the handler ran", async () => {
    sim.setFaults([{ kind: "reset", method: "POST" }]);
    const item = sim.institution("01AAA_AB").items[1]!;
    let failure: unknown;
    try {
      await callAlma(sim, "POST", "/users/01AAA_AB-ABRS/loans", {
        query: { item_pid: item.pid },
        json: LOAN_BODY,
      });
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(TypeError);
    expect(sim.calls[0]).to.include({ status: null, fault: "reset" });
    expect(sim.institution("01AAA_RS").loans).to.have.length(1);
  });

  it("with phase after, carries out the write and then resets the connection", async () => {
    const holding = sim.institution("01AAA_RS").holdings[0]!;
    sim.setFaults([{ kind: "reset", method: "POST", phase: "after" }]);
    let failed = false;
    try {
      await callAlma(sim, "POST", `/bibs/${holding.mms_id}/holdings/${holding.holding_id}/items`, {
        json: { item_data: { barcode: "31234000123457X" } },
      });
    } catch {
      failed = true;
    }
    expect(failed).to.equal(true);
    expect(sim.calls[0]?.fault).to.equal("reset:after");
    expect(sim.institution("01AAA_RS").items.map((item) => item.item_data.barcode)).to.include(
      "31234000123457X",
    );
  });

  it("with phase after, answers 500 although the write happened", async () => {
    const holding = sim.institution("01AAA_RS").holdings[0]!;
    sim.setFaults([{ kind: "error", method: "POST", phase: "after" }]);
    const answer = await callAlma(
      sim,
      "POST",
      `/bibs/${holding.mms_id}/holdings/${holding.holding_id}/items`,
      {
        json: { item_data: { barcode: "31234000123457X" } },
      },
    );
    expect(answer.status).to.equal(500);
    expect(sim.institution("01AAA_RS").items).to.have.length(2);
  });

  it("times out: the call is carried out but answered only after N ms", async () => {
    const rs = sim.institution("01AAA_RS");
    const holding = rs.holdings[0]!;
    const created = await callAlma(
      sim,
      "POST",
      `/bibs/${holding.mms_id}/holdings/${holding.holding_id}/items`,
      {
        json: { item_data: { barcode: "31234000123457X" } },
      },
    );
    sim.setFaults([{ kind: "timeout", ms: 5000, path: "/loans$" }]);
    const started = performance.now();
    let aborted: unknown;
    try {
      await fetch(`${sim.url}/almaws/v1/users/01AAA_AB-ABRS/loans?item_pid=${created.body.item_data.pid}`, {
        method: "POST",
        headers: {
          Authorization: `apikey ${rs.apikey}`,
          Accept: "application/json",
          "Content-Type": "application/json",
        },
        body: JSON.stringify(LOAN_BODY),
        signal: AbortSignal.timeout(150),
      });
    } catch (error) {
      aborted = error;
    }
    expect(aborted).to.be.instanceOf(DOMException);
    expect(performance.now() - started).to.be.below(2000);
    const loans = rs.loans.filter((loan) => loan.item_barcode === "31234000123457X");
    expect(loans, "Alma carried the loan out").to.have.length(1);
    expect(sim.callsTo("POST", /loans$/)[0]?.fault).to.equal("timeout:5000ms");
  });

  it("answers a timed-out call once the delay is over when the client waits", async () => {
    sim.setFaults([{ kind: "timeout", ms: 80 }]);
    const started = performance.now();
    const answer = await lookup();
    expect(answer.status).to.equal(200);
    expect(performance.now() - started).to.be.at.least(70);
    expect(sim.calls[0]?.status).to.equal(200);
  });

  it("rejects a malformed fault rule", () => {
    expect(() => sim.setFaults([{ kind: "latency" }])).to.throw(/latency needs ms/);
    expect(() => sim.setFaults([{ kind: "error", rate: 2 }])).to.throw();
  });
});

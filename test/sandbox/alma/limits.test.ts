import { expect } from "chai";
import { defaultFixture, startAlmaSimulator, type AlmaSimulator } from "../../../src/sandbox/alma/index.js";
import { callAlma, firstError, type InstitutionCode } from "./call-alma.js";

describe("Alma simulator: rate limit and daily budget", () => {
  let sim: AlmaSimulator;
  const clock = { now: Date.UTC(2025, 2, 10, 23, 59, 0) };

  afterEach(async () => {
    await sim.stop();
  });

  function ping(as: InstitutionCode = "01AAA_RS") {
    return callAlma(sim, "GET", "/conf/libraries", { as });
  }

  it("answers 429 PER_SECOND_THRESHOLD above 25 calls in one second of the simulator's clock", async () => {
    sim = await startAlmaSimulator({ rateLimitPerSecond: 25, now: () => clock.now });
    for (let index = 0; index < 25; index += 1) expect((await ping()).status).to.equal(200);
    const refused = await ping();
    expect(refused.status).to.equal(429);
    expect(firstError(refused).errorCode).to.equal("PER_SECOND_THRESHOLD");
    clock.now += 999;
    expect((await ping()).status, "still inside the window").to.equal(429);
    clock.now += 1;
    expect((await ping()).status, "the first second's calls have left the window").to.equal(200);
  });

  it("counts each institution separately", async () => {
    sim = await startAlmaSimulator({ rateLimitPerSecond: 3, now: () => clock.now });
    for (let index = 0; index < 3; index += 1) await ping();
    expect((await ping()).status).to.equal(429);
    expect((await ping("01AAA_AB")).status).to.equal(200);
  });

  it("logs refused calls with their status and error code, and they use no budget", async () => {
    sim = await startAlmaSimulator({ rateLimitPerSecond: 2, dailyBudget: 10, now: () => clock.now });
    await ping();
    await ping();
    const refused = await ping();
    expect(refused.headers.get("x-exl-api-remaining")).to.equal("8");
    const statuses = sim.calls.map((call) => [call.status, call.errorCode ?? null]);
    expect(statuses).to.deep.equal([
      [200, null],
      [200, null],
      [429, "PER_SECOND_THRESHOLD"],
    ]);
    expect(sim.callsTo("GET", /conf\/libraries/)).to.have.length(3);
    expect(sim.remaining("01AAA_RS")).to.equal(8);
  });

  it("sends X-Exl-Api-Remaining on every answer, errors included", async () => {
    sim = await startAlmaSimulator({ dailyBudget: 1000, now: () => clock.now });
    expect((await ping()).headers.get("x-exl-api-remaining")).to.equal("999");
    const notFound = await callAlma(sim, "GET", "/items", { query: { item_barcode: "none" } });
    expect(notFound.status).to.equal(400);
    expect(notFound.headers.get("x-exl-api-remaining")).to.equal("998");
  });

  it("answers 429 DAILY_THRESHOLD once the budget is spent, until the next day", async () => {
    sim = await startAlmaSimulator({ dailyBudget: 3, now: () => clock.now });
    const remaining: (string | null)[] = [];
    for (let index = 0; index < 3; index += 1) {
      clock.now += 1000;
      remaining.push((await ping()).headers.get("x-exl-api-remaining"));
    }
    expect(remaining).to.deep.equal(["2", "1", "0"]);
    clock.now += 1000;
    const refused = await ping();
    expect(refused.status).to.equal(429);
    expect(firstError(refused).errorCode).to.equal("DAILY_THRESHOLD");
    expect(refused.headers.get("x-exl-api-remaining")).to.equal("0");
    expect((await ping("01AAA_AB")).status, "other institutions have their own budget").to.equal(200);
    clock.now = Date.UTC(2025, 2, 11, 0, 0, 1);
    const nextDay = await ping();
    expect(nextDay.status).to.equal(200);
    expect(nextDay.headers.get("x-exl-api-remaining")).to.equal("2");
  });

  it("takes an institution's own daily budget from the fixture", async () => {
    const fixture = structuredClone(defaultFixture);
    fixture.institutions.find((institution) => institution.code === "01AAA_AB")!.daily_budget = 1;
    sim = await startAlmaSimulator({ fixture, dailyBudget: 1000, now: () => clock.now });
    expect((await ping("01AAA_AB")).status).to.equal(200);
    expect((await ping("01AAA_AB")).status).to.equal(429);
    expect((await ping()).headers.get("x-exl-api-remaining")).to.equal("999");
  });

  it("records the simulator's clock on each call, so a burst's duration can be read from the log", async () => {
    sim = await startAlmaSimulator({ rateLimitPerSecond: 25, now: () => clock.now });
    const start = clock.now;
    for (let index = 0; index < 50; index += 1) {
      if (index === 25) clock.now += 1000;
      await ping();
    }
    const times = sim.calls.map((call) => call.time);
    expect(times[0]).to.equal(start);
    expect(times.at(-1)! - times[0]!).to.equal(1000);
    expect(sim.calls.every((call) => call.status === 200)).to.equal(true);
  });
});

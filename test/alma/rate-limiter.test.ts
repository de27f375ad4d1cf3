import { expect } from "chai";
import { RateLimiter, RateLimiters } from "../../src/alma/rate-limiter.js";
import { busiestWindow } from "./helpers/schedule.js";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("rate limiter", () => {
  it("releases 100 calls at 25 a second: never 26 in one second, spread over at least 4 s of limiter time", async () => {
    // 1 limiter second = 40 ms of wall time, so 4 limiter seconds take about 0.2 s.
    const limiter = new RateLimiter({ perSecond: 25, secondMs: 40 });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, index) => limiter.schedule(() => Promise.resolve(index))),
    );
    expect(results).to.deep.equal(Array.from({ length: 100 }, (_, index) => index));
    const releases = limiter.releaseLog();
    expect(releases).to.have.length(100);
    expect(limiter.released).to.equal(100);
    expect(busiestWindow(releases, 1000)).to.be.at.most(25);
    expect(releases.at(-1)! - releases[0]! + 1000).to.be.at.least((100 / 25) * 1000);
  });

  it("releases calls in the order they were scheduled, spaced rather than in one burst", async () => {
    const limiter = new RateLimiter({ perSecond: 10, secondMs: 50 });
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, index) => limiter.schedule(() => Promise.resolve(order.push(index)))),
    );
    expect(order).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const releases = limiter.releaseLog();
    const gaps = releases.slice(1).map((time, index) => time - releases[index]!);
    // One call per 1/10 s, stretched by the 4 % margin: 104 limiter ms apart (less a timer's rounding).
    expect(Math.min(...gaps)).to.be.at.least(80);
  });

  it("keeps a slow call's place in the window until its answer, then for one more window", async () => {
    const limiter = new RateLimiter({ perSecond: 2, secondMs: 20 });
    let answeredAt = 0;
    const slow = limiter.schedule(async () => {
      await pause(60); // 3 limiter seconds
      answeredAt = limiter.clock();
    });
    const quick = limiter.schedule(() => Promise.resolve());
    const third = limiter.schedule(() => Promise.resolve());
    await Promise.all([slow, quick, third]);
    const releases = limiter.releaseLog();
    expect(releases).to.have.length(3);
    expect(releases[2]! - answeredAt).to.be.at.least(limiter.windowMs - 1);
  });

  it("counts a call's place from when its request was sent, not from its slow answer", async () => {
    const limiter = new RateLimiter({ perSecond: 2, secondMs: 20 });
    let sentAt = 0;
    let answeredAt = 0;
    const slow = limiter.schedule(async (sent) => {
      sentAt = limiter.clock();
      sent();
      await pause(60); // 3 limiter seconds before the answer
      answeredAt = limiter.clock();
    });
    const quick = limiter.schedule(() => Promise.resolve());
    const third = limiter.schedule(() => Promise.resolve());
    await Promise.all([slow, quick, third]);
    const releases = limiter.releaseLog();
    expect(releases[2]! - sentAt).to.be.at.least(limiter.windowMs - 1);
    expect(releases[2]!, "the third call did not wait for the slow answer").to.be.below(answeredAt);
  });

  it("stops holding a call's place after holdAtMostMs, so one slow answer does not stall the others", async () => {
    const limiter = new RateLimiter({ perSecond: 1, secondMs: 20, holdAtMostMs: 20 });
    let release: () => void = () => {};
    const stuck = limiter.schedule(() => new Promise<void>((resolve) => (release = resolve)));
    await limiter.schedule(() => Promise.resolve());
    const releases = limiter.releaseLog();
    expect(releases).to.have.length(2);
    // Held for one limiter second (20 ms) at most, then one window: about 2.04 limiter seconds.
    expect(releases[1]! - releases[0]!).to.be.within(2000, 6000);
    release();
    await stuck;
  });

  it("reads its clock from the injected source, in limiter milliseconds", () => {
    let wall = 5_000;
    const limiter = new RateLimiter({ perSecond: 25, secondMs: 100, now: () => wall });
    expect(limiter.clock()).to.equal(0);
    wall += 50;
    expect(limiter.clock()).to.equal(500);
  });

  it("keeps only the newest releases in its log but counts them all", async () => {
    const limiter = new RateLimiter({ perSecond: 100, logSize: 3 });
    for (let index = 0; index < 5; index += 1) await limiter.schedule(() => Promise.resolve(index));
    expect(limiter.releaseLog()).to.have.length(3);
    expect(limiter.released).to.equal(5);
  });

  it("passes a task's failure through and goes on with the next call", async () => {
    const limiter = new RateLimiter({ perSecond: 25 });
    let caught: unknown;
    try {
      await limiter.schedule(() => Promise.reject(new Error("boom")));
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).message).to.equal("boom");
    expect(await limiter.schedule(() => Promise.resolve("next"))).to.equal("next");
  });

  it("rejects the calls still waiting when its signal aborts", async () => {
    const controller = new AbortController();
    const limiter = new RateLimiter({ perSecond: 1, secondMs: 1000, signal: controller.signal });
    const first = limiter.schedule(() => Promise.resolve("first"));
    const waiting = limiter.schedule(() => Promise.resolve("second"));
    expect(await first).to.equal("first");
    controller.abort(new Error("stopped"));
    let caught: unknown;
    try {
      await waiting;
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).message).to.equal("stopped");
  });

  it("gives every client of an institution the same limiter, and each institution its own", () => {
    const limiters = new RateLimiters({ perSecond: 25 });
    expect(limiters.for("01AAA_AB")).to.equal(limiters.for("01AAA_AB"));
    expect(limiters.for("01AAA_AB")).not.to.equal(limiters.for("01AAA_RS"));
  });
});

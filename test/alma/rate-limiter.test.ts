import { expect } from "chai";
import { RateLimiter, RateLimiters } from "../../src/alma/rate-limiter.js";
import { busiestWindow } from "./helpers/schedule.js";

describe("rate limiter", () => {
  it("releases 100 calls at 25 a second: never 26 in one second, spread over at least 4 s of limiter time", async () => {
    // 1 limiter second = 40 ms of wall time, so 4 limiter seconds take about 0.17 s.
    const limiter = new RateLimiter({ perSecond: 25, secondMs: 40 });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, index) => limiter.schedule(() => Promise.resolve(index))),
    );
    expect(results).to.deep.equal(Array.from({ length: 100 }, (_, index) => index));
    const releases = limiter.releaseLog();
    expect(releases).to.have.length(100);
    expect(limiter.released).to.equal(100);
    expect(busiestWindow(releases, 1000)).to.be.at.most(25);
    // 100 calls at 25/s occupy 4 one-second windows: from the first release to one window after the last.
    expect(releases.at(-1)! - releases[0]! + 1000).to.be.at.least((100 / 25) * 1000);
  });

  it("lets a first burst of `perSecond` calls through at once", async () => {
    const limiter = new RateLimiter({ perSecond: 5, secondMs: 1000 });
    await Promise.all(Array.from({ length: 5 }, () => limiter.schedule(() => Promise.resolve())));
    const releases = limiter.releaseLog();
    expect(releases.at(-1)! - releases[0]!).to.be.below(1000);
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

  it("passes a task's failure through", async () => {
    const limiter = new RateLimiter({ perSecond: 25 });
    let caught: unknown;
    try {
      await limiter.schedule(() => Promise.reject(new Error("boom")));
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).message).to.equal("boom");
  });

  it("gives every client of an institution the same limiter, and each institution its own", () => {
    const limiters = new RateLimiters({ perSecond: 25 });
    expect(limiters.for("01AAA_AB")).to.equal(limiters.for("01AAA_AB"));
    expect(limiters.for("01AAA_AB")).not.to.equal(limiters.for("01AAA_RS"));
  });
});

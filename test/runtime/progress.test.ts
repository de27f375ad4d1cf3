import { expect } from "chai";
import { PassThrough } from "node:stream";
import { createProgress } from "../../src/runtime/progress.js";

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; output: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  Object.assign(stream, {
    isTTY,
    columns: 100,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  });
  return { stream, output: () => text };
}

describe("progress display", () => {
  it("draws a bar with counts on a terminal", () => {
    const { stream, output } = fakeStream(true);
    const progress = createProgress({ stream });
    progress.start(10, "items");
    progress.increment(3);
    progress.stop();
    expect(output()).to.contain("items");
    expect(output()).to.contain("3/10");
  });

  it("draws the rate of items per second since the start", () => {
    const { stream, output } = fakeStream(true);
    const realNow = Date.now;
    let now = 1_000_000;
    Date.now = () => now;
    try {
      const progress = createProgress({ stream });
      progress.start(10, "items");
      now += 2_000;
      progress.increment(5);
      progress.stop();
    } finally {
      Date.now = realNow;
    }
    expect(output()).to.contain("5/10 2.5/s");
  });

  it("writes nothing when stderr is not a terminal (cron)", () => {
    const { stream, output } = fakeStream(false);
    const progress = createProgress({ stream });
    progress.start(10, "items");
    progress.increment(3);
    progress.stop();
    expect(output()).to.equal("");
  });

  it("writes nothing with --quiet even on a terminal", () => {
    const { stream, output } = fakeStream(true);
    const progress = createProgress({ stream, quiet: true });
    progress.start(10, "items");
    progress.increment();
    progress.stop();
    expect(output()).to.equal("");
  });
});

import { expect } from "chai";
import { AlmaError, AlmaNetworkError, AlmaWriteUncertainError } from "../../src/alma/errors.js";
import { writeOnce } from "../../src/alma/write-once.js";

const context = { institution: "01AAA_RS", method: "POST", path: "/almaws/v1/users/U/loans", retries: 0 };
const uncertain = () =>
  new AlmaWriteUncertainError(context, new AlmaNetworkError(context, "ETIMEDOUT", "ETIMEDOUT"));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("writeOnce (look, then write)", () => {
  it("returns the write's answer and never looks when the write succeeds", async () => {
    const steps: string[] = [];
    const result = await writeOnce({
      write: () => (steps.push("write"), Promise.resolve("created")),
      lookup: () => (steps.push("lookup"), Promise.resolve("found")),
    });
    expect(result).to.equal("created");
    expect(steps).to.deep.equal(["write"]);
  });

  it("after an uncertain write, returns what the look-up finds and does not write again", async () => {
    const steps: string[] = [];
    const result = await writeOnce({
      write: () => (steps.push("write"), Promise.reject(uncertain())),
      lookup: () => (steps.push("lookup"), Promise.resolve("found")),
    });
    expect(result).to.equal("found");
    expect(steps).to.deep.equal(["write", "lookup"]);
  });

  it("writes again only when the look-up shows nothing was written", async () => {
    const steps: string[] = [];
    const result = await writeOnce({
      write: () => {
        steps.push("write");
        return steps.length === 1 ? Promise.reject(uncertain()) : Promise.resolve("created");
      },
      lookup: () => (steps.push("lookup"), Promise.resolve(undefined)),
      pause: (attempt) => (steps.push(`pause ${attempt}`), Promise.resolve()),
    });
    expect(result).to.equal("created");
    expect(steps).to.deep.equal(["write", "pause 1", "lookup", "write"]);
  });

  it("gives up after `attempts` uncertain writes with the uncertain error", async () => {
    let writes = 0;
    const error = await rejection(
      writeOnce({
        write: () => ((writes += 1), Promise.reject(uncertain())),
        lookup: () => Promise.resolve(undefined),
        attempts: 2,
      }),
    );
    expect(error).to.be.instanceOf(AlmaWriteUncertainError);
    expect(writes).to.equal(2);
  });

  it("passes other failures through without a look-up", async () => {
    let lookups = 0;
    const refusal = new AlmaError(
      400,
      context,
      [{ errorCode: "401153", errorMessage: "Item already on loan" }],
      true,
    );
    const error = await rejection(
      writeOnce({
        write: () => Promise.reject(refusal),
        lookup: () => ((lookups += 1), Promise.resolve("x")),
      }),
    );
    expect(error).to.equal(refusal);
    expect(lookups).to.equal(0);
  });

  it("asks `giveUp` after each uncertain write that the look-up shows did not happen", async () => {
    const asked: number[] = [];
    let writes = 0;
    const error = await rejection(
      writeOnce({
        write: () => ((writes += 1), Promise.reject(uncertain())),
        lookup: () => Promise.resolve(undefined),
        giveUp: (attempt) => (asked.push(attempt), attempt >= 4),
      }),
    );
    expect(error).to.be.instanceOf(AlmaWriteUncertainError);
    expect(asked).to.deep.equal([1, 2, 3, 4]);
    expect(writes).to.equal(4);
  });
});

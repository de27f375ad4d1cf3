import { expect } from "chai";
import { chooseLevel } from "../../src/cli/session.js";
import { UsageError } from "../../src/runtime/errors.js";

describe("log level choice", () => {
  it("takes --log-level before LOG_LEVEL before the configuration", () => {
    expect(chooseLevel({ logLevel: "debug" }, { LOG_LEVEL: "error" }, "warn")).to.equal("debug");
    expect(chooseLevel({}, { LOG_LEVEL: "ERROR" }, "warn")).to.equal("error");
    expect(chooseLevel({}, {}, "warn")).to.equal("warn");
  });

  it("keeps only errors with --quiet when nothing else chose", () => {
    expect(chooseLevel({ quiet: true }, {})).to.equal("error");
  });

  it("rejects an unknown LOG_LEVEL naming the allowed ones", () => {
    expect(() => chooseLevel({}, { LOG_LEVEL: "verbose" })).to.throw(UsageError, "error, warn, info, debug");
  });
});

import { expect } from "chai";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import winston from "winston";
import DailyRotateFile from "winston-daily-rotate-file";
import { chooseFileLevel, chooseLevel, openSession } from "../../src/cli/session.js";
import { closeLogger, type Logger } from "../../src/runtime/logger.js";
import { UsageError } from "../../src/runtime/errors.js";
import { repoRoot } from "../helpers/cli.js";
import { makeTempDir } from "../helpers/temp-dir.js";

/** The levels of a logger's stderr and file transports. */
function transportLevels(logger: Logger): { stderr?: string; file?: string } {
  return {
    stderr: logger.transports.find((t) => t instanceof winston.transports.Console)?.level,
    file: logger.transports.find((t) => t instanceof DailyRotateFile)?.level,
  };
}

describe("log level choice", () => {
  it("takes --log-level before LOG_LEVEL before the configuration", () => {
    expect(chooseLevel({ logLevel: "debug" }, { LOG_LEVEL: "error" }, "warn")).to.equal("debug");
    expect(chooseLevel({}, { LOG_LEVEL: "ERROR" }, "warn")).to.equal("error");
    expect(chooseLevel({}, {}, "warn")).to.equal("warn");
  });

  it("keeps only errors with --quiet when nothing else chose", () => {
    expect(chooseLevel({ quiet: true }, {})).to.equal("error");
  });

  it("keeps only errors on stderr with --quiet whatever level the configuration sets", () => {
    expect(chooseLevel({ quiet: true }, {}, "info")).to.equal("error");
    expect(chooseLevel({ quiet: true }, {}, "debug")).to.equal("error");
  });

  it("lets --log-level and LOG_LEVEL, but not the configuration, override --quiet", () => {
    expect(chooseLevel({ quiet: true, logLevel: "info" }, {}, "warn")).to.equal("info");
    expect(chooseLevel({ quiet: true }, { LOG_LEVEL: "debug" }, "warn")).to.equal("debug");
  });

  it("keeps the configuration's level for the log file under --quiet", () => {
    expect(chooseFileLevel({ quiet: true }, {}, "debug")).to.equal("debug");
    expect(chooseFileLevel({ quiet: true, logLevel: "warn" }, {}, "debug")).to.equal("warn");
    expect(chooseFileLevel({ quiet: true }, {})).to.equal(undefined);
  });

  it("rejects an unknown LOG_LEVEL naming the allowed ones", () => {
    expect(() => chooseLevel({}, { LOG_LEVEL: "verbose" })).to.throw(UsageError, "error, warn, info, debug");
  });

  it("ships a conf.example.json whose log.level keeps cron mail to warnings and errors", async () => {
    const example = JSON.parse(await readFile(path.join(repoRoot, "conf.example.json"), "utf8")) as {
      log: { level?: "error" | "warn" | "info" | "debug" };
    };
    expect(["error", "warn", undefined]).to.include(chooseLevel({}, {}, example.log.level));
  });
});

describe("session logger", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let configFile: string;
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    configFile = path.join(dir, "conf.json");
    await writeFile(configFile, JSON.stringify({ state_dir: "state", log: { level: "debug" } }));
  });
  afterEach(() => cleanup());

  it("writes only errors to stderr with --quiet while the file follows the configuration's level", async () => {
    const session = await openSession({ config: configFile, quiet: true }, {});
    try {
      expect(transportLevels(session.logger)).to.deep.equal({ stderr: "error", file: "debug" });
    } finally {
      await closeLogger(session.logger);
    }
  });

  it("follows the configuration's level on stderr without --quiet, the file getting at least info", async () => {
    await writeFile(configFile, JSON.stringify({ state_dir: "state", log: { level: "warn" } }));
    const session = await openSession({ config: configFile }, {});
    try {
      expect(transportLevels(session.logger)).to.deep.equal({ stderr: "warn", file: "info" });
    } finally {
      await closeLogger(session.logger);
    }
  });
});

import { expect } from "chai";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { closeLogger, createLogger, type Logger } from "../../src/runtime/logger.js";
import { Redactor } from "../../src/runtime/redactor.js";
import { makeTempDir } from "../helpers/temp-dir.js";

const SECRETS = {
  apikey: "l8xx0123456789abcdef",
  password: "ftp-Pa55word!",
  webhook: "whsec-very-secret",
  caiasoft: "caia-key-4242",
};

/** The JSON records of the one log file in `dir`, once the logger has written them. */
async function logLines(logger: Logger, dir: string): Promise<Record<string, unknown>[]> {
  await closeLogger(logger);
  const files = (await readdir(dir)).filter((name) => name.endsWith(".log"));
  expect(files).to.have.length(1);
  const text = await readFile(path.join(dir, files[0]!), "utf8");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("log redaction", () => {
  it("keeps every kind of secret out of the log file, whatever way it is logged", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const redactor = new Redactor(Object.values(SECRETS));
      const logger = createLogger({ level: "debug", folder: dir, redactor, console: false });
      logger.info(
        `GET https://api-na.hosted.exlibrisgroup.com/almaws/v1/items?item_barcode=1&apikey=${SECRETS.apikey}`,
      );
      logger.info("calling Alma", { headers: { Authorization: `apikey ${SECRETS.apikey}` } });
      logger.debug(`login as alma with password ${SECRETS.password}`);
      logger.warn("config", { ftp_server: { password: SECRETS.password }, webhook_secret: SECRETS.webhook });
      logger.error(new Error(`CaiaSoft refused X-API-Key: ${SECRETS.caiasoft}`));
      logger.info("url", { url: `sftp://alma:${SECRETS.password}@files.example.edu/conf.json` });
      logger.info("an unregistered key in a query string", {
        url: "https://x.example/a?apikey=unregistered-key-77",
      });
      logger.info("header text Authorization: apikey unregistered-key-88");
      await closeLogger(logger);
      const files = (await readdir(dir)).filter((name) => name.endsWith(".log"));
      expect(files).to.have.length(1);
      const text = await readFile(path.join(dir, files[0]!), "utf8");
      expect(text.split("\n").filter(Boolean)).to.have.length(8);
      for (const secret of [...Object.values(SECRETS), "unregistered-key-77", "unregistered-key-88"]) {
        expect(text, secret).not.to.contain(secret);
      }
      expect(text).to.contain("***");
    } finally {
      await cleanup();
    }
  });

  it("stamps each line of the log file with the process id, to tell overlapping runs apart", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const logger = createLogger({ level: "info", folder: dir, redactor: new Redactor(), console: false });
      logger.info("one");
      logger.warn("two");
      const lines = await logLines(logger, dir);
      expect(lines.map((line) => [line.message, line.pid])).to.deep.equal([
        ["one", process.pid],
        ["two", process.pid],
      ]);
    } finally {
      await cleanup();
    }
  });

  it("masks top-level fields named like secrets, given as meta, in a log() record or by a child logger", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const logger = createLogger({ level: "debug", folder: dir, redactor: new Redactor(), console: false });
      logger.info("calling Alma", { Authorization: "apikey unregistered-key-01" });
      logger.log({ level: "info", message: "raw record", apikey: "unregistered-key-02" });
      logger.child({ password: "unregistered-key-03" }).info("as a child");
      logger.warn("webhook", {
        webhook_secret: "unregistered-key-04",
        token: "unregistered-key-05",
        user: "alma",
      });
      const lines = await logLines(logger, dir);
      expect(lines).to.have.length(4);
      expect(lines[0]).to.include({ Authorization: "***", message: "calling Alma" });
      expect(lines[1]).to.include({ apikey: "***", message: "raw record" });
      expect(lines[2]).to.include({ password: "***", message: "as a child" });
      expect(lines[3]).to.include({ webhook_secret: "***", token: "***", user: "alma" });
    } finally {
      await cleanup();
    }
  });

  it("masks key=value and JSON-style secrets written in free text", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const logger = createLogger({ level: "debug", folder: dir, redactor: new Redactor(), console: false });
      logger.info("login failed with password=unregistered-key-11 for alma");
      logger.info('Alma answered {"apikey":"unregistered-key-12","code":"01AAA_AB"}');
      logger.info("conf api_key: unregistered-key-13 (CaiaSoft)");
      logger.info("profile secret=unregistered-key-14 token=unregistered-key-15");
      logger.info("ftp_server { password: 'unregistered-key-16' }");
      const text = (await logLines(logger, dir)).map((line) => line.message).join("\n");
      for (let n = 11; n <= 16; n += 1) expect(text).not.to.contain(`unregistered-key-${n}`);
      expect(text).to.equal(
        [
          "login failed with password=*** for alma",
          'Alma answered {"apikey":"***","code":"01AAA_AB"}',
          "conf api_key: *** (CaiaSoft)",
          "profile secret=*** token=***",
          "ftp_server { password: '***' }",
        ].join("\n"),
      );
    } finally {
      await cleanup();
    }
  });

  it("keeps a configuration problem about a secret key readable", () => {
    const redactor = new Redactor();
    expect(redactor.text("institutions[0].apikey: required")).to.equal("institutions[0].apikey: required");
    expect(redactor.text("remote_storage_apikey: required to call the SCF")).to.equal(
      "remote_storage_apikey: required to call the SCF",
    );
  });

  it("masks fields named like secrets in nested objects", () => {
    const redactor = new Redactor();
    expect(redactor.value({ a: { password: "x1", apikey: "k", user: "alma" } })).to.deep.equal({
      a: { password: "***", apikey: "***", user: "alma" },
    });
  });

  it("leaves ordinary text alone", () => {
    const redactor = new Redactor(["abcd1234"]);
    expect(redactor.text("created item 31234000123456X in RS/rs_shared")).to.equal(
      "created item 31234000123456X in RS/rs_shared",
    );
  });
});

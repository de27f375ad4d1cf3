import { expect } from "chai";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { closeLogger, createLogger } from "../../src/runtime/logger.js";
import { Redactor } from "../../src/runtime/redactor.js";
import { makeTempDir } from "../helpers/temp-dir.js";

const SECRETS = {
  apikey: "l8xx0123456789abcdef",
  password: "ftp-Pa55word!",
  webhook: "whsec-very-secret",
  caiasoft: "caia-key-4242",
};

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

import { expect } from "chai";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { closeLogger, createLogger } from "../../src/runtime/logger.js";
import { Redactor } from "../../src/runtime/redactor.js";
import { WebhookService } from "../../src/webhook/service.js";
import { computeSignature } from "../../src/webhook/signature.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import {
  call,
  loanReturned,
  postSigned,
  requestCanceled,
  SECRET,
  summaryFor,
  webhookConfig,
} from "./helpers.js";

describe("webhook log hygiene", () => {
  it("writes neither the secret, nor signatures, nor the patron data of a comment, even at debug", async () => {
    const { dir, cleanup } = await makeTempDir();
    const logs = path.join(dir, "logs");
    // No secret registered with the redactor: what is checked is that nothing logs it in the first place.
    const logger = createLogger({ level: "debug", folder: logs, redactor: new Redactor(), console: false });
    const service = await WebhookService.start({
      config: webhookConfig(dir),
      logger,
      port: 0,
      handlers: {
        jobEnd: {},
        scanIn: (_barcode, context) => summaryFor(context, "scan-in", { fail: "no desk" }),
        cancelRequest: (_input, context) => summaryFor(context, "cancel-request"),
      },
    });
    const url = `http://127.0.0.1:${service.address.port}/webhook`;
    const signatures: string[] = [];
    try {
      const comment =
        "Patron: Jane Doe, 21234000111111, jane.doe@example.edu, 12 College Street || request type: HOLD";
      for (const body of [loanReturned("h1", "1X"), requestCanceled("h2", { barcode: "2X", comment })]) {
        signatures.push(computeSignature(Buffer.from(body), SECRET));
        expect((await postSigned(url, body)).status).to.equal(200);
      }
      const forged = computeSignature(Buffer.from("other"), SECRET);
      signatures.push(forged);
      await call(url, { body: loanReturned("h3", "3X"), headers: { "X-Exl-Signature": forged } });
      await service.idle();
    } finally {
      await service.stop();
      await closeLogger(logger);
    }
    const files = await readdir(logs);
    const text = (await Promise.all(files.map((file) => readFile(path.join(logs, file), "utf8")))).join("");
    expect(text).to.contain("webhook event h2");
    expect(text).to.contain("wrong X-Exl-Signature");
    for (const secret of [SECRET, ...signatures, "Jane Doe", "jane.doe@example.edu", "College Street"]) {
      expect(text, secret).not.to.contain(secret);
    }
    await cleanup();
  });
});

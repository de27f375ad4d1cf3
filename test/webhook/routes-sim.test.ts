import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { AlmaSimulator } from "../../src/sandbox/alma/index.js";
import { createWebhookHandlers } from "../../src/webhook/handlers.js";
import { WebhookService } from "../../src/webhook/service.js";
import type { FailureRecord } from "../../src/webhook/spool.js";
import { memoryLogger, type LogEntry } from "../alma/helpers/memory-logger.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import {
  ABMAIN_DESK,
  ABRS_DESK,
  abBib,
  abRequest,
  DASHED_USER,
  simConfig,
  startSimulator,
} from "../scan-in/sim-fixture.js";
import { loanReturned, postSigned, requestCanceled, spoolFiles } from "./helpers.js";

const SECRET = "sim-webhook-secret-42";

describe("webhook routes onto the jobs, against the Alma simulator", () => {
  let sim: AlmaSimulator;
  let service: WebhookService;
  let dir: string;
  let cleanup: () => Promise<void>;
  let url: string;
  let logs: LogEntry[];

  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    sim = await startSimulator();
    const { logger, entries } = memoryLogger();
    logs = entries;
    service = await WebhookService.start({
      config: simConfig(dir, sim.url),
      logger,
      handlers: createWebhookHandlers(),
      port: 0,
    });
    url = `http://127.0.0.1:${service.address.port}/webhook`;
  });
  afterEach(async () => {
    await service.stop();
    await sim.stop();
    await cleanup();
  });

  const post = (body: string) => postSigned(url, body, SECRET);
  const ab = () => sim.institution("01AAA_AB");
  const scans = () =>
    sim.callsTo("POST", /\/items\/\d+$/, "01AAA_AB").filter((call) => call.query.op === "scan");
  const cancels = () => sim.callsTo("DELETE", /\/requests\//, "01AAA_AB");
  const status = (n: number) => ab().requests.find((r) => r.request_id === abRequest(n))!.request_status;

  it("LOAN_RETURNED from the SCF scans the home item in at its library and desk, temporary location included", async () => {
    expect((await post(loanReturned("L1", "31234000123456X"))).status).to.equal(200);
    expect((await post(loanReturned("L2", "31234000123457X"))).status).to.equal(200);
    await service.idle();
    expect(scans().map((call) => [call.query.library, call.query.circ_desk])).to.have.deep.members([
      ["ABRS", ABRS_DESK],
      ["ABMAIN", ABMAIN_DESK],
    ]);
    expect(await spoolFiles(service.config.webhook.spool_dir)).to.deep.equal([
      "done/L1.json",
      "done/L2.json",
    ]);
  });

  it("REQUEST_CANCELED by barcode cancels every request on the home item; none is no error", async () => {
    await post(requestCanceled("C1", { barcode: "31234000123456X" }));
    await post(requestCanceled("C2", { barcode: "31234000223344X" }));
    await service.idle();
    expect([status(1), status(2), status(3), status(4)]).to.deep.equal([
      "CANCELLED",
      "CANCELLED",
      "NOT_STARTED",
      "NOT_STARTED",
    ]);
    expect(await spoolFiles(service.config.webhook.spool_dir)).to.deep.equal([
      "done/C1.json",
      "done/C2.json",
    ]);
  });

  it("REQUEST_CANCELED by comment cancels through the bib (title level) or the user", async () => {
    await post(requestCanceled("T1", { comment: `x {Source Request 01AAA_AB-${abRequest(3)}-ab-jdoe}` }));
    await post(
      requestCanceled("U1", { comment: `{Source Request 01AAA_AB-${abRequest(4)}-${DASHED_USER}}` }),
    );
    await service.idle();
    expect(cancels().map((call) => call.path)).to.have.members([
      `/almaws/v1/bibs/${abBib(2)}/requests/${abRequest(3)}`,
      `/almaws/v1/users/${DASHED_USER}/requests/${abRequest(4)}`,
    ]);
    expect([status(3), status(4)]).to.deep.equal(["CANCELLED", "CANCELLED"]);
  });

  it("REQUEST_CANCELED whose source-request tag cannot be read cancels by its barcode, with a warning", async () => {
    await post(
      requestCanceled("B1", { comment: "{Source Request 01AAA_AB-123}", barcode: "31234000123456X" }),
    );
    await service.idle();
    expect([status(1), status(2), status(3), status(4)]).to.deep.equal([
      "CANCELLED",
      "CANCELLED",
      "NOT_STARTED",
      "NOT_STARTED",
    ]);
    expect(await spoolFiles(service.config.webhook.spool_dir)).to.deep.equal(["done/B1.json"]);
    expect(logs.filter((entry) => entry.level === "warn").map((entry) => entry.message)).to.deep.equal([
      "REQUEST_CANCELED event B1: its {Source Request …} tag cannot be read; cancelling by barcode 31234000123456X instead",
    ]);
  });

  it("a duplicate delivery makes no second call to Alma", async () => {
    const body = requestCanceled("D1", { barcode: "31234000123456X" });
    await post(body);
    await service.idle();
    const callsAfterFirst = sim.calls.length;
    expect((await post(body)).json()).to.deep.equal({ status: "duplicate", id: "D1" });
    await service.idle();
    expect(sim.calls.length).to.equal(callsAfterFirst);
    expect(cancels()).to.have.length(2);
  });

  it("events from a member institution call nothing; a return the SCF cannot match is set aside with its reason", async () => {
    await post(loanReturned("M1", "31234000123456X", "01AAA_AB"));
    await post(requestCanceled("M2", { barcode: "31234000123456X" }, "01AAA_AB"));
    await service.idle();
    expect(sim.calls).to.have.length(0);
    await post(loanReturned("F1", "77777777X"));
    await service.idle();
    const error = JSON.parse(
      await readFile(path.join(service.config.webhook.spool_dir, "failed", "F1.error.json"), "utf8"),
    ) as FailureRecord;
    expect(error.attempts).to.equal(1);
    expect(error.errors[0]!.message).to.equal("find SCF item: no item with barcode 77777777X in the SCF");
  });
});

import { expect } from "chai";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import {
  AB,
  BARCODES,
  JOB_IDS,
  REQUESTS,
  SCF,
  deliverWebhook,
  jobEndEvent,
  startSandbox,
  type Sandbox,
} from "../../../src/sandbox/consortium/index.js";
import { makeTempDir } from "../../helpers/temp-dir.js";
import { startCli, type RunningCli } from "./processes.js";

/** Polls until `condition` holds (or fails after `timeoutMs`). */
async function eventually(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("serve-webhook by hand against the sandbox's configuration", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let cleanup: () => Promise<void>;
  let listener: RunningCli;
  let base: string;
  let secret: string;

  before(async () => {
    const temp = await makeTempDir("alma-rs-sandbox-webhook-");
    cleanup = temp.cleanup;
    sandbox = await startSandbox({ dir: temp.dir });
    const configFile = path.join(temp.dir, "alma-rs.json");
    await writeFile(configFile, JSON.stringify(sandbox.config));
    base = `http://127.0.0.1:${sandbox.endpoints.webhook.port}`;
    secret = sandbox.endpoints.webhook.secret;
    listener = startCli(["--config", configFile, "serve-webhook"]);
    await eventually("the listener answers /health", async () => {
      const health = await fetch(`${base}/health`).catch(() => undefined);
      return health?.status === 200;
    });
  });
  after(async () => {
    await listener?.stop();
    await sandbox?.stop();
    await cleanup();
  });

  it("answers Alma's activation challenge on the configured port", async () => {
    const answer = await fetch(`${base}/webhook?challenge=sandbox-check`);
    expect(answer.status).to.equal(200);
    expect(await answer.json()).to.deep.equal({ challenge: "sandbox-check" });
  });

  it("a JOB_END of AB's publishing job runs sync-items: the new item is in the SCF", async () => {
    const status = await deliverWebhook(
      `${base}/webhook`,
      jobEndEvent(AB, JOB_IDS[AB].publishing_job_id),
      secret,
    );
    expect(status).to.equal(200);
    await eventually("31234000123457X in the SCF", () =>
      sandbox.alma.institution(SCF).items.some((item) => item.item_data.barcode === `${BARCODES.abNew}X`),
    );
  });

  it("a LOAN_RETURNED from the SCF's staff puts AB's item on the hold shelf for its patron", async () => {
    const event = await sandbox.scfStaff.returnLoan(`${BARCODES.abOnLoan}X`);
    expect(await deliverWebhook(`${base}/webhook`, event, secret)).to.equal(200);
    await eventually(
      "AB's request on the hold shelf",
      () =>
        sandbox.alma.institution(AB).requests.find((request) => request.request_id === REQUESTS.abWaitingHold)
          ?.request_status === "ON_HOLD_SHELF",
    );
  });

  it("refuses an event signed with another secret (401), and stops on SIGTERM with exit 0", async () => {
    const event = jobEndEvent(AB, JOB_IDS[AB].requests_job_id);
    expect(await deliverWebhook(`${base}/webhook`, event, "not-the-secret")).to.equal(401);
    expect(await listener.stop("SIGTERM")).to.equal(0);
  });
});

import { expect } from "chai";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { validateConfig } from "../../src/config/validate.js";
import { silentLogger } from "../../src/runtime/logger.js";
import {
  sftpConfigSection,
  startSftpServer,
  type RunningSftpServer,
} from "../../src/sandbox/transfer/index.js";
import { createWebhookHandlers } from "../../src/webhook/handlers.js";
import { WebhookService } from "../../src/webhook/service.js";
import type { FailureRecord } from "../../src/webhook/spool.js";
import { BARCODES, MEMBER, MEMBER_BIBS, REQUESTS } from "../send-requests/consortium.js";
import { exportXml, makeWorld, type World } from "../send-requests/world.js";
import { jobEnd, postSigned } from "./helpers.js";

const SECRET = "job-end-webhook-secret";
const PUBLISHING_JOB = "S987654321";
const REQUESTS_JOB = "S123456789";

describe("JOB_END onto the real jobs (Alma simulator, exports on an SFTP server)", function () {
  this.timeout(60_000);
  let world: World;
  let sftp: RunningSftpServer;
  let service: WebhookService | undefined;

  beforeEach(async () => {
    sftp = await startSftpServer();
    world = await makeWorld({
      config: (raw) => {
        raw.webhook_secret = SECRET;
        raw.webhook = { max_attempts: 2, retry_delay_ms: 0 };
        raw.ftp_server = sftpConfigSection(sftp);
        const member = (raw.institutions as Record<string, unknown>[])[0]!;
        member.publishing_job_id = PUBLISHING_JOB;
        member.requests_job_id = REQUESTS_JOB;
      },
    });
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await world.close();
    await sftp.close();
  });

  async function start(config = world.config): Promise<string> {
    service = await WebhookService.start({
      config,
      logger: silentLogger(),
      handlers: createWebhookHandlers(),
      port: 0,
    });
    return `http://127.0.0.1:${service.address.port}/webhook`;
  }

  it("a requests job's JOB_END runs send-requests: the export's request is created in the SCF, once", async () => {
    const requestsDir = path.join(sftp.root, "alma", MEMBER, "requests");
    await mkdir(requestsDir, { recursive: true });
    await writeFile(
      path.join(requestsDir, "requests_20240115_0900.xml"),
      exportXml([
        {
          requestType: "PATRON_PHYSICAL",
          requestId: REQUESTS.itemHold,
          barcode: BARCODES.available,
          mmsId: MEMBER_BIBS.origin,
          libraryCode: "ABRS",
        },
      ]),
    );
    const url = await start();
    expect(
      (await postSigned(url, jobEnd("je1", REQUESTS_JOB, "COMPLETED_SUCCESS", MEMBER), SECRET)).status,
    ).to.equal(200);
    await service!.idle();
    expect(world.scfRequests()).to.have.length(1);
    expect(await readdir(path.join(requestsDir, "OLD"))).to.deep.equal(["requests_20240115_0900.xml"]);
    // The next JOB_END finds nothing new to do.
    await postSigned(url, jobEnd("je2", REQUESTS_JOB, "COMPLETED_SUCCESS", MEMBER), SECRET);
    await service!.idle();
    expect(world.scfRequests()).to.have.length(1);
    expect(service!.spool.ids("done").sort()).to.deep.equal(["je1", "je2"]);
  });

  it("a publishing job's JOB_END reaches sync-items (a configuration it refuses is set aside at once)", async () => {
    const raw = { ...world.raw, ftp_server: undefined };
    const url = await start(validateConfig(raw, { source: "test", baseDir: world.dir }).config);
    await postSigned(url, jobEnd("je3", PUBLISHING_JOB, "COMPLETED_SUCCESS", MEMBER), SECRET);
    await service!.idle();
    const record = JSON.parse(
      await readFile(path.join(service!.config.webhook.spool_dir, "failed", "je3.error.json"), "utf8"),
    ) as FailureRecord;
    expect(record.attempts).to.equal(1);
    expect(record.errors[0]!.message).to.equal(
      "ftp_server: required to fetch publishing files (or give --file)",
    );
  });
});

import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { connect } from "node:net";
import path from "node:path";
import { ConfigError } from "../../src/config/config-error.js";
import type { Config } from "../../src/config/config.js";
import { silentLogger } from "../../src/runtime/logger.js";
import type { WebhookHandlers } from "../../src/webhook/dispatcher.js";
import { createWebhookListener } from "../../src/webhook/listener.js";
import { WebhookService } from "../../src/webhook/service.js";
import { computeSignature } from "../../src/webhook/signature.js";
import { repoRoot } from "../helpers/cli.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import {
  call,
  loanReturned,
  postSigned,
  SECRET,
  spoolFiles,
  summaryFor,
  until,
  webhookConfig,
} from "./helpers.js";

describe("webhook listener", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let service: WebhookService | undefined;
  let scanned: string[];
  let handlers: WebhookHandlers;

  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    scanned = [];
    handlers = {
      jobEnd: {},
      scanIn: (barcode, context) => {
        scanned.push(barcode);
        return summaryFor(context, "scan-in");
      },
    };
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await cleanup();
  });

  async function start(config: Config = webhookConfig(dir), insecure = false): Promise<string> {
    service = await WebhookService.start({
      config,
      logger: silentLogger(),
      handlers,
      port: 0,
      ...(insecure ? { insecureNoSignature: true } : {}),
    });
    return `http://127.0.0.1:${service.address.port}`;
  }

  const spoolDir = () => service!.config.webhook.spool_dir;

  it("echoes the activation challenge as JSON", async () => {
    const base = await start();
    const answer = await call(`${base}/webhook?challenge=${encodeURIComponent("a b&c=ü")}`);
    expect(answer.status).to.equal(200);
    expect(answer.json()).to.deep.equal({ challenge: "a b&c=ü" });
  });

  it("answers a GET without a challenge with 400", async () => {
    const base = await start();
    expect((await call(`${base}/webhook`)).status).to.equal(400);
  });

  it("accepts a well-signed event and spools its bytes exactly, newlines and non-ASCII included", async () => {
    const base = await start();
    const body = Buffer.from(
      '{\r\n  "id": "1452370645077141593",\n  "action": "NOTIFICATION",\n  "note": "Zoë – 東京 ✓\\n"\n}\n',
      "utf8",
    );
    const answer = await postSigned(`${base}/webhook`, body);
    expect(answer.status).to.equal(200);
    expect(answer.json()).to.deep.equal({ status: "accepted", id: "1452370645077141593" });
    await service!.idle();
    const stored = await readFile(path.join(spoolDir(), "done", "1452370645077141593.json"));
    expect(stored.equals(body)).to.be.true;
  });

  it("refuses a wrong signature with 401 and stores nothing", async () => {
    const base = await start();
    const body = loanReturned("1", "31234000123456X");
    const answer = await call(`${base}/webhook`, {
      body,
      headers: { "X-Exl-Signature": computeSignature(Buffer.from(body), "another-secret") },
    });
    expect(answer.status).to.equal(401);
    expect(await spoolFiles(spoolDir())).to.deep.equal([]);
    expect(scanned).to.deep.equal([]);
  });

  it("refuses a missing signature with 401 and stores nothing", async () => {
    const base = await start();
    const answer = await call(`${base}/webhook`, { body: loanReturned("1", "31234000123456X") });
    expect(answer.status).to.equal(401);
    expect(await spoolFiles(spoolDir())).to.deep.equal([]);
  });

  it("refuses a signature of other bytes (the body with its line breaks dropped, as the Java app read it)", async () => {
    const base = await start();
    const body = '{"id":"7",\n"action":"LOAN"}\n';
    const answer = await call(`${base}/webhook`, {
      body,
      headers: { "X-Exl-Signature": computeSignature(Buffer.from(body.replace(/\n/g, "")), SECRET) },
    });
    expect(answer.status).to.equal(401);
    expect(await spoolFiles(spoolDir())).to.deep.equal([]);
  });

  it("refuses a signature of another length without throwing", async () => {
    const base = await start();
    const answer = await call(`${base}/webhook`, {
      body: loanReturned("1", "1X"),
      headers: { "X-Exl-Signature": "c2hvcnQ=" },
    });
    expect(answer.status).to.equal(401);
  });

  it("refuses a body over the limit with 413 and stores nothing; a body at the limit is accepted", async () => {
    const config = webhookConfig(dir, { webhook: { body_limit_bytes: 200 } });
    const base = await start(config);
    const big = JSON.stringify({ id: "big", action: "LOAN", pad: "x".repeat(300) });
    const tooLarge = await postSigned(`${base}/webhook`, big);
    expect(tooLarge.status).to.equal(413);
    expect(await spoolFiles(spoolDir())).to.deep.equal([]);
    const base0 = JSON.stringify({ id: "fits", action: "X", pad: "" });
    const exact = JSON.stringify({
      id: "fits",
      action: "X",
      pad: "y".repeat(200 - Buffer.byteLength(base0)),
    });
    expect(Buffer.byteLength(exact)).to.equal(200);
    expect((await postSigned(`${base}/webhook`, exact)).status).to.equal(200);
  });

  it("refuses a body over the limit sent without Content-Length (chunked) with 413", async () => {
    const config = webhookConfig(dir, { webhook: { body_limit_bytes: 100 } });
    const base = await start(config);
    const body = Buffer.from(JSON.stringify({ id: "c", pad: "z".repeat(500) }));
    const answer = await call(`${base}/webhook`, {
      body,
      chunked: true,
      headers: { "X-Exl-Signature": computeSignature(body, SECRET) },
    }).catch((error: NodeJS.ErrnoException) => ({ status: -1, body: error.code ?? "" }));
    // The listener may close the socket before the client has written everything; either way nothing is stored.
    expect([413, -1]).to.include(answer.status);
    expect(await spoolFiles(spoolDir())).to.deep.equal([]);
  });

  it("stores nothing from a client that hangs up in the middle of its body, and goes on serving", async () => {
    const base = await start();
    const { port } = service!.address;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(
          "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n" +
            `X-Exl-Signature: ${computeSignature(Buffer.from("{}"), SECRET)}\r\n\r\n{"id":"cut"`,
          () => {
            socket.destroy();
            resolve();
          },
        );
      });
      socket.on("error", reject);
    });
    expect((await postSigned(`${base}/webhook`, loanReturned("after", "1X"))).status).to.equal(200);
    await service!.idle();
    expect(await spoolFiles(spoolDir())).to.deep.equal(["done/after.json"]);
  });

  it("answers malformed JSON with 400 and stores nothing", async () => {
    const base = await start();
    for (const body of ['{"id": "1", "action": ', "[1,2,3]", "null", Buffer.from([0x7b, 0xff, 0xfe, 0x7d])]) {
      const answer = await postSigned(`${base}/webhook`, body);
      expect(answer.status, String(body)).to.equal(400);
    }
    expect(await spoolFiles(spoolDir())).to.deep.equal([]);
  });

  it("refuses to start without a webhook_secret", async () => {
    const config = webhookConfig(dir, { webhook_secret: undefined });
    let error: unknown;
    try {
      await start(config);
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.match(/^webhook_secret is not set/);
  });

  it("accepts unsigned events without a secret only with --insecure-no-signature", async () => {
    const base = await start(webhookConfig(dir, { webhook_secret: undefined }), true);
    const answer = await call(`${base}/webhook`, { body: loanReturned("9", "31234000123456X") });
    expect(answer.status).to.equal(200);
    await service!.idle();
    expect(scanned).to.deep.equal(["31234000123456X"]);
    const health = (await call(`${base}/health`)).json() as { insecure: boolean };
    expect(health.insecure).to.be.true;
  });

  it("answers a duplicate delivery 200 without a second effect, while waiting and after processing", async () => {
    const base = await start();
    const body = loanReturned("555", "31234000123456X");
    const [first, second] = await Promise.all([
      postSigned(`${base}/webhook`, body),
      postSigned(`${base}/webhook`, body),
    ]);
    expect([first.json(), second.json()]).to.have.deep.members([
      { status: "accepted", id: "555" },
      { status: "duplicate", id: "555" },
    ]);
    await service!.idle();
    const third = await postSigned(`${base}/webhook`, body);
    expect(third.json()).to.deep.equal({ status: "duplicate", id: "555" });
    await service!.idle();
    expect(scanned).to.deep.equal(["31234000123456X"]);
    expect(await spoolFiles(spoolDir())).to.deep.equal(["done/555.json"]);
  });

  it("reports the spool on /health without secrets, and serves nothing else", async () => {
    const base = await start();
    await postSigned(`${base}/webhook`, loanReturned("1", "31234000123456X"));
    await service!.idle();
    const health = await call(`${base}/health`);
    expect(health.status).to.equal(200);
    const report = health.json() as Record<string, unknown>;
    expect(report).to.include({
      status: "ok",
      pending: 0,
      processing: 0,
      failed: 0,
      done: 1,
      insecure: false,
    });
    expect(report.oldest_pending_age_seconds).to.equal(null);
    expect(report.last_failure).to.equal(null);
    expect(health.body).not.to.contain(SECRET);
    expect((await call(`${base}/configuration`)).status).to.equal(404);
    expect((await call(`${base}/logger?level=debug`)).status).to.equal(404);
    expect((await call(`${base}/health`, { method: "POST", body: "{}" })).status).to.equal(404);
    expect((await call(`${base}/webhook`, { method: "PUT", body: "{}" })).status).to.equal(405);
  });

  it("checks signatures with the secret a reload brings, and keeps it when a reloaded configuration has none", async () => {
    const NEW_SECRET = "the-next-webhook-secret-4567";
    let next = webhookConfig(dir, { webhook_secret: NEW_SECRET });
    service = await WebhookService.start({
      config: webhookConfig(dir),
      logger: silentLogger(),
      handlers,
      port: 0,
      loadConfig: () => Promise.resolve(next),
    });
    const url = `http://127.0.0.1:${service.address.port}/webhook`;
    expect(await service.reload()).to.be.true;
    expect((await postSigned(url, loanReturned("k1", "1X"), SECRET)).status).to.equal(401);
    expect((await postSigned(url, loanReturned("k2", "2X"), NEW_SECRET)).status).to.equal(200);

    next = webhookConfig(dir, { webhook_secret: undefined });
    expect(await service.reload()).to.be.false;
    expect(service.config.webhook_secret).to.equal(NEW_SECRET);
    expect((await call(url, { body: loanReturned("k3", "3X") })).status).to.equal(401);
    expect((await postSigned(url, loanReturned("k4", "4X"), NEW_SECRET)).status).to.equal(200);
    await service.idle();
    expect(scanned.sort()).to.deep.equal(["2X", "4X"]);
  });

  it("reports on /health the events waiting and under way, and how long the oldest has waited", async () => {
    let clock = Date.parse("2026-03-02T08:00:00Z");
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    handlers.scanIn = async (_barcode, context) => {
      await held;
      return summaryFor(context, "scan-in");
    };
    service = await WebhookService.start({
      config: webhookConfig(dir, { max_number_of_threads: 1 }),
      logger: silentLogger(),
      handlers,
      port: 0,
      now: () => clock,
    });
    const base = `http://127.0.0.1:${service.address.port}`;
    try {
      for (const id of ["w1", "w2", "w3"]) await postSigned(`${base}/webhook`, loanReturned(id, `${id}X`));
      await until(() => service!.health().processing === 1);
      clock += 7_500;
      const report = (await call(`${base}/health`)).json() as Record<string, unknown>;
      expect(report).to.include({ pending: 2, processing: 1, done: 0 });
      expect(report.oldest_pending_age_seconds).to.equal(7.5);
    } finally {
      release();
    }
    await service.idle();
    expect((await call(`${base}/health`)).json()).to.include({
      pending: 0,
      processing: 0,
      done: 3,
      oldest_pending_age_seconds: null,
    });
  });

  it("keeps an idle connection open longer than nginx keeps its upstream ones", async () => {
    const server = createWebhookListener({
      settings: () => ({ insecureNoSignature: false, bodyLimitBytes: 1024 }),
      accept: () => Promise.reject(new Error("not in this test")),
      health: () => ({}),
      logger: silentLogger(),
    });
    const nginx = await readFile(path.join(repoRoot, "deploy/nginx.conf"), "utf8");
    const upstream = /upstream alma_rs_webhook \{[^}]*\}/.exec(nginx)?.[0] ?? "";
    const nginxIdleSeconds = Number(/^\s*keepalive_timeout (\d+)s;/m.exec(upstream)?.[1]);
    expect(nginxIdleSeconds).to.equal(60);
    expect(server.keepAliveTimeout).to.be.at.least(65_000);
    expect(server.keepAliveTimeout).to.be.greaterThan(nginxIdleSeconds * 1000);
    expect(server.headersTimeout).to.be.at.most(server.requestTimeout);
  });

  it("refuses to start a second listener on the same state folder", async () => {
    await start();
    let error: unknown;
    try {
      await WebhookService.start({ config: webhookConfig(dir), logger: silentLogger(), handlers, port: 0 });
    } catch (caught) {
      error = caught;
    }
    expect((error as Error).name).to.equal("LockedError");
  });
});

import { expect } from "chai";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import type { Config } from "../../src/config/config.js";
import { silentLogger } from "../../src/runtime/logger.js";
import type { CancelRequestInput } from "../../src/jobs/cancel-request/job.js";
import type { WebhookHandlers } from "../../src/webhook/dispatcher.js";
import { INTERRUPTED } from "../../src/webhook/processor.js";
import { WebhookService } from "../../src/webhook/service.js";
import { replayFailed, type FailureRecord } from "../../src/webhook/spool.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import {
  call,
  jobEnd,
  loanReturned,
  postSigned,
  requestCanceled,
  spoolFiles,
  summaryFor,
  until,
  webhookConfig,
} from "./helpers.js";

describe("webhook workers", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let service: WebhookService | undefined;
  let base: string;

  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await cleanup();
  });

  async function start(handlers: WebhookHandlers, config: Config = webhookConfig(dir)): Promise<void> {
    service = await WebhookService.start({ config, logger: silentLogger(), handlers, port: 0 });
    base = `http://127.0.0.1:${service.address.port}/webhook`;
  }
  const spoolDir = () => path.join(dir, "state", "webhook");

  it("retries an event whose run aborts and marks it done when a try succeeds", async () => {
    let tries = 0;
    await start({
      jobEnd: {},
      scanIn: (_barcode, context) => {
        tries += 1;
        return summaryFor(context, "scan-in", tries < 3 ? { abort: `Alma unreachable (try ${tries})` } : {});
      },
    });
    expect((await postSigned(base, loanReturned("e1", "31234000123456X"))).status).to.equal(200);
    await service!.idle();
    expect(tries).to.equal(3);
    expect(await spoolFiles(spoolDir())).to.deep.equal(["done/e1.json"]);
    expect(service!.health().last_failure).to.equal(null);
  });

  it("names in /health the event still in failed/, not one that failed a try and then succeeded", async () => {
    const tries = new Map<string, number>();
    await start({
      jobEnd: {},
      scanIn: (barcode, context) => {
        const n = (tries.get(barcode) ?? 0) + 1;
        tries.set(barcode, n);
        const gives = barcode === "31234000000001X" || n < 2;
        return summaryFor(
          context,
          "scan-in",
          gives ? { abort: `Alma unreachable (${barcode} try ${n})` } : {},
        );
      },
    });
    await postSigned(base, loanReturned("stuck", "31234000000001X"));
    await service!.idle();
    await postSigned(base, loanReturned("recovers", "31234000000002X"));
    await service!.idle();
    expect(await spoolFiles(spoolDir())).to.include.members(["done/recovers.json", "failed/stuck.json"]);
    expect(service!.health().last_failure).to.include({
      id: "stuck",
      message: "Alma unreachable (31234000000001X try 3)",
      final: true,
    });
  });

  it("moves an event to failed/ after max_attempts with every try's error beside it", async () => {
    let tries = 0;
    await start({
      jobEnd: {},
      scanIn: (_barcode, context) => {
        tries += 1;
        return summaryFor(context, "scan-in", { abort: `Alma unreachable (try ${tries})` });
      },
    });
    await postSigned(base, loanReturned("e2", "31234000123456X"));
    await service!.idle();
    expect(tries).to.equal(3);
    expect(await spoolFiles(spoolDir())).to.deep.equal(["failed/e2.error.json", "failed/e2.json"]);
    const record = JSON.parse(
      await readFile(path.join(spoolDir(), "failed/e2.error.json"), "utf8"),
    ) as FailureRecord;
    expect(record.attempts).to.equal(3);
    expect(record.errors.map((e) => e.message)).to.deep.equal([
      "Alma unreachable (try 1)",
      "Alma unreachable (try 2)",
      "Alma unreachable (try 3)",
    ]);
    const health = (await call(base.replace("/webhook", "/health"))).json() as Record<string, unknown>;
    expect(health).to.include({ status: "attention", failed: 1, pending: 0 });
    expect(health.last_failure).to.include({ id: "e2", message: "Alma unreachable (try 3)", final: true });
  });

  it("sets a one-record event aside at once when its record fails (a retry would fail the same way)", async () => {
    let tries = 0;
    await start({
      jobEnd: {},
      scanIn: (_barcode, context) => {
        tries += 1;
        return summaryFor(context, "scan-in", { fail: "no item with barcode 31234000123456 in 01AAA_AB" });
      },
    });
    await postSigned(base, loanReturned("e3", "31234000123456X"));
    await service!.idle();
    expect(tries).to.equal(1);
    const record = JSON.parse(
      await readFile(path.join(spoolDir(), "failed/e3.error.json"), "utf8"),
    ) as FailureRecord;
    expect(record.errors[0]!.message).to.equal("no item with barcode 31234000123456 in 01AAA_AB");
  });

  it("replays failed events: moved back, processed, their error files removed", async () => {
    let broken = true;
    await start({
      jobEnd: {},
      scanIn: (_barcode, context) =>
        summaryFor(context, "scan-in", broken ? { fail: "library has no desk" } : {}),
    });
    await postSigned(base, loanReturned("r1", "1X"));
    await postSigned(base, loanReturned("r2", "2X"));
    await service!.idle();
    expect(await spoolFiles(spoolDir())).to.have.length(4);
    broken = false;
    expect(await service!.replay()).to.equal(2);
    await service!.idle();
    expect(await spoolFiles(spoolDir())).to.deep.equal(["done/r1.json", "done/r2.json"]);
  });

  it("takes up events moved back by an outside --replay when told to reload", async () => {
    let broken = true;
    const seen: string[] = [];
    await start({
      jobEnd: {},
      scanIn: (barcode, context) => {
        seen.push(barcode);
        return summaryFor(context, "scan-in", broken ? { fail: "library has no desk" } : {});
      },
    });
    await postSigned(base, loanReturned("o1", "1X"));
    await service!.idle();
    broken = false;
    expect(await replayFailed(spoolDir())).to.deep.equal(["o1"]);
    await service!.reload();
    await service!.idle();
    expect(seen).to.deep.equal(["1X", "1X"]);
    expect(await spoolFiles(spoolDir())).to.deep.equal(["done/o1.json"]);
  });

  it("runs an event moved back once, even when two reloads look for it at the same time", async () => {
    let broken = true;
    const seen: string[] = [];
    await start({
      jobEnd: {},
      scanIn: (barcode, context) => {
        seen.push(barcode);
        return summaryFor(context, "scan-in", broken ? { fail: "library has no desk" } : {});
      },
    });
    await postSigned(base, loanReturned("t1", "1X"));
    await postSigned(base, loanReturned("t2", "2X"));
    await service!.idle();
    broken = false;
    await replayFailed(spoolDir());
    await Promise.all([service!.reload(), service!.reload(), service!.reload()]);
    await service!.idle();
    expect(seen.sort()).to.deep.equal(["1X", "1X", "2X", "2X"]);
    expect(await spoolFiles(spoolDir())).to.deep.equal(["done/t1.json", "done/t2.json"]);
  });

  it("processes on start the events left waiting by a stopped listener or in progress by a crashed one", async () => {
    await mkdir(path.join(spoolDir(), "processing"), { recursive: true });
    await mkdir(path.join(spoolDir(), "incoming"), { recursive: true });
    await writeFile(path.join(spoolDir(), "processing", "p1.json"), loanReturned("p1", "11X"));
    await writeFile(path.join(spoolDir(), "incoming", "p2.json"), loanReturned("p2", "22X"));
    await writeFile(path.join(spoolDir(), "incoming", ".p3.json.123.abcd.tmp"), "half an ev");
    const seen: string[] = [];
    await start({
      jobEnd: {},
      scanIn: (barcode, context) => {
        seen.push(barcode);
        return summaryFor(context, "scan-in");
      },
    });
    await service!.idle();
    expect(seen).to.have.members(["11X", "22X"]);
    expect(await spoolFiles(spoolDir())).to.deep.equal(["done/p1.json", "done/p2.json"]);
    // The ids stay known: a late redelivery has no second effect.
    expect((await postSigned(base, loanReturned("p1", "11X"))).json()).to.deep.equal({
      status: "duplicate",
      id: "p1",
    });
  });

  it("counts the try a crash cut short, and sets the event aside when that was its last", async () => {
    await mkdir(path.join(spoolDir(), "processing"), { recursive: true });
    await mkdir(path.join(spoolDir(), "attempts"), { recursive: true });
    await writeFile(path.join(spoolDir(), "processing", "x.json"), loanReturned("x", "13X"));
    const earlier = { at: "2026-01-05T10:00:00.000Z", message: INTERRUPTED };
    await writeFile(
      path.join(spoolDir(), "attempts", "x.json"),
      JSON.stringify({ attempts: 2, errors: [earlier, earlier] }),
    );
    const seen: string[] = [];
    await start({
      jobEnd: {},
      scanIn: (barcode, context) => {
        seen.push(barcode);
        return summaryFor(context, "scan-in");
      },
    });
    await service!.idle();
    expect(seen).to.deep.equal([]);
    expect(await spoolFiles(spoolDir())).to.deep.equal(["failed/x.error.json", "failed/x.json"]);
    const record = JSON.parse(
      await readFile(path.join(spoolDir(), "failed/x.error.json"), "utf8"),
    ) as FailureRecord;
    expect(record.attempts).to.equal(3);
    expect(record.errors.at(-1)!.message).to.equal(
      "interrupted: the listener stopped while processing it (crash?)",
    );
    expect(service!.health().last_failure).to.include({ id: "x", message: INTERRUPTED, final: true });
  });

  it("runs again an event a crash cut short at its first try, that try counted", async () => {
    await mkdir(path.join(spoolDir(), "processing"), { recursive: true });
    await writeFile(path.join(spoolDir(), "processing", "y.json"), loanReturned("y", "14X"));
    let tries = 0;
    await start(
      {
        jobEnd: {},
        scanIn: (_barcode, context) => {
          tries += 1;
          return summaryFor(context, "scan-in", { abort: "Alma unreachable" });
        },
      },
      webhookConfig(dir, { webhook: { max_attempts: 2, retry_delay_ms: 0 } }),
    );
    await service!.idle();
    expect(tries).to.equal(1);
    const record = JSON.parse(
      await readFile(path.join(spoolDir(), "failed/y.error.json"), "utf8"),
    ) as FailureRecord;
    expect(record.errors.map((e) => e.message)).to.deep.equal([INTERRUPTED, "Alma unreachable"]);
  });

  it("puts the events under way back in incoming/ on a clean stop, without counting a try", async () => {
    const config = webhookConfig(dir, { webhook: { max_attempts: 1, retry_delay_ms: 0 } });
    let started = 0;
    await start(
      {
        jobEnd: {},
        // One run ends when told to stop; the other never does, and outlives the grace.
        scanIn: async (barcode, context) => {
          started += 1;
          if (barcode === "hangs-X") await new Promise(() => undefined);
          await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
          return summaryFor(context, "scan-in", { abort: "the listener is stopping" });
        },
      },
      config,
    );
    await postSigned(base, loanReturned("s1", "stops-X"));
    await postSigned(base, loanReturned("s2", "hangs-X"));
    await until(() => started === 2);
    await service!.stop(50);
    service = undefined;
    expect(await spoolFiles(spoolDir())).to.deep.equal(["incoming/s1.json", "incoming/s2.json"]);

    // With max_attempts 1, a counted try (or an event left in processing/) would end in failed/.
    const seen: string[] = [];
    await start(
      {
        jobEnd: {},
        scanIn: (barcode, context) => {
          seen.push(barcode);
          return summaryFor(context, "scan-in");
        },
      },
      config,
    );
    await service!.idle();
    expect(seen.sort()).to.deep.equal(["hangs-X", "stops-X"]);
    expect(await spoolFiles(spoolDir())).to.deep.equal(["done/s1.json", "done/s2.json"]);
  });

  it("runs one sync per job and institution; JOB_ENDs during a run queue one follow-up run, not many", async () => {
    let runs = 0;
    let release!: () => void;
    const firstRunHeld = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const firstRunStarted = new Promise<void>((resolve) => (started = resolve));
    await start({
      jobEnd: {
        "sync-items": async (institution, context) => {
          runs += 1;
          expect(institution).to.equal("01AAA_AB");
          if (runs === 1) {
            started();
            await firstRunHeld;
          }
          return summaryFor(context, "sync-items");
        },
      },
    });
    await postSigned(base, jobEnd("j1", "S987654321"));
    await firstRunStarted;
    for (const id of ["j2", "j3", "j4", "j5"]) {
      expect((await postSigned(base, jobEnd(id, "S987654321"))).status).to.equal(200);
    }
    await until(() => service!.health().processing === 5);
    release();
    await service!.idle();
    expect(runs).to.equal(2);
    expect((await spoolFiles(spoolDir())).filter((f) => f.startsWith("done/"))).to.have.length(5);
  });

  it("keeps a scan-in flowing while a long sync runs (job runs do not hold the worker pool)", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const scanned: string[] = [];
    await start(
      {
        jobEnd: {
          "sync-items": async (_institution, context) => {
            await held;
            return summaryFor(context, "sync-items");
          },
        },
        scanIn: (barcode, context) => {
          scanned.push(barcode);
          return summaryFor(context, "scan-in");
        },
      },
      webhookConfig(dir, { max_number_of_threads: 1 }),
    );
    await postSigned(base, jobEnd("long", "S987654321"));
    await postSigned(base, loanReturned("quick", "5X"));
    try {
      await until(() => service!.spool.stateOf("quick") === "done");
      expect(scanned).to.deep.equal(["5X"]);
      expect(service!.spool.stateOf("long")).to.equal("processing");
    } finally {
      release();
    }
    await service!.idle();
  });

  it("ignores a JOB_END that did not complete successfully, and one of an unknown job", async () => {
    let runs = 0;
    const count = (_i: string, context: Parameters<NonNullable<WebhookHandlers["scanIn"]>>[1]) => {
      runs += 1;
      return summaryFor(context, "sync-items");
    };
    await start({ jobEnd: { "sync-items": count, "send-requests": count } });
    await postSigned(base, jobEnd("f1", "S987654321", "COMPLETED_FAILED"));
    await postSigned(base, jobEnd("f2", "S000000000"));
    await postSigned(base, jobEnd("f3", "S987654321", "COMPLETED_SUCCESS", "01AAA_CD"));
    await service!.idle();
    expect(runs).to.equal(0);
    expect(await spoolFiles(spoolDir())).to.deep.equal(["done/f1.json", "done/f2.json", "done/f3.json"]);
  });

  it("routes a requests job's JOB_END to send-requests for its institution", async () => {
    const runs: string[] = [];
    await start({
      jobEnd: {
        "send-requests": (institution, context) => {
          runs.push(`send-requests ${institution}`);
          return summaryFor(context, "send-requests");
        },
      },
    });
    await postSigned(base, jobEnd("q1", "S123456789"));
    await service!.idle();
    expect(runs).to.deep.equal(["send-requests 01AAA_AB"]);
  });

  it("sets aside, to be replayed later, a JOB_END whose job is not in this build", async () => {
    await start({ jobEnd: {} });
    await postSigned(base, jobEnd("m1", "S987654321"));
    await service!.idle();
    const record = JSON.parse(
      await readFile(path.join(spoolDir(), "failed/m1.error.json"), "utf8"),
    ) as FailureRecord;
    expect(record.errors[0]!.message).to.equal("sync-items is not available in this build");
  });

  it("retries a JOB_END while a run of the same job holds its lock (a cron run)", async () => {
    const config = webhookConfig(dir, { webhook: { max_attempts: 1 } });
    await mkdir(path.join(config.state_dir, "locks"), { recursive: true });
    await writeFile(
      path.join(config.state_dir, "locks", "sync-items-01AAA_AB.lock"),
      JSON.stringify({ pid: process.pid, host: hostname(), job: "sync-items-01AAA_AB", started: "now" }),
    );
    let runs = 0;
    await start(
      {
        jobEnd: {
          "sync-items": (_institution, context) => {
            runs += 1;
            return summaryFor(context, "sync-items");
          },
        },
      },
      config,
    );
    await postSigned(base, jobEnd("l1", "S987654321"));
    await service!.idle();
    expect(runs).to.equal(0);
    const record = JSON.parse(
      await readFile(path.join(spoolDir(), "failed/l1.error.json"), "utf8"),
    ) as FailureRecord;
    expect(record.errors[0]!.message).to.match(/^sync-items-01AAA_AB is already running \(pid \d+/);
  });

  it("handles LOAN and REQUEST events only from the SCF, and acknowledges unknown ones", async () => {
    const scanned: string[] = [];
    const cancelled: CancelRequestInput[] = [];
    await start({
      jobEnd: {},
      scanIn: (barcode, context) => {
        scanned.push(barcode);
        return summaryFor(context, "scan-in");
      },
      cancelRequest: (input, context) => {
        cancelled.push(input);
        return summaryFor(context, "cancel-request");
      },
    });
    const answers = await Promise.all([
      postSigned(base, loanReturned("a1", "1X", "01AAA_AB")),
      postSigned(base, requestCanceled("a2", { barcode: "2X" }, "01AAA_AB")),
      postSigned(base, loanReturned("a3", "3X")),
      postSigned(base, requestCanceled("a4", { barcode: "4X" })),
      postSigned(base, requestCanceled("a5", { comment: "Rush {Source Request 01AAA_AB-77-jane-doe}" })),
      postSigned(base, requestCanceled("a6", { comment: "no tag", barcode: "6X" })),
      postSigned(base, JSON.stringify({ id: "a7", action: "USER", institution: { value: "01AAA_RS" } })),
      postSigned(
        base,
        JSON.stringify({
          id: "a8",
          action: "LOAN",
          institution: { value: "01AAA_RS" },
          event: { value: "LOAN_CREATED" },
        }),
      ),
    ]);
    expect(answers.map((a) => a.status)).to.deep.equal([200, 200, 200, 200, 200, 200, 200, 200]);
    await service!.idle();
    expect(scanned).to.deep.equal(["3X"]);
    expect(cancelled).to.have.deep.members([
      { scfBarcode: "4X" },
      { comment: "Rush {Source Request 01AAA_AB-77-jane-doe}" },
      { scfBarcode: "6X" },
    ]);
    expect((await spoolFiles(spoolDir())).every((file) => file.startsWith("done/"))).to.be.true;
  });
});

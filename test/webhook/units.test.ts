import { expect } from "chai";
import { EventEmitter } from "node:events";
import { Coalescer } from "../../src/webhook/coalescer.js";
import { parseWebhookEvent, spoolIdOf, MalformedEventError } from "../../src/webhook/event.js";
import { computeSignature, isValidSignature } from "../../src/webhook/signature.js";
import { installSignalHandlers, nextLogLevel } from "../../src/webhook/signals.js";
import type { WebhookService } from "../../src/webhook/service.js";
import { createLogger, type LogLevel } from "../../src/runtime/logger.js";
import { Redactor } from "../../src/runtime/redactor.js";

describe("webhook signature", () => {
  it("is Base64(HMAC-SHA256(body, secret))", () => {
    const body = Buffer.from("The quick brown fox jumps over the lazy dog");
    expect(computeSignature(body, "key")).to.equal("97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=");
  });

  it("accepts the exact signature and refuses any other, of any length, or none", () => {
    const body = Buffer.from('{"a":"ü"}\r\n');
    const good = computeSignature(body, "s3cret!");
    expect(isValidSignature(body, good, "s3cret!")).to.be.true;
    const wrong = (good.startsWith("A") ? "B" : "A") + good.slice(1);
    expect(isValidSignature(body, wrong, "s3cret!")).to.be.false;
    expect(isValidSignature(body, good + "A", "s3cret!")).to.be.false;
    expect(isValidSignature(body, "", "s3cret!")).to.be.false;
    expect(isValidSignature(body, undefined, "s3cret!")).to.be.false;
    expect(isValidSignature(Buffer.from('{"a":"ü"}\n'), good, "s3cret!")).to.be.false;
  });
});

describe("webhook event", () => {
  it("names the spool file after Alma's event id", () => {
    const raw = Buffer.from('{"id":"1452370645077141593","action":"LOAN"}');
    expect(spoolIdOf(parseWebhookEvent(raw), raw)).to.equal("1452370645077141593");
  });

  it("names an event with an unsafe or missing id by a digest, the same for the same id or body", () => {
    const a = Buffer.from('{"id":"../../etc/passwd","action":"LOAN"}');
    const b = Buffer.from('{"id":"../../etc/passwd","action":"LOAN","x":1}');
    expect(spoolIdOf(parseWebhookEvent(a), a)).to.match(/^h-[0-9a-f]{40}$/);
    expect(spoolIdOf(parseWebhookEvent(a), a)).to.equal(spoolIdOf(parseWebhookEvent(b), b));
    const none = Buffer.from('{"action":"LOAN"}');
    expect(spoolIdOf(parseWebhookEvent(none), none)).to.equal(
      spoolIdOf(parseWebhookEvent(none), Buffer.from(none)),
    );
  });

  it("keeps apart two events whose numeric ids past 2^53 parse to one number, by the digits sent", () => {
    const a = Buffer.from('{"job_instance":{"id":1},"id":9007199254740993,"action":"LOAN"}');
    const b = Buffer.from('{"id": 9007199254740992, "action":"LOAN"}');
    expect(parseWebhookEvent(a).id).to.equal(parseWebhookEvent(b).id);
    expect(spoolIdOf(parseWebhookEvent(a), a)).to.equal("9007199254740993");
    expect(spoolIdOf(parseWebhookEvent(b), b)).to.equal("9007199254740992");
    const small = Buffer.from('{"id":1452370645077,"action":"LOAN"}');
    expect(spoolIdOf(parseWebhookEvent(small), small)).to.equal("1452370645077");
    const fraction = Buffer.from('{"id":1.5,"action":"LOAN"}');
    expect(spoolIdOf(parseWebhookEvent(fraction), fraction)).to.match(/^h-[0-9a-f]{40}$/);
  });

  it("refuses a body that is not one JSON object", () => {
    for (const body of ["", "[]", "42", '"x"', "{", "null"]) {
      expect(() => parseWebhookEvent(Buffer.from(body)), body).to.throw(MalformedEventError);
    }
  });
});

describe("coalescer", () => {
  it("runs once at a time per key; requests during a run share one follow-up run", async () => {
    const coalescer = new Coalescer<number>();
    let runs = 0;
    const gates: (() => void)[] = [];
    const task = () =>
      new Promise<number>((resolve) => {
        runs += 1;
        const run = runs;
        gates.push(() => resolve(run));
      });
    const first = coalescer.run("k", task);
    await Promise.resolve();
    const followUps = [coalescer.run("k", task), coalescer.run("k", task), coalescer.run("k", task)];
    const other = coalescer.run("other", task);
    await Promise.resolve();
    expect(runs).to.equal(2);
    gates.shift()!();
    expect(await first).to.equal(1);
    while (gates.length < 2) await new Promise((resolve) => setImmediate(resolve));
    gates.forEach((gate) => gate());
    expect(await other).to.equal(2);
    expect(await Promise.all(followUps)).to.deep.equal([3, 3, 3]);
    expect(runs).to.equal(3);
    expect(coalescer.isRunning("k")).to.be.false;
  });

  it("starts the follow-up even when the running one fails", async () => {
    const coalescer = new Coalescer<string>();
    let fail!: (error: Error) => void;
    const first = coalescer.run("k", () => new Promise<string>((_resolve, reject) => (fail = reject)));
    await Promise.resolve();
    const next = coalescer.run("k", () => Promise.resolve("second"));
    fail(new Error("boom"));
    await first.catch(() => undefined);
    expect(await next).to.equal("second");
  });
});

describe("webhook signals", () => {
  it("cycles the log level error → warn → info → debug → error", () => {
    const seen: LogLevel[] = [];
    let level: LogLevel = "error";
    for (let i = 0; i < 4; i++) seen.push((level = nextLogLevel(level)));
    expect(seen).to.deep.equal(["warn", "info", "debug", "error"]);
  });

  it("changes the level on SIGUSR2, reloads on SIGHUP (taking log.level), stops on SIGTERM", async () => {
    const signals = new EventEmitter();
    const logger = createLogger({ level: "warn", redactor: new Redactor(), console: true });
    logger.transports[0]!.silent = true;
    const calls: string[] = [];
    let configuredLevel: LogLevel | undefined = undefined;
    const fake = {
      reload: () => {
        calls.push("reload");
        return Promise.resolve(true);
      },
      stop: () => {
        calls.push("stop");
        return Promise.resolve();
      },
      get config() {
        return { log: { level: configuredLevel } };
      },
    } as unknown as WebhookService;
    const { stopped } = installSignalHandlers(fake, {
      logger,
      level: "warn",
      process: signals as unknown as Pick<NodeJS.Process, "on" | "off">,
    });
    const console = () => logger.transports[0]!.level;
    signals.emit("SIGUSR2");
    expect(console()).to.equal("info");
    signals.emit("SIGUSR2");
    expect(console()).to.equal("debug");
    configuredLevel = "error";
    signals.emit("SIGHUP");
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).to.deep.equal(["reload"]);
    expect(console()).to.equal("error");
    signals.emit("SIGTERM");
    signals.emit("SIGINT");
    await stopped;
    expect(calls).to.deep.equal(["reload", "stop"]);
    expect(signals.listenerCount("SIGHUP")).to.equal(0);
  });
});

import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { access, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { AlmaSimulator } from "../../src/sandbox/alma/index.js";
import { replayNoticeFor } from "../../src/webhook/serve.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { simConfigJson, startSimulator } from "../scan-in/sim-fixture.js";
import { call, loanReturned, postSigned, until } from "./helpers.js";

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const SECRET = "sim-webhook-secret-42";

interface Running {
  child: ChildProcess;
  port: number;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `alma-rs serve-webhook` as systemd runs it: a child process, stopped by a signal. */
function serve(configFile: string): Promise<Running> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      tsxLoader,
      path.join(repoRoot, "src/cli/main.ts"),
      "--config",
      configFile,
      "--log-level",
      "info",
      "serve-webhook",
      "--port",
      "0",
    ],
    { cwd: path.dirname(configFile), stdio: ["ignore", "pipe", "pipe"] },
  );
  let err = "";
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
      const listening = /webhook listener on http:\/\/127\.0\.0\.1:(\d+)\/webhook/.exec(err);
      if (listening) resolve({ child, port: Number(listening[1]), stderr: () => err, exited });
    });
    child.once("exit", (code) => reject(new Error(`serve-webhook exited (${code}): ${err}`)));
  });
}

describe("alma-rs serve-webhook", function () {
  this.timeout(60_000);
  let sim: AlmaSimulator;
  let dir: string;
  let cleanup: () => Promise<void>;
  let configFile: string;

  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    sim = await startSimulator();
    configFile = path.join(dir, "conf.json");
    await writeFile(configFile, JSON.stringify(simConfigJson(sim.url)));
  });
  afterEach(async () => {
    await sim.stop();
    await cleanup();
  });

  it("serves until SIGTERM; SIGUSR2 steps the log level, SIGHUP reloads, --replay reaches the running listener", async () => {
    const running = await serve(configFile);
    try {
      const base = `http://127.0.0.1:${running.port}`;
      expect((await call(`${base}/webhook?challenge=ok`)).json()).to.deep.equal({ challenge: "ok" });
      // An SCF item nobody has: the scan-in fails its record, the event is set aside.
      expect((await postSigned(`${base}/webhook`, loanReturned("F1", "404404X"), SECRET)).status).to.equal(
        200,
      );
      await until(async () => ((await call(`${base}/health`)).json() as { failed: number }).failed === 1);
      const lookups = () => sim.callsTo("GET", /\/items$/, "01AAA_RS").length;
      expect(lookups()).to.equal(1);

      running.child.kill("SIGUSR2");
      await until(() => running.stderr().includes("log level is now debug (SIGUSR2)"));
      // A reload sets the level the configuration gives; --log-level (info) comes first, as at the start.
      running.child.kill("SIGHUP");
      await until(() => running.stderr().includes("log level is now info (configuration reload)"));

      const replay = await runCli(["--config", configFile, "serve-webhook", "--replay"], { cwd: dir });
      expect(replay.code).to.equal(0);
      expect(replay.stdout).to.match(
        /^1 failed event\(s\) moved back to the spool; listener pid \d+ told to take them/,
      );
      await until(() => lookups() === 2);
      await until(async () => ((await call(`${base}/health`)).json() as { failed: number }).failed === 1);
    } finally {
      running.child.kill("SIGTERM");
    }
    expect(await running.exited).to.equal(0);
    expect(running.stderr(), running.stderr()).to.contain("webhook listener stopping (SIGTERM)");
    const lock = path.join(dir, "state", "locks", "serve-webhook.lock");
    expect(
      await access(lock).then(
        () => "held",
        () => "released",
      ),
    ).to.equal("released");
  });

  it("refuses to start without webhook_secret (exit 2), and refuses --dry-run", async () => {
    const raw = simConfigJson(sim.url);
    delete raw.webhook_secret;
    await writeFile(configFile, JSON.stringify(raw));
    const noSecret = await runCli(["--config", configFile, "serve-webhook", "--port", "0"], { cwd: dir });
    expect(noSecret.code).to.equal(2);
    expect(noSecret.stderr).to.contain("webhook_secret is not set");
    const dryRun = await runCli(["--config", configFile, "--dry-run", "serve-webhook"], { cwd: dir });
    expect(dryRun.code).to.equal(2);
    expect(dryRun.stderr).to.contain("serve-webhook does not take --dry-run");
  });
});

describe("serve-webhook --replay beside a running listener", () => {
  const holder = (host: string) => ({
    pid: 4242,
    host,
    job: "serve-webhook",
    started: "2026-03-02T08:00:00Z",
  });

  it("signals the listener holding the lock when it runs on this host", () => {
    expect(replayNoticeFor(holder("jobs-1"), "jobs-1")).to.deep.equal({ kind: "signal", pid: 4242 });
  });

  it("signals no pid written on another host, and says to reload that listener by hand", () => {
    expect(replayNoticeFor(holder("jobs-2"), "jobs-1")).to.deep.equal({
      kind: "by-hand",
      reason:
        "the listener runs on jobs-2, not here: reload it there (systemctl reload alma-rs-webhook) to take them",
    });
  });

  it("signals nobody when the lock is gone: the listener's next start takes the events", () => {
    expect(replayNoticeFor(undefined, "jobs-1")).to.deep.equal({
      kind: "by-hand",
      reason: "the listener has stopped since; its next start takes them",
    });
  });
});

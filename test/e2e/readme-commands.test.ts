import { expect } from "chai";
import { spawn } from "node:child_process";
import { copyFile, readFile, writeFile, access } from "node:fs/promises";
import path from "node:path";
import { startSandbox, type Sandbox } from "../../src/sandbox/consortium/index.js";
import { repoRoot, runCli, type CliResult } from "../helpers/cli.js";
import { makeTempDir } from "../helpers/temp-dir.js";

/** Every `alma-rs …` line of the README's shell blocks, as written (comments removed, `npx ` dropped). */
export function readmeCommands(readme: string): string[] {
  const commands: string[] = [];
  for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const raw of block[1]!.split("\n")) {
      const line = raw.replace(/\s+#.*$/, "").trim();
      const at = line.indexOf("alma-rs ");
      if (at < 0 || line.startsWith("git ")) continue;
      commands.push(line.slice(at + "alma-rs ".length).trim());
    }
  }
  return commands;
}

/** The alma-rs command of every crontab.example line (the five time fields and the redirection removed). */
export function crontabCommands(crontab: string): { command: string; toDevNull: boolean }[] {
  const lines: { command: string; toDevNull: boolean }[] = [];
  for (const raw of crontab.split("\n")) {
    const match = /^(?!#)(?:\S+\s+){5}alma-rs\s+(.*?)\s*(>\/dev\/null)?\s*$/.exec(raw);
    if (match) lines.push({ command: match[1]!, toDevNull: match[2] !== undefined });
  }
  return lines;
}

/** Splits a command line like a shell: spaces separate words, double quotes group them. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

const LONG_RUNNING = new Set(["sandbox", "serve-webhook"]);

/** Runs a command that serves until stopped: waits for `ready`, then SIGTERM; resolves with its exit code. */
async function runUntilReady(args: string[], cwd: string, ready: () => Promise<boolean>): Promise<CliResult> {
  const child = spawn(process.execPath, [path.join(repoRoot, "bin/alma-rs.js"), ...args], {
    cwd,
    stdio: "pipe",
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const deadline = Date.now() + 30_000;
  let isReady = false;
  while (!isReady && Date.now() < deadline && child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    isReady = await ready().catch(() => false);
  }
  expect(isReady, `${args.join(" ")} never became ready: ${stderr}`).to.equal(true);
  child.kill("SIGTERM");
  return { code: await exited, stdout, stderr };
}

describe("every command shown in the README runs (built binary, against the sandbox)", function () {
  this.timeout(300_000);
  let sandbox: Sandbox;
  let dir: string;
  let cleanup: () => Promise<void>;
  let configFile: string;
  let commands: string[];
  let report: Buffer;

  before(async () => {
    ({ dir, cleanup } = await makeTempDir("alma-rs-readme-"));
    sandbox = await startSandbox({ dir: path.join(dir, "sandbox") });
    configFile = path.join(dir, "x.json");
    await writeFile(configFile, JSON.stringify(sandbox.config, null, 2));
    // The files the README's by-hand examples name, copied from what the sandbox put on the file server.
    await copyFile(
      sandbox.served(sandbox.seeded.publishing["01AAA_AB"]![0]!),
      path.join(dir, "pub_new.tar.gz"),
    );
    await copyFile(sandbox.served(sandbox.seeded.requests["01AAA_AB"]![0]!), path.join(dir, "export.xml"));
    await writeFile(
      path.join(dir, "failed-event.json"),
      JSON.stringify({
        id: "readme-1",
        action: "LOAN",
        institution: { value: "01AAA_RS" },
        event: { value: "LOAN_RETURNED" },
        item_loan: { item_barcode: "31234000123456X", user_id: "01AAA_AB-ABRS" },
      }),
    );
    report = await readFile(sandbox.served(sandbox.seeded.barcodeReport));
    commands = readmeCommands(await readFile(path.join(repoRoot, "README.md"), "utf8"));
  });
  after(async () => {
    await sandbox.stop();
    await cleanup();
  });

  it("finds the README's commands", () => {
    expect(commands.length).to.be.at.least(25);
    for (const name of [
      "demo",
      "sandbox",
      "doctor",
      "sync-items",
      "send-requests",
      "scan-in",
      "cancel-request",
      "serve-webhook",
      "aspace2alma",
      "aleph-items",
    ]) {
      expect(
        commands.some((c) => words(c).includes(name)),
        name,
      ).to.equal(true);
    }
  });

  /** Runs one command line against the sandbox as a user would type it (the config file named or added). */
  async function run(command: string): Promise<CliResult> {
    const webhookPort = (sandbox.config.webhook as { port: number }).port;
    const health = async () => (await fetch(`http://127.0.0.1:${webhookPort}/health`)).ok;
    let args = words(command).map((word) =>
      word === "x.json" || word === "/etc/alma-rs/conf.json" ? configFile : word,
    );
    const name = args.find((word) => !word.startsWith("-") && !word.endsWith(".json")) ?? "";
    if (name !== "demo" && name !== "sandbox" && !args.includes("--config") && !args.includes("--help")) {
      args = ["--config", configFile, ...args];
    }
    // Alma Analytics delivers a fresh barcode report each night; each aspace2alma run uses one up.
    if (name === "aspace2alma") await writeFile(sandbox.served(sandbox.seeded.barcodeReport), report);
    if (name === "sandbox") {
      const written = path.join(dir, "x-sandbox.json");
      args = args.map((word) => (word === configFile ? written : word));
      return runUntilReady(args, dir, () => access(written).then(() => true));
    }
    if (LONG_RUNNING.has(name)) return runUntilReady(args, dir, health);
    return runCli(args, { built: true, cwd: dir, timeoutMs: 120_000 });
  }

  it("runs each one as written and it finishes its work (exit 0)", async () => {
    const outcomes: string[] = [];
    for (const command of commands) {
      const result = await run(command);
      outcomes.push(`${result.code} alma-rs ${command}`);
      expect(result.code, `alma-rs ${command}\n${result.stderr}\n${result.stdout}`).to.equal(0);
    }
    expect(outcomes).to.have.length(commands.length);
  });

  it("runs every crontab.example line as cron would: stdout to /dev/null, stderr empty when the run succeeds", async () => {
    const lines = crontabCommands(await readFile(path.join(repoRoot, "crontab.example"), "utf8"));
    expect(lines.map((line) => words(line.command)[0])).to.include.members([
      "aspace2alma",
      "sync-items",
      "send-requests",
      "aleph-items",
    ]);
    // Cron's day starts from the night's files, not from what the README's commands left behind (the CD
    // patron's request cancelled by hand, which send-requests would rightly report instead of placing).
    await sandbox.stop();
    sandbox = await startSandbox({ dir: path.join(dir, "sandbox-cron") });
    await writeFile(configFile, JSON.stringify(sandbox.config, null, 2));
    for (const { command, toDevNull } of lines) {
      expect(toDevNull, `${command}: its account would be mailed every run`).to.equal(true);
      const result = await run(command);
      expect(result.code, `alma-rs ${command}\n${result.stderr}`).to.equal(0);
      // stderr is a pipe here, as under cron: a run that succeeds prints nothing for cron to mail.
      expect(result.stderr, `alma-rs ${command}`).to.equal("");
    }
  });
});

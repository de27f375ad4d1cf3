import { expect } from "chai";
import { Command } from "commander";
import { mkdir, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { runJobCommand, exitCodeForError } from "../../src/cli/run-command.js";
import { ConfigError } from "../../src/config/config-error.js";
import { AbortError, LockedError, UsageError } from "../../src/runtime/errors.js";
import { ExitCode } from "../../src/runtime/exit-codes.js";
import { RunReport, type RunSummary } from "../../src/runtime/run-report.js";
import type { RunContext } from "../../src/runtime/run-context.js";
import {
  DEFAULT_API_KEYS,
  defaultFixture,
  startAlmaSimulator,
  type AlmaSimulator,
} from "../../src/sandbox/alma/index.js";
import { runCli } from "../helpers/cli.js";
import { makeTempDir } from "../helpers/temp-dir.js";

/** Runs a throwaway command through runJobCommand and returns the exit code it set. */
async function exitCodeOf(
  configFile: string,
  job: (context: RunContext) => Promise<RunSummary>,
  lock?: string,
): Promise<number | undefined> {
  const saved = process.exitCode;
  const program = new Command("alma-rs").option("--config <file>").option("--quiet").option("--json");
  program
    .command("job")
    .action((_o: unknown, command: Command) => runJobCommand(command, job, { lock: () => lock }));
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true;
  try {
    await program.parseAsync(["node", "alma-rs", "--config", configFile, "--quiet", "job"]);
    return process.exitCode as number | undefined;
  } finally {
    process.stdout.write = write;
    process.exitCode = saved;
  }
}

function reportFor(context: RunContext): RunReport {
  return new RunReport({
    job: "test",
    reportName: "Test",
    reportFolder: context.config.report_file_folder,
    logger: context.logger,
  });
}

describe("exit codes of a job command", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let configFile: string;
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    configFile = path.join(dir, "conf.json");
    await writeFile(configFile, JSON.stringify({ state_dir: "state", log: { level: "error" } }));
  });
  afterEach(() => cleanup());

  it("is 0 when everything was done", async () => {
    expect(await exitCodeOf(configFile, (c) => reportFor(c).finish())).to.equal(ExitCode.Done);
  });

  it("is 1 when some records failed", async () => {
    const code = await exitCodeOf(configFile, (c) => {
      const report = reportFor(c);
      report.fail({ barcode: "1", message: "no" });
      return report.finish();
    });
    expect(code).to.equal(ExitCode.SomeFailed);
  });

  it("is 3 when the job aborts or throws", async () => {
    expect(await exitCodeOf(configFile, () => Promise.reject(new AbortError("Alma unreachable")))).to.equal(
      ExitCode.Aborted,
    );
    expect(await exitCodeOf(configFile, () => Promise.reject(new Error("boom")))).to.equal(ExitCode.Aborted);
  });

  it("is 2 when the configuration is invalid", async () => {
    await writeFile(configFile, JSON.stringify({ max_number_of_threads: "many" }));
    expect(await exitCodeOf(configFile, (c) => reportFor(c).finish())).to.equal(ExitCode.Usage);
  });

  it("is 4 when a live process holds the job's lock, and the job does not run", async () => {
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
    try {
      await mkdir(path.join(dir, "state", "locks"), { recursive: true });
      await writeFile(
        path.join(dir, "state", "locks", "sync-items-01AAA_AB.lock"),
        JSON.stringify({ pid: holder.pid, host: hostname(), started: "now" }),
      );
      let ran = false;
      const code = await exitCodeOf(
        configFile,
        (c) => {
          ran = true;
          return reportFor(c).finish();
        },
        "sync-items-01AAA_AB",
      );
      expect(code).to.equal(ExitCode.Locked);
      expect(ran).to.equal(false);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it("maps each error class to its code", () => {
    expect(exitCodeForError(new ConfigError("x"))).to.equal(2);
    expect(exitCodeForError(new UsageError("x"))).to.equal(2);
    expect(exitCodeForError(new LockedError("x", 1, "f"))).to.equal(4);
    expect(exitCodeForError(new AbortError("x"))).to.equal(3);
  });
});

describe("a job command when Alma's daily API budget runs out", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let sim: AlmaSimulator;
  let configFile: string;
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    const fixture = structuredClone(defaultFixture);
    fixture.institutions.find((institution) => institution.code === "01AAA_AB")!.daily_budget = 1;
    sim = await startAlmaSimulator({ fixture });
    configFile = path.join(dir, "conf.json");
    await writeFile(
      configFile,
      JSON.stringify({
        gateway: sim.url,
        state_dir: "state",
        remote_storage_inst: "01AAA_RS",
        remote_storage_apikey: DEFAULT_API_KEYS["01AAA_RS"],
        institutions: [
          {
            code: "01AAA_AB",
            apikey: DEFAULT_API_KEYS["01AAA_AB"],
            libraries: [{ code: "ABRS", circ_desc: "DEFAULT_CIRC_DESK", remote_storage_location: ["rs"] }],
          },
        ],
        alma: { retry_initial_delay_ms: 20, retry_max_delay_ms: 200, retry_max_total_ms: 5_000 },
      }),
    );
  });
  afterEach(async () => {
    await sim.stop();
    await cleanup();
  });

  it("scan-in exits 3 and says on stderr which institution's budget is spent", async () => {
    const { code, stderr } = await runCli([
      "--config",
      configFile,
      "scan-in",
      "--barcode",
      "31234000123456X",
    ]);
    expect(code).to.equal(ExitCode.Aborted);
    expect(stderr).to.contain(
      "scan-in aborted: Alma's daily API limit is reached for institution 01AAA_AB (429 DAILY_THRESHOLD)",
    );
    // The one call the budget allowed, then the refused scan: nothing more was tried against 01AAA_AB.
    expect(
      sim.calls.filter((call) => call.institution === "01AAA_AB").map((call) => call.status),
    ).to.deep.equal([200, 429]);
  });
});

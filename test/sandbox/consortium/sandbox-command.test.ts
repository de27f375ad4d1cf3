import { expect } from "chai";
import { existsSync } from "node:fs";
import { readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { AB, BARCODES, CD, freePort } from "../../../src/sandbox/consortium/index.js";
import type { CliResult } from "../../helpers/cli.js";
import { makeTempDir } from "../../helpers/temp-dir.js";
import { almaRs, startCli, type RunningCli } from "./processes.js";

interface Summary {
  job: string;
  counts: Record<string, number>;
  failures: unknown[];
  aborted?: string;
}

interface DoctorJson {
  ok: boolean;
  counts: { ok: number; fail: number; skip: number };
  checks: { subject: string; check: string; status: string }[];
}

function summaryOf(result: CliResult): Summary {
  expect(result.stdout, result.stderr).to.match(/^\{/);
  return JSON.parse(result.stdout) as Summary;
}

describe("alma-rs sandbox --write-config, then doctor and every job by hand against it", function () {
  this.timeout(120_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let sandbox: RunningCli;
  /** The sandbox's own folder (a temp folder it chose, named in its printout). */
  let sandboxDir: string | undefined;
  const configFile = "x.json";
  // From the folder holding x.json, as the issue writes it: `alma-rs doctor --config x.json`.
  const run = (...args: string[]) =>
    almaRs([...args, "--config", configFile], { cwd: dir, timeoutMs: 60_000 });

  before(async () => {
    ({ dir, cleanup } = await makeTempDir("alma-rs-sandbox-cli-"));
    sandbox = startCli(["sandbox", "--write-config", configFile], { cwd: dir });
    await sandbox.waitFor("Ctrl-C stops it");
    sandboxDir = /^ {2}state and logs +(\S+)\/state$/m.exec(sandbox.stdout())?.[1];
  });
  after(async () => {
    await sandbox?.stop();
    if (sandboxDir) await rm(sandboxDir, { recursive: true, force: true });
    await cleanup();
  });

  it("writes the configuration (owner-readable only) and prints where everything listens and what to try", async () => {
    const written = path.join(dir, configFile);
    expect(existsSync(written)).to.be.true;
    expect((await stat(written)).mode & 0o077).to.equal(0);
    const out = sandbox.stdout();
    expect(out).to.contain(`configuration   ${written}`);
    expect(sandboxDir, "the sandbox's folder in the printout").to.be.a("string");
    for (const service of ["Alma", "SFTP", "ArchivesSpace", "Aleph", "CaiaSoft", "webhook"]) {
      expect(out).to.match(new RegExp(`^  ${service} +\\S`, "m"));
    }
    expect(out).to.contain(`npx alma-rs --config ${written} doctor`);
    expect(out).to.contain(`sync-items --institution ${AB}`);
    expect(out).to.contain("/alma/01AAA_AB/items/rs_items_20240115_051500_new.tar.gz");
    // The secrets are in the file, not on the screen.
    const config = JSON.parse(await readFile(written, "utf8")) as { ftp_server: { password: string } };
    expect(out).to.not.contain(config.ftp_server.password);
  });

  it("doctor finds everything ✔ (exit 0), as a table and as JSON", async () => {
    const table = await run("doctor");
    expect(table.stdout).to.contain(`alma-rs doctor: ${path.join(dir, configFile)}`);
    expect(table.code, table.stdout + table.stderr).to.equal(0);
    expect(table.stdout).to.not.match(/^\s+✘/m);
    expect(table.stdout).to.match(/\d+ checks: \d+ ✔, 0 ✘ — ready/);
    const json = await run("doctor", "--json");
    expect(json.code).to.equal(0);
    const report = JSON.parse(json.stdout) as DoctorJson;
    expect(report.ok).to.be.true;
    expect(report.counts.fail).to.equal(0);
    expect(report.checks.every((check) => check.status === "ok")).to.be.true;
    const subjects = new Set(report.checks.map((check) => check.subject));
    expect([...subjects]).to.include.members([
      "SCF 01AAA_RS",
      `Alma ${AB}`,
      `Alma ${CD}`,
      "file server",
      "ArchivesSpace",
      "Aleph",
      "CaiaSoft",
    ]);
  });

  it("runs aspace2alma, sync-items, send-requests, scan-in, cancel-request and aleph-items by hand, each exit 0", async () => {
    const aspace = await run("--json", "aspace2alma");
    expect(aspace.code, aspace.stderr).to.equal(0);
    expect(summaryOf(aspace).counts).to.include({ exported: 5, items: 5 });

    const syncAb = await run("--json", "sync-items", "--institution", AB);
    expect(syncAb.code, syncAb.stderr).to.equal(0);
    expect(summaryOf(syncAb).counts).to.include({ created: 2, updated: 1, deleted: 1, loaned: 2 });
    const syncCd = await run("--json", "sync-items", "--institution", CD);
    expect(syncCd.code, syncCd.stderr).to.equal(0);
    expect(summaryOf(syncCd).counts).to.include({ created: 1, updated: 1, deleted: 1, loaned: 1 });

    const requestsAb = await run("--json", "send-requests", "--institution", AB);
    expect(requestsAb.code, requestsAb.stderr).to.equal(0);
    expect(summaryOf(requestsAb).counts).to.include({
      "created: item hold": 1,
      "created: title hold": 1,
      "created: patron digitization (item)": 1,
    });
    const requestsCd = await run("--json", "send-requests", "--institution", CD);
    expect(requestsCd.code, requestsCd.stderr).to.equal(0);
    expect(summaryOf(requestsCd).counts).to.include({ "created: item hold": 1 });

    const scanIn = await run("--json", "scan-in", "--barcode", `${BARCODES.abOnLoan}X`);
    expect(scanIn.code, scanIn.stderr).to.equal(0);
    expect(summaryOf(scanIn).counts).to.include({ "scanned in": 1 });
    const cancel = await run("--json", "cancel-request", "--barcode", `${BARCODES.cdOnShelf}X`);
    expect(cancel.code, cancel.stderr).to.equal(0);
    expect(summaryOf(cancel).counts).to.include({ cancelled: 1 });

    const aleph = await run("--json", "aleph-items");
    expect(aleph.code, aleph.stderr).to.equal(0);
    expect(summaryOf(aleph).counts).to.include({ "new items accepted": 5, "items updated": 2 });
  });

  it("stops cleanly on SIGTERM (exit 0), leaving its files", async () => {
    const code = await sandbox.stop("SIGTERM");
    expect(code).to.equal(0);
    expect(sandbox.stdout()).to.contain("sandbox stopped; its files stay in");
    expect(existsSync(path.join(sandboxDir!, "state", "reports"))).to.be.true;
  });
});

describe("alma-rs sandbox, refused starts", function () {
  this.timeout(30_000);

  it("names a port in use and exits 2", async () => {
    const { dir, cleanup } = await makeTempDir("alma-rs-sandbox-busy-");
    const base = String(((await freePort()) % 50_000) + 10_000);
    const first = startCli(["sandbox", "--dir", path.join(dir, "a"), "--port-base", base]);
    try {
      await first.waitFor("Ctrl-C stops it");
      const second = await almaRs(["sandbox", "--dir", path.join(dir, "b"), "--port-base", base]);
      expect(second.code).to.equal(2);
      expect(second.stderr).to.contain("choose another --port-base");
    } finally {
      expect(await first.stop("SIGINT")).to.equal(0);
      await cleanup();
    }
  });

  it("refuses a port base out of range (exit 2)", async () => {
    const result = await almaRs(["sandbox", "--port-base", "80"]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain("a port from 1024 to 65530");
  });
});

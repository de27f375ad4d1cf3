import { expect } from "chai";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { collectSecretValues } from "../../src/config/secret-keys.js";
import { runDemo, type DemoResult } from "../../src/jobs/demo/index.js";
import { DEFAULT_API_KEYS } from "../../src/sandbox/alma/index.js";
import { BARCODES, CD, PATRONS } from "../../src/sandbox/consortium/index.js";
import type { CliResult } from "../helpers/cli.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { almaRs } from "../sandbox/consortium/processes.js";

/** The lines of one numbered step of the account, up to the next. */
function stepBlock(out: string, title: string): string {
  const start = out.search(new RegExp(`^\\d\\. ${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}  `, "m"));
  expect(start, `step "${title}" in the account`).to.be.at.least(0);
  const rest = out.slice(start);
  const end = rest.slice(1).search(/^(\d\. |reports )/m);
  return end < 0 ? rest : rest.slice(0, end + 1);
}

describe("alma-rs demo (a child process, as a new user runs it)", function () {
  this.timeout(120_000);
  /** The demo's folder, a temp folder it chose and named at the end of its account. */
  let dir: string;
  let result: CliResult;
  let elapsedMs: number;

  before(async () => {
    const started = Date.now();
    // The README's command, exactly: `npx alma-rs demo`.
    result = await almaRs(["demo"], { timeoutMs: 90_000 });
    elapsedMs = Date.now() - started;
    dir = /^the whole sandbox \(file server, spool, checkpoints\): (\S+)$/m.exec(result.stdout)?.[1] ?? "";
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("exits 0 in under a minute, all checks passed", () => {
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(dir, "the demo names its folder").to.match(/alma-rs-demo-/);
    expect(elapsedMs).to.be.below(60_000);
    expect(result.stdout).to.match(/demo finished in [\d.]+ s: all (\d+) checks passed\./);
    expect(result.stdout).to.not.match(/^\s+✘/m);
  });

  it("runs the jobs in the order of the seeds' schedule", () => {
    const titles = [...result.stdout.matchAll(/^\d\. (.+?) {2}\(/gm)].map((match) => match[1]);
    expect(titles).to.deep.equal([
      "aspace2alma",
      "sync-items 01AAA_AB",
      "sync-items 01AAA_CD",
      "send-requests 01AAA_AB",
      "send-requests 01AAA_CD",
      "webhooks through the listener",
      "aleph-items",
    ]);
  });

  it("shows aspace2alma exporting collections with items to the file server", () => {
    const block = stepBlock(result.stdout, "aspace2alma");
    expect(block).to.contain("resources: 8, exported: 5, excluded: 3, items: 5");
    expect(block).to.contain("uploaded to /alma/aspace/MARC_out.xml");
    expect(block).to.match(
      /e\.g\. "American Civil Liberties Union Records" \(MC001\.01\): items 32101000000\d+/,
    );
  });

  it("shows sync-items creating, loaning, updating and withdrawing SCF items for each member", () => {
    const ab = stepBlock(result.stdout, "sync-items 01AAA_AB");
    expect(ab).to.contain(
      "created: 2, updated: 1, deleted: 1, loaned: 2, bibs created: 1, holdings created: 1",
    );
    expect(ab).to.contain(
      `new in the SCF: ${BARCODES.abMinutes}X "Minutes of the Board of Trustees, 1890-1910"`,
    );
    expect(ab).to.contain("a local record), holding RS/rs_annex, on loan to 01AAA_AB-ABRS");
    expect(ab).to.contain(`withdrawn from the SCF: ${BARCODES.abLeft}X (moved to ABMAIN/stacks)`);
    const cd = stepBlock(result.stdout, "sync-items 01AAA_CD");
    expect(cd).to.contain("created: 1, updated: 1, deleted: 1, loaned: 1");
    expect(cd).to.contain(
      `withdrawn from the SCF: ${BARCODES.cdWithdrawn}X (deleted at CD: the _delete file)`,
    );
  });

  it("shows send-requests placing an item hold, a title-level hold and a digitization in the SCF", () => {
    const ab = stepBlock(result.stdout, "send-requests 01AAA_AB");
    expect(ab).to.match(/SCF request \d+: HOLD on item 31234000123458X for 01AAA_AB-ABRS/);
    expect(ab).to.match(/SCF request \d+: HOLD on title "On the origin of species" for 01AAA_AB-ABRS/);
    expect(ab).to.match(/SCF request \d+: DIGITIZATION on item 31234000334455X for ab-jdoe/);
    const cd = stepBlock(result.stdout, "send-requests 01AAA_CD");
    expect(cd).to.match(/SCF request \d+: HOLD on item 32345000111111X for 01AAA_CD-CDRS/);
  });

  it("shows both webhooks going through the listener to scan-in and cancel-request", () => {
    const block = stepBlock(result.stdout, "webhooks through the listener");
    expect(block).to.match(/Alma sent LOAN_RETURNED \(event \d+\) → the listener answered 200/);
    expect(block).to.match(/Alma sent REQUEST_CANCELED \(event \d+\) → the listener answered 200/);
    expect(block).to.contain("scan-in: scanned in: 1 at 01AAA_AB");
    expect(block).to.contain("cancel-request: cancelled: 1 at 01AAA_CD");
    expect(block).to.contain("spool: 2 done, 0 failed");
  });

  it("shows aleph-items sending Aleph's new and changed items to CaiaSoft", () => {
    const block = stepBlock(result.stdout, "aleph-items");
    expect(block).to.contain(
      "pages: 3, new items sent: 5, new items accepted: 5, updated items sent: 2, items updated: 2",
    );
    expect(block).to.contain(
      'e.g. CaiaSoft now holds 31430051335943 "Immigrant youth in cultural transition"',
    );
  });

  it("says where the reports and logs are, and they are there", async () => {
    const state = path.join(dir, "state");
    expect(result.stdout).to.contain(
      `reports (CSV of failed records, a JSON summary per run): ${state}/reports`,
    );
    expect(result.stdout).to.contain(`logs (JSON lines, secrets masked): ${state}/logs`);
    const summaries = (await readdir(path.join(state, "reports"))).filter((name) =>
      name.endsWith(".summary.json"),
    );
    // aspace2alma, sync-items ×2, send-requests ×2, scan-in, cancel-request, aleph-items.
    expect(summaries).to.have.length(8);
    expect(await readdir(path.join(state, "logs"))).to.have.length.above(0);
  });

  it("leaves no API key, password, secret or patron email in its log files", async () => {
    const config = JSON.parse(await readFile(path.join(dir, "alma-rs.json"), "utf8")) as unknown;
    const secrets = [...collectSecretValues(config)];
    // Every key of the three institutions, the SFTP and ArchivesSpace passwords, the CaiaSoft key, the webhook secret.
    expect(secrets).to.include.members(Object.values(DEFAULT_API_KEYS));
    expect(secrets).to.have.length(7);
    const logs = path.join(dir, "state", "logs");
    const text = (
      await Promise.all((await readdir(logs)).map((name) => readFile(path.join(logs, name), "utf8")))
    ).join("\n");
    expect(text.length, "the jobs logged their work").to.be.above(1000);
    expect(text).to.contain("scan-in: 31234000123456 scanned in at 01AAA_AB");
    for (const secret of secrets) expect(text, "a secret in the log").to.not.contain(secret);
    for (const email of [PATRONS.ab.email, PATRONS.cd.email]) expect(text).to.not.contain(email);
    expect(text).to.not.match(/[\w.+-]+@example\.edu/);
  });
});

describe("runDemo when something does not behave", function () {
  this.timeout(60_000);

  it("is not ok and names every check that failed", async () => {
    const { dir, cleanup } = await makeTempDir("alma-rs-demo-broken-");
    let account = "";
    let result: DemoResult;
    try {
      result = await runDemo({
        dir,
        write: (text) => (account += text),
        logLevel: "error",
        // CD's request export never arrived.
        prepare: (sandbox) => rm(sandbox.served(sandbox.seeded.requests[CD]![0]!)),
      });
    } finally {
      await cleanup();
    }
    expect(result.ok).to.be.false;
    expect(result.failed).to.include(
      `send-requests ${CD}: the SCF holds ${BARCODES.cdOnShelf}X for ${CD}-CDRS (a patron's hold at CD)`,
    );
    // Without the SCF request, the SCF's staff have nothing to cancel: the webhook step says so.
    expect(result.failed).to.include(
      `webhooks through the listener: SCF staff cancelled the hold on ${BARCODES.cdOnShelf}X`,
    );
    // The other webhook still went through.
    const webhooks = result.steps.find((step) => step.title === "webhooks through the listener")!;
    expect(webhooks.checks.find((check) => check.what.startsWith("scan-in: "))?.ok).to.be.true;
    expect(account).to.match(/demo finished in [\d.]+ s: \d+ of \d+ checks failed:/);
    expect(account).to.contain(`  ✘ send-requests ${CD}: the SCF holds ${BARCODES.cdOnShelf}X`);
    // The other jobs still ran and passed their checks.
    expect(result.steps.find((step) => step.title === "aleph-items")!.checks.every((check) => check.ok)).to.be
      .true;
  });
});

describe("alma-rs demo's flags", function () {
  this.timeout(90_000);

  it("--json prints the result instead of the account: ok, and every step with its checks", async () => {
    const { dir, cleanup } = await makeTempDir("alma-rs-demo-json-");
    try {
      const result = await almaRs(["demo", "--json", "--dir", path.join(dir, "demo")], { timeoutMs: 60_000 });
      expect(result.code, result.stderr).to.equal(0);
      const parsed = JSON.parse(result.stdout) as DemoResult;
      expect(parsed.ok).to.be.true;
      expect(parsed.failed).to.deep.equal([]);
      expect(parsed.steps.map((step) => step.title)).to.have.length(7);
      expect(parsed.steps.every((step) => step.checks.length > 0 && step.checks.every((check) => check.ok)))
        .to.be.true;
      expect(parsed.steps[1]!.summaries[0]).to.deep.include({ job: "sync-items", institution: "01AAA_AB" });
    } finally {
      await cleanup();
    }
  });

  it("refuses --dry-run (exit 2): it writes only to its own simulators", async () => {
    const result = await almaRs(["demo", "--dry-run"]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain("demo does not take --dry-run");
  });
});

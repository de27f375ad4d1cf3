import { expect } from "chai";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { runCli } from "../helpers/cli.js";
import { API_KEY, makeWorld, seedItems, type World } from "./world.js";

const CREATED = "202001011200";
const CLOCK = "202001020000";

/** Writes the world's configuration as a file for the command line. */
async function configFile(world: World): Promise<string> {
  const file = path.join(world.dir, "conf.json");
  await writeFile(file, JSON.stringify(world.raw, null, 2));
  return file;
}

describe("alma-rs aleph-items (command line)", function () {
  this.timeout(60_000);
  let world: World | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it("syncs a window, prints the summary and exits 0, the CaiaSoft key in no output or log", async () => {
    world = await makeWorld({ aleph: { items: seedItems(3, CREATED), clock: CLOCK, pageSize: 2 } });
    world.caiasoft.failCall(1, { kind: "status", status: 503 });
    const result = await runCli(["--config", await configFile(world), "--log-level", "debug", "aleph-items"]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include("aleph-items: finished");
    expect(result.stdout).to.include("new items accepted: 3");
    expect(result.stderr).to.include("CaiaSoft POST /incomingitems/v1: HTTP 503; retry 1 in ");
    expect((await world.checkpoint()).starttime).to.equal(CLOCK);
    const logFolder = path.join(world.dir, "logs");
    const logs = await Promise.all(
      (await readdir(logFolder)).map((name) => readFile(path.join(logFolder, name), "utf8")),
    );
    expect(logs.join("")).to.include("CaiaSoft POST /incomingitems/v1: HTTP 503");
    expect(result.stdout + result.stderr + logs.join("")).to.not.include(API_KEY);
  });

  it("prints the JSON summary with --json, the checkpoint before and after included", async () => {
    world = await makeWorld({ aleph: { items: seedItems(1, CREATED), clock: CLOCK } });
    const result = await runCli(["--config", await configFile(world), "--json", "aleph-items"]);
    expect(result.code, result.stderr).to.equal(0);
    const summary = JSON.parse(result.stdout) as { job: string; details: Record<string, unknown> };
    expect(summary.job).to.equal("aleph-items");
    expect(summary.details.checkpointBefore).to.deep.equal({
      starttime: "20200101",
      endtime: null,
      nextitem: null,
      page: 1,
    });
    expect(summary.details.checkpointAfter).to.deep.equal({
      starttime: CLOCK,
      endtime: null,
      nextitem: null,
      page: 1,
    });
  });

  it("exits 1 and names each item CaiaSoft rejected", async () => {
    world = await makeWorld({
      aleph: { items: seedItems(2, CREATED), clock: CLOCK },
      caiasoft: { rejects: { "31430002": "Barcode already exists" } },
    });
    const result = await runCli(["--config", await configFile(world), "aleph-items"]);
    expect(result.code, result.stderr).to.equal(1);
    expect(result.stdout).to.include("  failed 31430002 (send new items): Barcode already exists\n");
  });

  it("--dry-run prints what would be sent and sends nothing", async () => {
    world = await makeWorld({ aleph: { items: seedItems(2, CREATED), clock: CLOCK } });
    const result = await runCli(["--config", await configFile(world), "--dry-run", "aleph-items"]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include(
      "  would send 2 new items to POST /incomingitems/v1 (page 1, batch 1): 31430001, 31430002\n",
    );
    expect(world.caiasoft.calls).to.have.length(0);
  });

  it("--since reads another window and exits 0; a malformed one exits 2 with the reason", async () => {
    world = await makeWorld({ aleph: { items: seedItems(1, CREATED), clock: CLOCK } });
    const config = await configFile(world);
    const good = await runCli(["--config", config, "aleph-items", "--since", "20191231"]);
    expect(good.code, good.stderr).to.equal(0);
    expect(world.aleph.calls[0]).to.deep.include({ starttime: "20191231" });
    const bad = await runCli(["--config", config, "aleph-items", "--since", "yesterday"]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include(
      '--since must be an Aleph timestamp of 8 to 14 digits such as 20200601 or 202006011300, not "yesterday"',
    );
  });

  it("exits 2 when the configuration has no caiasoft section", async () => {
    world = await makeWorld({ config: (raw) => delete raw.caiasoft });
    const result = await runCli(["--config", await configFile(world), "aleph-items"]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include("aleph-items cannot run");
    expect(result.stderr).to.include(
      "caiasoft: missing (caiasoft.base_url and caiasoft.api_key are required)",
    );
  });

  it("exits 3 when Aleph cannot be reached", async () => {
    world = await makeWorld({ aleph: { items: seedItems(1, CREATED), clock: CLOCK } });
    const url = world.aleph.url;
    await world.aleph.stop();
    const result = await runCli(["--config", await configFile(world), "aleph-items"]);
    expect(result.code).to.equal(3);
    expect(result.stderr).to.include(
      `Aleph items endpoint ${url}?starttime=20200101 failed after 5 attempts: ECONNREFUSED`,
    );
  });
});

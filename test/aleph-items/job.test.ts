import { expect } from "chai";
import { readdir, readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { exitCodeFor } from "../../src/runtime/run-report.js";
import { makeWorld, processedBarcodes, seedItems, type World } from "./world.js";

const CREATED = "202001011200";
const CLOCK = "202001020000";

describe("aleph-items job", () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it("starts its first run at aleph.default_start and moves the checkpoint to Aleph's endtime", async () => {
    world = await makeWorld({ aleph: { items: seedItems(3, CREATED), clock: CLOCK } });
    const summary = await world.run();

    expect(exitCodeFor(summary)).to.equal(0);
    expect(
      world.aleph.calls.map(({ starttime, endtime, nextitem }) => ({ starttime, endtime, nextitem })),
    ).to.deep.equal([{ starttime: "20200101", endtime: undefined, nextitem: undefined }]);
    expect(processedBarcodes(world.caiasoft, "incomingitems")).to.deep.equal([
      ["31430001", "31430002", "31430003"],
    ]);
    expect(summary.counts).to.include({ pages: 1, "new items sent": 3, "new items accepted": 3 });
    const checkpoint = await world.checkpoint();
    expect(checkpoint).to.deep.include({ starttime: CLOCK, endtime: null, nextitem: null, page: 1 });
    expect(checkpoint.previous).to.deep.include({ starttime: "20200101", endtime: CLOCK, pages: 1 });
  });

  it("pages through a window with starttime, the previous endtime and nextitem", async () => {
    world = await makeWorld({ aleph: { items: seedItems(7, CREATED), clock: CLOCK, pageSize: 3 } });
    const summary = await world.run();

    expect(exitCodeFor(summary)).to.equal(0);
    expect(world.aleph.calls.map((call) => call.url.replace(/^.*\?/, ""))).to.deep.equal([
      "starttime=20200101",
      `starttime=20200101&endtime=${CLOCK}&nextitem=31430004`,
      `starttime=20200101&endtime=${CLOCK}&nextitem=31430007`,
    ]);
    expect(processedBarcodes(world.caiasoft, "incomingitems")).to.deep.equal([
      ["31430001", "31430002", "31430003"],
      ["31430004", "31430005", "31430006"],
      ["31430007"],
    ]);
    expect((await world.checkpoint()).starttime).to.equal(CLOCK);
  });

  for (const last of ["", null, "absent"] as const) {
    it(`ends the window when the last page's nextitem is ${last === "absent" ? "absent" : JSON.stringify(last)}`, async () => {
      world = await makeWorld({
        aleph: { items: seedItems(4, CREATED), clock: CLOCK, pageSize: 2, lastPageNextitem: last },
      });
      const summary = await world.run();
      expect(exitCodeFor(summary)).to.equal(0);
      expect(world.aleph.calls).to.have.length(2);
      expect(await world.checkpoint()).to.deep.include({ starttime: CLOCK, nextitem: null });
    });
  }

  it("sends no incoming call when a window has no new items", async () => {
    const items = seedItems(2, "20191201").map((item) => ({ ...item, updated: [CREATED] }));
    world = await makeWorld({ aleph: { items, clock: CLOCK } });
    const summary = await world.run();
    expect(exitCodeFor(summary)).to.equal(0);
    expect(world.caiasoft.calls.map((call) => call.endpoint)).to.deep.equal(["itemupdates"]);
    expect(summary.counts).to.include({ "updated items sent": 2, "items updated": 2 });
  });

  it("sends no update call when a window has no updated items", async () => {
    world = await makeWorld({ aleph: { items: seedItems(2, CREATED), clock: CLOCK } });
    await world.run();
    expect(world.caiasoft.calls.map((call) => call.endpoint)).to.deep.equal(["incomingitems"]);
  });

  it("calls CaiaSoft not at all for an empty window, and still moves on to Aleph's endtime", async () => {
    world = await makeWorld({ aleph: { items: seedItems(2, "20191201"), clock: CLOCK } });
    const summary = await world.run();
    expect(exitCodeFor(summary)).to.equal(0);
    expect(world.caiasoft.calls).to.have.length(0);
    expect((await world.checkpoint()).starttime).to.equal(CLOCK);
  });

  it("reports rejected new items and update errors with CaiaSoft's reason, exits 1 and moves on", async () => {
    const items = [
      ...seedItems(3, CREATED),
      ...seedItems(2, "20191201", "3999").map((item) => ({ ...item, updated: [CREATED] })),
    ];
    world = await makeWorld({
      aleph: { items, clock: CLOCK },
      caiasoft: {
        rejects: { "31430002": "Barcode already exists" },
        updateErrors: { "39990001": "Item not found" },
      },
    });
    const summary = await world.run();

    expect(exitCodeFor(summary)).to.equal(1);
    expect(summary.failures).to.deep.equal([
      {
        institution: undefined,
        barcode: "31430002",
        step: "send new items",
        message: "Barcode already exists",
      },
      { institution: undefined, barcode: "39990001", step: "send updated items", message: "Item not found" },
    ]);
    const csv = await readFile(summary.csvReport!, "utf8");
    expect(csv).to.include("31430002,,send new items: Barcode already exists");
    expect(csv).to.include("39990001,,send updated items: Item not found");
    expect(summary.counts).to.include({ "new items sent": 3, "new items accepted": 2, "items updated": 1 });
    expect((await world.checkpoint()).starttime).to.equal(CLOCK);
  });

  it("stops with exit 3 on a success:false that accepts and names nothing, and resends that batch next run", async () => {
    world = await makeWorld({ aleph: { items: seedItems(2, CREATED), clock: CLOCK } });
    world.caiasoft.failCall(1, { kind: "success-false", error: "Collection OTHER - CPMCK STACK unknown" });
    const first = await world.run({ runId: "run-1" });

    const saved = path.join(
      world.config.state_dir,
      "aleph-items",
      "runs",
      "run-1",
      "1-p1.new-1.response.json",
    );
    expect(exitCodeFor(first)).to.equal(3);
    expect(first.aborted).to.equal(
      "CaiaSoft answered POST /incomingitems/v1 for the new items of page 1, batch 1 with success:false, " +
        `accepting none and naming none: Collection OTHER - CPMCK STACK unknown (saved as ${saved}); ` +
        "the next run resumes at page 1 of the window starting 20200101",
    );
    expect(first.failures).to.deep.equal([]);
    expect(await world.checkpoint()).to.deep.include({
      starttime: "20200101",
      nextitem: null,
      page: 1,
      accepted: { new: [], update: [] },
    });

    const second = await world.run({ runId: "run-2" });
    expect(exitCodeFor(second)).to.equal(0);
    expect(processedBarcodes(world.caiasoft, "incomingitems")).to.deep.equal([["31430001", "31430002"]]);
    expect(await world.checkpoint()).to.deep.include({ starttime: CLOCK, page: 1 });
  });

  it("reports every item a success:false answer did not name, with CaiaSoft's error, and moves on", async () => {
    world = await makeWorld({ aleph: { items: seedItems(3, CREATED), clock: CLOCK } });
    world.caiasoft.failCall(1, {
      kind: "success-false",
      error: "Some items failed",
      named: { "31430002": "Barcode already exists" },
    });
    const summary = await world.run();
    expect(exitCodeFor(summary)).to.equal(1);
    expect(summary.failures.map((f) => `${f.barcode}: ${f.message}`)).to.deep.equal([
      "31430002: Barcode already exists",
      "31430001: CaiaSoft answered success:false: Some items failed",
      "31430003: CaiaSoft answered success:false: Some items failed",
    ]);
    expect((await world.checkpoint()).starttime).to.equal(CLOCK);
  });

  it("names the items a success:true answer with short counts leaves unaccounted for", async () => {
    world = await makeWorld({ aleph: { items: seedItems(3, CREATED), clock: CLOCK } });
    const answer = {
      success: true,
      error: "",
      incoming_count: "0",
      rejected_count: "1",
      rejects: [{ barcode: "31430003", reason: "Invalid collection" }],
    };
    world.caiasoft.failCall(1, { kind: "status", status: 200, body: JSON.stringify(answer) });
    const summary = await world.run();
    expect(exitCodeFor(summary)).to.equal(1);
    const lost =
      "not accepted by CaiaSoft, not named in its answer (CaiaSoft counted 0 incoming and 1 rejected of 3 items sent)";
    expect(summary.failures.map((f) => [f.barcode, f.message])).to.deep.equal([
      ["31430003", "Invalid collection"],
      ["31430001", lost],
      ["31430002", lost],
    ]);
  });

  it("sends null as CLEARFIELD* in updates only, and CaiaSoft clears the field", async () => {
    const items = [
      { barcode: "31430001", created: CREATED, fields: { title: "New book", author: null } },
      {
        barcode: "31430002",
        created: "20191201",
        updated: [CREATED],
        fields: { title: "Renamed", author: null },
      },
    ];
    world = await makeWorld({ aleph: { items, clock: CLOCK } });
    world.caiasoft.items.set("31430002", {
      barcode: "31430002",
      title: "Old",
      author: "Someone",
      volume: "v.1",
    });
    await world.run();

    const incoming = JSON.parse(world.caiasoft.processed("incomingitems")[0]!.requestBody) as {
      incoming: Record<string, unknown>[];
    };
    const updates = JSON.parse(world.caiasoft.processed("itemupdates")[0]!.requestBody) as {
      items: Record<string, unknown>[];
    };
    expect(incoming.incoming[0]).to.include({ barcode: "31430001", author: null, volume: null });
    expect(updates.items[0]).to.include({
      barcode: "31430002",
      title: "Renamed",
      author: "CLEARFIELD*",
      volume: "CLEARFIELD*",
    });
    expect(Object.values(updates.items[0]!)).to.not.include(null);
    expect(world.caiasoft.items.get("31430002")).to.deep.equal({ barcode: "31430002", title: "Renamed" });
  });

  it("saves a CaiaSoft answer that is not JSON, reports it, keeps the position and resends the batch next run", async () => {
    world = await makeWorld({ aleph: { items: seedItems(2, CREATED), clock: CLOCK } });
    world.caiasoft.failCall(1, { kind: "not-json", body: "<html>Maintenance</html>" });
    const first = await world.run({ runId: "run-1" });

    const saved = path.join(
      world.config.state_dir,
      "aleph-items",
      "runs",
      "run-1",
      "1-p1.new-1.response.json",
    );
    expect(first.aborted).to.equal(
      `CaiaSoft's answer to POST /incomingitems/v1 is not JSON (saved as ${saved}); ` +
        "the next run resumes at page 1 of the window starting 20200101",
    );
    expect(exitCodeFor(first)).to.equal(3);
    expect(await readFile(saved, "utf8")).to.equal("<html>Maintenance</html>\n");
    expect(await world.checkpoint()).to.deep.include({
      starttime: "20200101",
      endtime: CLOCK,
      nextitem: null,
    });

    const second = await world.run({ runId: "run-2" });
    expect(exitCodeFor(second)).to.equal(0);
    expect(processedBarcodes(world.caiasoft, "incomingitems")).to.deep.equal([["31430001", "31430002"]]);
  });

  it("saves an Aleph answer that is not JSON and aborts without moving the checkpoint", async () => {
    world = await makeWorld({ aleph: { items: seedItems(2, CREATED), clock: CLOCK } });
    world.aleph.failCall(1, { kind: "body", body: "Aleph is down for maintenance" });
    const summary = await world.run({ runId: "r" });
    const saved = path.join(world.config.state_dir, "aleph-items", "runs", "r", "1-p1.aleph-response.json");
    expect(summary.aborted).to.equal(
      `Aleph's answer is not JSON (saved as ${saved}); the next run resumes at page 1 of the window starting 20200101`,
    );
    expect(await readFile(saved, "utf8")).to.equal("Aleph is down for maintenance\n");
    expect(world.caiasoft.calls).to.have.length(0);
  });

  it("aborts with Aleph's HTTP error after the retries and saves Aleph's error body", async () => {
    world = await makeWorld({ aleph: { items: seedItems(2, CREATED), clock: CLOCK } });
    world.aleph.addFault(() => true, { kind: "status", status: 503, body: "busy" });
    const summary = await world.run({ runId: "r" });
    expect(summary.aborted).to.equal(
      `Aleph items endpoint ${world.aleph.url}?starttime=20200101 failed after 3 attempts: HTTP 503; ` +
        "the next run resumes at page 1 of the window starting 20200101",
    );
    expect(world.aleph.calls).to.have.length(3);
    const runDir = path.join(world.config.state_dir, "aleph-items", "runs", "r");
    expect(await readFile(path.join(runDir, "1-p1.aleph-error.json"), "utf8")).to.equal("busy\n");
  });

  it("reports an Aleph entry without a barcode and sends the others", async () => {
    world = await makeWorld({ aleph: { items: seedItems(1, CREATED), clock: CLOCK } });
    world.aleph.failCall(1, {
      kind: "body",
      body: JSON.stringify({
        starttime: "20200101",
        endtime: CLOCK,
        new: [{ barcode: "31430001" }, { title: "x" }],
      }),
    });
    const summary = await world.run({ runId: "r" });
    expect(exitCodeFor(summary)).to.equal(1);
    expect(summary.failures[0]).to.deep.include({
      step: "read Aleph's answer",
      message: "item has no barcode",
    });
    expect(summary.failures[0]!.record).to.match(/^new\[1\] of page 1 \(.*1-p1\.aleph-response\.json\)$/);
    expect(processedBarcodes(world.caiasoft, "incomingitems")).to.deep.equal([["31430001"]]);
  });

  it("stops when Aleph answers with the nextitem it was asked for", async () => {
    world = await makeWorld({ aleph: { items: seedItems(4, CREATED), clock: CLOCK, pageSize: 2 } });
    world.aleph.failCall(2, {
      kind: "body",
      body: JSON.stringify({ starttime: "20200101", endtime: CLOCK, nextitem: "31430003", new: [] }),
    });
    const summary = await world.run();
    expect(summary.aborted).to.equal(
      "Aleph answered page 2 with the nextitem it was asked for (31430003); stopping rather than asking again forever; " +
        "the next run resumes at page 2 of the window starting 20200101",
    );
  });

  it("cuts a page into batches of caiasoft.batch_size and resumes after the last accepted batch", async () => {
    world = await makeWorld({
      aleph: { items: seedItems(5, CREATED), clock: CLOCK },
      config: (raw) => ((raw.caiasoft as Record<string, unknown>).batch_size = 2),
    });
    world.caiasoft.addFault((call) => call.items[0]?.barcode === "31430003", { kind: "status", status: 502 });
    const first = await world.run();
    expect(first.aborted).to.match(/^CaiaSoft POST \/incomingitems\/v1 failed after 3 attempts: HTTP 502; /);
    expect((await world.checkpoint()).accepted.new.map((mark) => mark.index)).to.deep.equal([1]);

    world.caiasoft.clearFaults();
    const second = await world.run();
    expect(exitCodeFor(second)).to.equal(0);
    expect(second.counts["batches already accepted"]).to.equal(1);
    expect(processedBarcodes(world.caiasoft, "incomingitems")).to.deep.equal([
      ["31430001", "31430002"],
      ["31430003", "31430004"],
      ["31430005"],
    ]);
  });

  it("resends a batch whose answer was lost after CaiaSoft processed it, with the same result", async () => {
    world = await makeWorld({ aleph: { items: seedItems(2, CREATED), clock: CLOCK } });
    world.caiasoft.failCall(1, { kind: "status", status: 504, process: true });
    const summary = await world.run();
    expect(exitCodeFor(summary)).to.equal(0);
    expect(processedBarcodes(world.caiasoft, "incomingitems")).to.have.length(2);
    expect([...world.caiasoft.items.keys()]).to.deep.equal(["31430001", "31430002"]);
  });

  it("on SIGINT lets the call under way finish, records it, and starts no new batch", async () => {
    world = await makeWorld({
      aleph: { items: seedItems(3, CREATED), clock: CLOCK },
      config: (raw) => ((raw.caiasoft as Record<string, unknown>).batch_size = 1),
    });
    const controller = new AbortController();
    world.caiasoft.addFault(
      (call) => {
        if (call.n === 2) controller.abort();
        return false;
      },
      { kind: "status", status: 500 },
    );
    const summary = await world.run({ signal: controller.signal });
    expect(summary.aborted).to.equal(
      "interrupted; the next run resumes at page 1 of the window starting 20200101",
    );
    expect(processedBarcodes(world.caiasoft, "incomingitems")).to.deep.equal([["31430001"], ["31430002"]]);
    expect((await world.checkpoint()).accepted.new.map((mark) => mark.index)).to.deep.equal([1, 2]);
    const resumed = await world.run();
    expect(exitCodeFor(resumed)).to.equal(0);
    expect(processedBarcodes(world.caiasoft, "incomingitems").slice(2)).to.deep.equal([["31430003"]]);
  });

  it("--dry-run runs without a caiasoft section", async () => {
    world = await makeWorld({
      aleph: { items: seedItems(1, CREATED), clock: CLOCK },
      config: (raw) => delete raw.caiasoft,
    });
    const summary = await world.run({ dryRun: true });
    expect(exitCodeFor(summary)).to.equal(0);
    expect(summary.counts["would send"]).to.equal(1);
  });

  it("--dry-run asks Aleph, lists what would be sent, sends nothing and writes no checkpoint", async () => {
    world = await makeWorld({ aleph: { items: seedItems(3, CREATED), clock: CLOCK, pageSize: 2 } });
    const summary = await world.run({ dryRun: true });
    expect(exitCodeFor(summary)).to.equal(0);
    expect(world.caiasoft.calls).to.have.length(0);
    expect(world.aleph.calls).to.have.length(2);
    expect(summary.planned!.map((write) => write.target)).to.deep.equal([
      "2 new items to POST /incomingitems/v1 (page 1, batch 1): 31430001, 31430002",
      "1 new item to POST /incomingitems/v1 (page 2, batch 1): 31430003",
    ]);
    expect(summary.counts["would send"]).to.equal(2);
    await readFile(world.stateFile).then(
      () => expect.fail("a dry run wrote the checkpoint"),
      (error: NodeJS.ErrnoException) => expect(error.code).to.equal("ENOENT"),
    );
  });

  it("--since syncs the given window and leaves the checkpoint as it was", async () => {
    world = await makeWorld({ aleph: { items: seedItems(2, CREATED), clock: CLOCK } });
    await world.run();
    const before = await readFile(world.stateFile, "utf8");
    world.aleph.clock = "202001030000";
    const summary = await world.run({ since: "20200101" });
    expect(exitCodeFor(summary)).to.equal(0);
    expect(world.aleph.calls[1]).to.deep.include({ starttime: "20200101", endtime: undefined });
    expect(processedBarcodes(world.caiasoft, "incomingitems")).to.have.length(2);
    expect(await readFile(world.stateFile, "utf8")).to.equal(before);
  });

  it("keeps every exchange of a run as a readable file named after the run, iteration and page", async () => {
    const items = [
      ...seedItems(1, CREATED),
      { barcode: "39990001", created: "20191201", updated: [CREATED] },
    ];
    world = await makeWorld({ aleph: { items, clock: CLOCK } });
    await world.run({ runId: "20200102T000000Z-1" });
    const runDir = path.join(world.config.state_dir, "aleph-items", "runs", "20200102T000000Z-1");
    expect((await readdir(runDir)).sort()).to.deep.equal([
      "1-p1.aleph-response.json",
      "1-p1.new-1.request.json",
      "1-p1.new-1.response.json",
      "1-p1.update-1.request.json",
      "1-p1.update-1.response.json",
    ]);
    const request = JSON.parse(
      await readFile(path.join(runDir, "1-p1.new-1.request.json"), "utf8"),
    ) as unknown;
    expect(request).to.deep.equal(JSON.parse(world.caiasoft.calls[0]!.requestBody));
    const response = await readFile(path.join(runDir, "1-p1.update-1.response.json"), "utf8");
    expect(response).to.equal(`${world.caiasoft.calls[1]!.responseBody}\n`);
  });

  it("names a resumed run's files after the window's page as well as the run's iteration", async () => {
    world = await makeWorld({ aleph: { items: seedItems(4, CREATED), clock: CLOCK, pageSize: 2 } });
    world.caiasoft.addFault(
      (call) => call.items[0]?.barcode === "31430003",
      { kind: "status", status: 502 },
      3,
    );
    const first = await world.run({ runId: "first" });
    expect(exitCodeFor(first)).to.equal(3);
    await world.run({ runId: "resumed" });
    const runDir = path.join(world.config.state_dir, "aleph-items", "runs", "resumed");
    expect((await readdir(runDir)).sort()).to.deep.equal([
      "1-p2.aleph-response.json",
      "1-p2.new-1.request.json",
      "1-p2.new-1.response.json",
    ]);
  });

  it("prunes run folders older than aleph.keep_run_files_days", async () => {
    world = await makeWorld({ aleph: { items: [], clock: CLOCK } });
    const runs = path.join(world.config.state_dir, "aleph-items", "runs");
    await mkdir(path.join(runs, "old"), { recursive: true });
    await mkdir(path.join(runs, "recent"), { recursive: true });
    const { utimes } = await import("node:fs/promises");
    const fortyDaysAgo = new Date(Date.now() - 40 * 86_400_000);
    await utimes(path.join(runs, "old"), fortyDaysAgo, fortyDaysAgo);
    await world.run({ runId: "now" });
    expect((await readdir(runs)).sort()).to.deep.equal(["now", "recent"]);
  });

  it("aborts on an unreadable checkpoint instead of starting over", async () => {
    world = await makeWorld({ aleph: { items: [], clock: CLOCK } });
    await mkdir(path.dirname(world.stateFile), { recursive: true });
    await writeFile(world.stateFile, "{");
    const summary = await world.run();
    expect(summary.aborted).to.equal(
      `the checkpoint ${world.stateFile} is unreadable (not JSON): inspect and repair it, or remove it after setting aleph.default_start to the starttime to resume from (without a checkpoint a run starts at aleph.default_start and sends everything since again)`,
    );
    expect(world.aleph.calls).to.have.length(0);
  });

  it("refuses to run without the caiasoft section, naming it", async () => {
    world = await makeWorld({ config: (raw) => delete raw.caiasoft });
    let error: Error | undefined;
    await world.run().catch((e: Error) => (error = e));
    expect(error?.message).to.equal(
      "aleph-items cannot run\n  caiasoft: missing (caiasoft.base_url and caiasoft.api_key are required)",
    );
  });

  it("names every missing section at once", async () => {
    world = await makeWorld({
      config: (raw) => {
        delete raw.aleph;
        delete raw.caiasoft;
      },
    });
    let error: Error | undefined;
    await world.run().catch((e: Error) => (error = e));
    expect(error?.message).to.equal(
      "aleph-items cannot run\n  aleph: missing (aleph.items_url is required)\n" +
        "  caiasoft: missing (caiasoft.base_url and caiasoft.api_key are required)",
    );
  });

  it("refuses a --since that is not an Aleph timestamp", async () => {
    world = await makeWorld();
    let error: Error | undefined;
    await world.run({ since: "2020-01-01" }).catch((e: Error) => (error = e));
    expect(error?.message).to.equal(
      '--since must be an Aleph timestamp of 8 to 14 digits such as 20200601 or 202006011300, not "2020-01-01"',
    );
  });
});

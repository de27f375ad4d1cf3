import { expect } from "chai";
import type { SeededItem } from "../../src/sandbox/aleph/index.js";
import type { CaiasoftCall } from "../../src/sandbox/caiasoft/index.js";
import { exitCodeFor } from "../../src/runtime/run-report.js";
import { makeWorld, type World } from "./world.js";

const WINDOW_START = "20200101";
const FIRST_END = "202001020000";
const SECOND_END = "202001030000";

/**
 * Ten entries in the first window, two per page: page k holds new item 2k-1 and updated item 2k. After the
 * window ends, one item is created and one changed, for the next window.
 */
function history(): SeededItem[] {
  const items: SeededItem[] = [];
  for (let i = 1; i <= 10; i++) {
    const barcode = `3143${String(i).padStart(4, "0")}`;
    items.push(
      i % 2 === 1
        ? { barcode, created: "202001011200", fields: { title: `New ${i}`, author: null } }
        : {
            barcode,
            created: "20191201",
            updated: ["202001011300"],
            fields: { title: `Changed ${i}`, volume: null },
          },
    );
  }
  items[0]!.updated = ["202001021300"];
  items.push({ barcode: "31430011", created: "202001021200", fields: { title: "Next window" } });
  return items;
}

function worldOptions() {
  return { aleph: { items: history(), clock: FIRST_END, pageSize: 2 } };
}

/** What CaiaSoft took, call by call: the endpoint and the exact items. */
function delivered(calls: readonly CaiasoftCall[]): { endpoint: string; items: Record<string, unknown>[] }[] {
  return calls.filter((call) => call.processed).map(({ endpoint, items }) => ({ endpoint, items }));
}

function barcodes(calls: readonly CaiasoftCall[]): string[] {
  return calls
    .filter((call) => call.processed)
    .flatMap((call) => call.items.map((item) => String(item.barcode)));
}

describe("aleph-items: a run failing on page 3 of 5, then re-run", () => {
  let uninterrupted: World;
  let interrupted: World;
  before(async () => {
    uninterrupted = await makeWorld(worldOptions());
    interrupted = await makeWorld(worldOptions());
  });
  after(async () => {
    await uninterrupted.close();
    await interrupted.close();
  });

  it("resumes at page 3, sends pages 3–5 without resending pages 1–2, and the next window starts at the window's endtime — item by item as an uninterrupted run", async () => {
    // The uninterrupted run: the whole window, then (later, by Aleph's clock) the next one.
    expect(exitCodeFor(await uninterrupted.run())).to.equal(0);
    uninterrupted.aleph.clock = SECOND_END;
    expect(exitCodeFor(await uninterrupted.run())).to.equal(0);

    // The interrupted run: CaiaSoft fails page 3's updates (its new items were accepted).
    interrupted.caiasoft.addFault((call) => call.items[0]?.barcode === "31430006", {
      kind: "status",
      status: 500,
    });
    const failed = await interrupted.run();
    expect(failed.aborted).to.equal(
      "CaiaSoft POST /itemupdates/v1 failed after 3 attempts: HTTP 500; " +
        "the next run resumes at page 3 of the window starting 20200101",
    );
    expect(exitCodeFor(failed)).to.equal(3);
    const stored = await interrupted.checkpoint();
    expect(stored).to.deep.include({
      starttime: WINDOW_START,
      endtime: FIRST_END,
      nextitem: "31430005",
      page: 3,
    });
    expect(stored.accepted.new.map((mark) => mark.index)).to.deep.equal([1]);
    expect(stored.accepted.update).to.deep.equal([]);

    // Aleph's clock moves on before the re-run; the re-run must still finish the stored window.
    interrupted.aleph.clock = SECOND_END;
    interrupted.caiasoft.clearFaults();
    const alephBefore = interrupted.aleph.calls.length;
    const caiasoftBefore = interrupted.caiasoft.calls.length;
    const rerun = await interrupted.run();
    expect(exitCodeFor(rerun)).to.equal(0);

    const rerunAleph = interrupted.aleph.calls
      .slice(alephBefore)
      .map((call) => call.url.replace(/^.*\?/, ""));
    expect(rerunAleph).to.deep.equal([
      `starttime=${WINDOW_START}&endtime=${FIRST_END}&nextitem=31430005`,
      `starttime=${WINDOW_START}&endtime=${FIRST_END}&nextitem=31430007`,
      `starttime=${WINDOW_START}&endtime=${FIRST_END}&nextitem=31430009`,
    ]);
    const rerunCaiasoft = interrupted.caiasoft.calls.slice(caiasoftBefore);
    expect(barcodes(rerunCaiasoft)).to.deep.equal([
      "31430006",
      "31430007",
      "31430008",
      "31430009",
      "31430010",
    ]);
    expect(rerun.counts["batches already accepted"]).to.equal(1);
    expect(await interrupted.checkpoint()).to.deep.include({
      starttime: FIRST_END,
      endtime: null,
      nextitem: null,
    });

    // The next window starts at the first window's endtime, by Aleph's clock.
    const nextAleph = interrupted.aleph.calls.length;
    const nextCaiasoft = interrupted.caiasoft.calls.length;
    expect(exitCodeFor(await interrupted.run())).to.equal(0);
    expect(interrupted.aleph.calls[nextAleph]).to.deep.include({ starttime: FIRST_END, endtime: undefined });
    expect(barcodes(interrupted.caiasoft.calls.slice(nextCaiasoft))).to.deep.equal(["31430011", "31430001"]);

    // Item by item, CaiaSoft received exactly what it received from the uninterrupted runs, in the same order.
    expect(delivered(interrupted.caiasoft.calls)).to.deep.equal(delivered(uninterrupted.caiasoft.calls));
    expect([...interrupted.caiasoft.items.entries()]).to.deep.equal([
      ...uninterrupted.caiasoft.items.entries(),
    ]);
    expect(await interrupted.checkpoint()).to.deep.include({
      starttime: SECOND_END,
      endtime: null,
      nextitem: null,
    });
    expect((await uninterrupted.checkpoint()).starttime).to.equal(SECOND_END);
    // Aleph was asked the same pages; only page 3 twice (the failed run had fetched it).
    const asked = (world: World) => world.aleph.calls.map((call) => call.url);
    expect(asked(interrupted)).to.deep.equal([
      ...asked(uninterrupted).slice(0, 3),
      ...asked(uninterrupted).slice(2),
    ]);
  });
});

describe("aleph-items: Aleph failing on page 3 of 5, then re-run", () => {
  let world: World;
  before(async () => (world = await makeWorld(worldOptions())));
  after(async () => await world.close());

  it("asks Aleph for page 3 again with the stored starttime, endtime and nextitem", async () => {
    world.aleph.addFault((call) => call.nextitem === "31430005", { kind: "status", status: 500 });
    const failed = await world.run();
    expect(failed.aborted).to.equal(
      `Aleph items endpoint ${world.aleph.url}?starttime=20200101&endtime=${FIRST_END}&nextitem=31430005 ` +
        "failed after 3 attempts: HTTP 500; the next run resumes at page 3 of the window starting 20200101",
    );
    const sentBefore = world.caiasoft.calls.length;
    world.aleph.clearFaults();
    world.aleph.clock = SECOND_END;
    const rerun = await world.run();
    expect(exitCodeFor(rerun)).to.equal(0);
    expect(barcodes(world.caiasoft.calls.slice(sentBefore))).to.deep.equal([
      "31430005",
      "31430006",
      "31430007",
      "31430008",
      "31430009",
      "31430010",
    ]);
    expect((await world.checkpoint()).starttime).to.equal(FIRST_END);
  });
});

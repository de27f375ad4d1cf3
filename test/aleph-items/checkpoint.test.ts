import { expect } from "chai";
import { mkdir, readdir, readFile, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ItemsPage } from "../../src/aleph/index.js";
import {
  batchMark,
  checkpointProblem,
  CheckpointFile,
  isBatchAccepted,
  newRunId,
  pageQuery,
  pruneRunFolders,
  startOfWindow,
  withBatchAccepted,
  withPageDone,
  withPageReceived,
} from "../../src/jobs/aleph-items/index.js";
import { makeTempDir } from "../helpers/temp-dir.js";

function page(endtime: string, nextitem: string | null): ItemsPage {
  return { starttime: "20200101", endtime, nextitem, new: [], update: [], unusable: [] };
}

describe("aleph-items checkpoint", () => {
  it("asks a window's first page with starttime only, and a later page with the window's endtime and nextitem", () => {
    const first = startOfWindow("20200101");
    expect(pageQuery(first)).to.deep.equal({ starttime: "20200101" });
    const received = withPageReceived(first, page("202001020000", "B"));
    const second = withPageDone(received, page("202001020000", "B"), "run").checkpoint;
    expect(pageQuery(second)).to.deep.equal({
      starttime: "20200101",
      endtime: "202001020000",
      nextitem: "B",
    });
    expect(second).to.deep.include({ page: 2, accepted: { new: [], update: [] } });
  });

  it("keeps the window's endtime when a later page answers another one", () => {
    const second = { ...startOfWindow("20200101"), endtime: "202001020000", nextitem: "B", page: 2 };
    expect(withPageReceived(second, page("202001029999", "C")).endtime).to.equal("202001020000");
    expect(withPageDone(second, page("202001029999", null), "run").checkpoint.starttime).to.equal(
      "202001020000",
    );
  });

  it("opens the next window at the window's endtime after its last page", () => {
    const last = { ...startOfWindow("20200101"), endtime: "202001020000", nextitem: "C", page: 3 };
    const { checkpoint, windowDone } = withPageDone(last, page("202001020000", null), "run-7");
    expect(windowDone).to.equal(true);
    expect(checkpoint).to.deep.equal({
      ...startOfWindow("202001020000"),
      previous: { starttime: "20200101", endtime: "202001020000", pages: 3, finishedBy: "run-7" },
    });
  });

  it("counts a batch as accepted only with the same position and the same request body", () => {
    const mark = batchMark(1, 2, '{"incoming":[1,2]}');
    const checkpoint = withBatchAccepted(startOfWindow("20200101"), "new", mark);
    expect(isBatchAccepted(checkpoint, "new", mark)).to.equal(true);
    expect(isBatchAccepted(checkpoint, "update", mark)).to.equal(false);
    expect(isBatchAccepted(checkpoint, "new", batchMark(1, 2, '{"incoming":[1,3]}'))).to.equal(false);
    expect(isBatchAccepted(checkpoint, "new", batchMark(2, 2, '{"incoming":[1,2]}'))).to.equal(false);
  });

  it("names what is wrong with a stored checkpoint", () => {
    const good = startOfWindow("20200101");
    expect(checkpointProblem(good)).to.equal(undefined);
    expect(checkpointProblem([])).to.equal("not a JSON object");
    expect(checkpointProblem({ ...good, version: 2 })).to.equal("unknown version 2");
    expect(checkpointProblem({ ...good, starttime: "" })).to.equal("starttime is missing");
    expect(checkpointProblem({ ...good, nextitem: "B" })).to.equal("nextitem is set but endtime is not");
    expect(checkpointProblem({ ...good, page: 0 })).to.equal("page is not a positive integer");
    expect(checkpointProblem({ ...good, accepted: { new: [{}], update: [] } })).to.equal(
      "accepted is not a list of batches",
    );
  });

  describe("on disk", () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
    afterEach(() => cleanup());

    it("reads back what it wrote, stamped with the run, and removes temp files a killed run left", async () => {
      const file = new CheckpointFile(path.join(dir, "aleph-items", "state.json"));
      expect(await file.load()).to.equal(undefined);
      await file.save(startOfWindow("20200101"), "run-1", new Date("2020-01-02T00:00:00Z"));
      await writeFile(path.join(dir, "aleph-items", ".state.json.999.abcd.tmp"), '{"half":');
      expect(await file.load()).to.deep.equal({
        ...startOfWindow("20200101"),
        writtenBy: "run-1",
        writtenAt: "2020-01-02T00:00:00.000Z",
      });
      expect(await readdir(path.join(dir, "aleph-items"))).to.deep.equal(["state.json"]);
      expect(await readFile(file.file, "utf8")).to.match(/\n$/);
    });

    it("refuses a checkpoint of the wrong shape, naming the file and the problem", async () => {
      const file = new CheckpointFile(path.join(dir, "state.json"));
      await writeFile(file.file, JSON.stringify({ ...startOfWindow("20200101"), nextitem: "B" }));
      const error = (await file.load().catch((e: unknown) => e)) as Error;
      expect(error.message).to.equal(
        `the checkpoint ${file.file} is unreadable (nextitem is set but endtime is not): inspect and repair it, or remove it after setting aleph.default_start to the starttime to resume from (without a checkpoint a run starts at aleph.default_start and sends everything since again)`,
      );
    });

    it("prunes run folders by age and never the current run's; 0 days keeps only the current run", async () => {
      for (const name of ["a", "b", "current"]) await mkdir(path.join(dir, name));
      const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
      await utimes(path.join(dir, "a"), twoDaysAgo, twoDaysAgo);
      expect(await pruneRunFolders(dir, 1, new Date(), "current")).to.deep.equal(["a"]);
      expect(await pruneRunFolders(dir, 0, new Date(Date.now() + 1000), "current")).to.deep.equal(["b"]);
      expect(await readdir(dir)).to.deep.equal(["current"]);
      expect(await pruneRunFolders(path.join(dir, "missing"), 0, new Date(), "x")).to.deep.equal([]);
    });
  });

  it("names runs by their start time and process", () => {
    expect(newRunId(new Date("2020-07-02T13:00:00.123Z"), 4242)).to.equal("20200702T130000Z-4242");
  });
});

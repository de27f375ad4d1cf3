import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { checkpointProblem, type Checkpoint } from "../../src/jobs/aleph-items/index.js";
import type { SeededItem } from "../../src/sandbox/aleph/index.js";
import { runCli, repoRoot } from "../helpers/cli.js";
import { makeWorld, type World } from "./world.js";

const CLOCK = "202001020000";
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** 40 entries, 4 per page: two new and two updated items on each of 10 pages. */
function history(): SeededItem[] {
  return Array.from({ length: 40 }, (_, i) => {
    const barcode = `3143${String(i + 1).padStart(4, "0")}`;
    return i % 2 === 0
      ? { barcode, created: "202001011200", fields: { title: `New ${i + 1}` } }
      : {
          barcode,
          created: "20191201",
          updated: ["202001011300"],
          fields: { title: `Changed ${i + 1}`, author: null },
        };
  });
}

function startCli(config: string): ChildProcess {
  return spawn(
    process.execPath,
    ["--import", tsxLoader, path.join(repoRoot, "src/cli/main.ts"), "--config", config, "aleph-items"],
    {
      cwd: repoRoot,
      stdio: "ignore",
    },
  );
}

/** The (endpoint, barcode) pairs CaiaSoft processed, in order. */
function deliveries(world: World): string[] {
  return world.caiasoft.calls
    .filter((call) => call.processed)
    .flatMap((call) => call.items.map((item) => `${call.endpoint} ${String(item.barcode)}`));
}

describe("alma-rs aleph-items killed with SIGKILL mid-run", function () {
  this.timeout(120_000);
  let world: World;
  let reference: World;
  before(async () => {
    const options = {
      aleph: { items: history(), clock: CLOCK, pageSize: 4, latencyMs: 15 },
      caiasoft: { latencyMs: 15 },
      config: (raw: Record<string, unknown>) => ((raw.caiasoft as Record<string, unknown>).batch_size = 1),
    };
    world = await makeWorld(options);
    reference = await makeWorld({ ...options, aleph: { ...options.aleph, latencyMs: 0 }, caiasoft: {} });
  });
  after(async () => {
    await world.close();
    await reference.close();
  });

  it("leaves a whole, readable checkpoint each time, and the re-run ends where an uninterrupted run ends", async () => {
    const config = path.join(world.dir, "conf.json");
    await writeFile(config, JSON.stringify(world.raw, null, 2));
    // CaiaSoft calls (of 40) at which the run is killed: during the request (CaiaSoft answers after 15 ms), or
    // just after the answer, while the run saves the answer and writes the checkpoint.
    const kills = [
      { at: 6, afterMs: 0 },
      { at: 17, afterMs: 16 },
      { at: 29, afterMs: 18 },
    ];
    const checkpoints: Checkpoint[] = [];
    for (const { at, afterMs } of kills) {
      const child = startCli(config);
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on("exit", (_code, signal) => resolve(signal)),
      );
      world.caiasoft.addFault(
        (call) => {
          if (call.n === at) setTimeout(() => child.kill("SIGKILL"), afterMs);
          return false;
        },
        { kind: "status", status: 500 },
      );
      expect(await exited).to.equal("SIGKILL");
      world.caiasoft.clearFaults();
      const text = await readFile(world.stateFile, "utf8");
      const parsed = JSON.parse(text) as Checkpoint;
      expect(checkpointProblem(parsed), text).to.equal(undefined);
      expect(parsed.starttime).to.equal("20200101");
      checkpoints.push(parsed);
    }
    // Each kill found the run further on in the same window.
    const positions = checkpoints.map(
      (cp) => cp.page * 10 + cp.accepted.new.length + cp.accepted.update.length,
    );
    expect([...positions].sort((a, b) => a - b)).to.deep.equal(positions);
    expect(new Set(checkpoints.map((cp) => cp.endtime))).to.deep.equal(new Set([CLOCK]));

    const finish = await runCli(["--config", config, "aleph-items"]);
    expect(finish.code, finish.stderr).to.equal(0);
    expect(await reference.run().then((summary) => summary.aborted)).to.equal(undefined);

    // Same end state as the uninterrupted run, item by item; at most the batch in flight at each kill resent.
    expect([...world.caiasoft.items.entries()]).to.deep.equal([...reference.caiasoft.items.entries()]);
    const sent = deliveries(world);
    expect([...new Set(sent)]).to.deep.equal(deliveries(reference));
    expect(sent.length - deliveries(reference).length).to.be.at.most(kills.length);
    expect(await world.checkpoint()).to.deep.include({ starttime: CLOCK, endtime: null, nextitem: null });
    const leftovers = (await readdir(path.dirname(world.stateFile))).filter((name) => name.endsWith(".tmp"));
    expect(leftovers).to.deep.equal([]);
  });
});

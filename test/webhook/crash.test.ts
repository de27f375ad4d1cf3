import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { makeTempDir } from "../helpers/temp-dir.js";
import { call, loanReturned, postSigned, until } from "./helpers.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const TOTAL = 1000;

interface Listener {
  child: ChildProcess;
  port: number;
  blocked: Promise<void>;
  exited: Promise<void>;
}

function startListener(dir: string, blockAfter: number): Promise<Listener> {
  const child = spawn(
    process.execPath,
    ["--import", tsxLoader, path.join(here, "fixtures/crash-listener.ts"), dir],
    {
      env: { ...process.env, BLOCK_AFTER: String(blockAfter) },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let out = "";
  let onBlocked!: () => void;
  const blocked = new Promise<void>((resolve) => (onBlocked = resolve));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /READY (\d+)/.exec(out);
      if (ready) resolve({ child, port: Number(ready[1]), blocked, exited });
      if (out.includes("BLOCKED")) onBlocked();
    });
    child.once("exit", (code) => reject(new Error(`listener exited early (${code}): ${out}`)));
  });
}

const idOf = (n: number) => `c${String(n).padStart(4, "0")}`;
const barcodeOf = (n: number) => `3123400${String(n).padStart(4, "0")}X`;

/** Posts events `numbers` with `parallel` at once; gives the numbers acknowledged with 200. */
async function postAll(
  port: number,
  numbers: number[],
  parallel: number,
  onAck: (n: number) => void = () => undefined,
): Promise<{ acked: number[]; refused: number[] }> {
  const acked: number[] = [];
  const refused: number[] = [];
  const queue = [...numbers];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
        const answer = await postSigned(
          `http://127.0.0.1:${port}/webhook`,
          loanReturned(idOf(n), barcodeOf(n)),
        ).catch(() => undefined);
        if (answer?.status === 200) {
          acked.push(n);
          onAck(n);
        } else refused.push(n);
      }
    }),
  );
  return { acked, refused };
}

async function names(folder: string): Promise<string[]> {
  return (await readdir(folder).catch(() => [] as string[])).filter((name) => /^c\d{4}\.json$/.test(name));
}

describe("webhook crash safety", function () {
  this.timeout(180_000);

  it("processes 1,000 accepted events exactly once in effect across a SIGKILL mid-way, losing none", async () => {
    const { dir, cleanup } = await makeTempDir();
    const spool = path.join(dir, "state", "webhook");
    const all = Array.from({ length: TOTAL }, (_, n) => n);
    let second: Listener | undefined;
    try {
      // First life: the handler hangs once 300 effects are made, so work is under way and queued at the kill.
      const first = await startListener(dir, 300);
      const early = await postAll(first.port, all.slice(0, 600), 16);
      expect(early.acked).to.have.length(600);
      await first.blocked;
      // Kill while events are still arriving: those in flight may or may not have been stored.
      const late = await postAll(first.port, all.slice(600), 16, () => {
        if (first.child.exitCode === null && !first.child.killed) first.child.kill("SIGKILL");
      });
      await first.exited;
      const ackedBeforeKill = [...early.acked, ...late.acked];
      const processingAtKill = await names(path.join(spool, "processing"));
      const incomingAtKill = await names(path.join(spool, "incoming"));
      const doneAtKill = await names(path.join(spool, "done"));
      expect(processingAtKill.length, "events under way at the kill").to.be.greaterThan(0);
      expect(incomingAtKill.length, "events waiting at the kill").to.be.greaterThan(0);
      expect(doneAtKill.length).to.be.lessThan(ackedBeforeKill.length);
      expect(late.refused.length, "deliveries refused by the killed listener").to.be.greaterThan(0);

      // Second life: Alma delivers again what was not acknowledged, and (duplicates) some that were.
      second = await startListener(dir, 0);
      const notAcked = all.filter((n) => !ackedBeforeKill.includes(n));
      const redelivered = await postAll(second.port, [...notAcked, ...ackedBeforeKill.slice(0, 50)], 16);
      expect(redelivered.refused).to.deep.equal([]);
      const health = `http://127.0.0.1:${second.port}/health`;
      type Health = { pending: number; processing: number; done: number; failed: number };
      await until(async () => {
        const report = (await call(health)).json() as Health;
        return report.pending === 0 && report.processing === 0 && report.done + report.failed === TOTAL;
      });
      const report = (await call(health)).json() as Record<string, number>;
      expect(report).to.include({ done: TOTAL, failed: 0, pending: 0, processing: 0 });

      // None lost: every event has its effect, made once; repeats only for events under way at the kill.
      const done = await names(path.join(spool, "done"));
      expect(done.sort()).to.deep.equal(all.map((n) => `${idOf(n)}.json`));
      const effects = (await readdir(path.join(dir, "effects"))).sort();
      expect(effects).to.deep.equal(all.map(barcodeOf).sort());
      const calls = (await readFile(path.join(dir, "calls.log"), "utf8")).trim().split("\n");
      const perBarcode = new Map<string, number>();
      for (const barcode of calls) perBarcode.set(barcode, (perBarcode.get(barcode) ?? 0) + 1);
      const repeated = [...perBarcode].filter(([, count]) => count > 1).map(([barcode]) => barcode);
      const underWay = new Set(processingAtKill.map((name) => barcodeOf(Number(name.slice(1, 5)))));
      expect(repeated.length).to.be.greaterThan(0);
      expect(
        repeated.every((barcode) => underWay.has(barcode)),
        `repeated: ${repeated.join(", ")}`,
      ).to.be.true;
      expect(Math.max(...perBarcode.values())).to.equal(2);
    } finally {
      second?.child.kill("SIGTERM");
      if (second) await second.exited;
      await cleanup();
    }
  });
});

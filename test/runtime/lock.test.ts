import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { acquireLock } from "../../src/runtime/lock.js";
import { LockedError } from "../../src/runtime/errors.js";
import { makeTempDir } from "../helpers/temp-dir.js";

describe("run lock", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  it("writes the holder's pid and removes the lock on release", async () => {
    const lock = await acquireLock(dir, "sync-items-01AAA_AB");
    const content = JSON.parse(await readFile(lock.file, "utf8")) as { pid: number };
    expect(content.pid).to.equal(process.pid);
    await lock.release();
    const again = await acquireLock(dir, "sync-items-01AAA_AB");
    await again.release();
  });

  it("refuses a second run while the holder lives, naming its pid", async () => {
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
    try {
      await mkdir(path.join(dir, "locks"), { recursive: true });
      await writeFile(
        path.join(dir, "locks", "send-requests.lock"),
        JSON.stringify({
          pid: child.pid,
          host: hostname(),
          job: "send-requests",
          started: "2026-11-25T02:00:00Z",
        }),
      );
      try {
        await acquireLock(dir, "send-requests");
        expect.fail("expected LockedError");
      } catch (error) {
        expect(error).to.be.instanceOf(LockedError);
        expect((error as LockedError).holderPid).to.equal(child.pid);
        expect((error as Error).message).to.contain(`pid ${child.pid}`);
      }
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("takes over a lock whose process is dead", async () => {
    const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    const deadPid = child.pid!;
    await new Promise((resolve) => child.on("exit", resolve));
    await mkdir(path.join(dir, "locks"), { recursive: true });
    await writeFile(
      path.join(dir, "locks", "aleph-items.lock"),
      JSON.stringify({ pid: deadPid, host: hostname() }),
    );
    const lock = await acquireLock(dir, "aleph-items");
    const content = JSON.parse(await readFile(lock.file, "utf8")) as { pid: number };
    expect(content.pid).to.equal(process.pid);
    await lock.release();
  });

  it("takes over an empty lock file (alma-rs never leaves one: its locks appear whole)", async () => {
    await mkdir(path.join(dir, "locks"), { recursive: true });
    await writeFile(path.join(dir, "locks", "aspace2alma.lock"), "");
    const lock = await acquireLock(dir, "aspace2alma");
    await lock.release();
  });

  it("gives the lock to exactly one of many takers racing for it", async () => {
    const takers = await Promise.allSettled(
      Array.from({ length: 20 }, () => acquireLock(dir, "aleph-items")),
    );
    const held = takers.filter((taker) => taker.status === "fulfilled");
    const refused = takers.filter((taker) => taker.status === "rejected");
    expect(held).to.have.length(1);
    for (const taker of refused) expect(taker.reason).to.be.instanceOf(LockedError);
    expect(await readdir(path.join(dir, "locks"))).to.deep.equal(["aleph-items.lock"]);
    await held[0]!.value.release();
  });

  it("leaves on release a lock that another holder has taken since", async () => {
    const lock = await acquireLock(dir, "scan-in");
    const other = JSON.stringify({ pid: process.pid + 1, host: hostname(), job: "scan-in", started: "now" });
    await writeFile(lock.file, other);
    await lock.release();
    expect(await readFile(lock.file, "utf8")).to.equal(other);
  });
});

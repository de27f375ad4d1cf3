import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { expect } from "chai";
import winston from "winston";
import {
  claimFiles,
  ClaimError,
  createFileTransfer,
  HostKeyMismatchError,
  joinRemote,
  RemoteExistsError,
  RemoteNotFoundError,
  rotate,
  TransferAuthError,
  TransferConnectionError,
  type FileTransfer,
  type TransferSettings,
} from "../../../src/transfer/index.js";
import type { ServerKind, TestFileServer } from "./server-kinds.js";

/** Large enough that a download is still running when the test cuts the server from its progress callback. */
const BIG_FILE_BYTES = 32 * 1024 * 1024;
/** Claim options for tests: move-back retries without long pauses. */
const QUICK = { restoreDelayMs: 20 } as const;

/** Resolves once `condition` holds, looking every 10 ms; rejects after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The transfer test cases, run unchanged against every server kind: in-process servers and real daemons.
 * A kind that cannot run here is reported as one pending test whose title says why.
 */
export function transferSuite(kind: ServerKind, skipReason: string | undefined): void {
  if (skipReason) {
    describe(`file transfer against ${kind.name}`, () => {
      it(`is skipped: ${skipReason}`);
    });
    return;
  }

  describe(`file transfer against ${kind.name}`, function () {
    this.timeout(60_000);
    let server: TestFileServer;
    let transfer: FileTransfer;
    let work: string;
    let big: Buffer;
    const extraTransfers: FileTransfer[] = [];

    const remote = (relative: string) => joinRemote(server.remoteRoot, relative);
    const local = (relative: string) => path.join(server.root, relative);
    const seed = async (files: Record<string, string | Buffer>) => {
      for (const [relative, content] of Object.entries(files)) {
        await mkdir(path.dirname(local(relative)), { recursive: true });
        await writeFile(local(relative), content);
      }
      await server.handOver?.();
    };
    const seedFolder = async (relative: string) => {
      await mkdir(local(relative), { recursive: true });
      await server.handOver?.();
    };
    let logged: string[] = [];
    const logger = winston.createLogger({
      level: "debug",
      transports: [
        new winston.transports.Stream({
          stream: new Writable({
            write(chunk: Buffer, _encoding, done) {
              logged.push(chunk.toString());
              done();
            },
          }),
        }),
      ],
    });
    /** How often a transfer reconnected in the middle of an operation during this test. */
    const reconnects = () => logged.filter((line) => line.includes("reconnecting once")).length;
    /** How often a connection attempt failed and was tried once more during this test. */
    const connectRetries = () => logged.filter((line) => line.includes("trying once more")).length;
    /** How many connections the test's transfers opened. */
    const connects = () => logged.filter((line) => line.includes('"connected to ')).length;
    const open = (overrides: Partial<TransferSettings> = {}) => {
      const created = createFileTransfer({ ...server.settings(), ...overrides }, { logger });
      extraTransfers.push(created);
      return created;
    };
    const text = (relative: string) => readFile(local(relative), "utf8");
    const names = async (relative: string) => (await readdir(local(relative))).sort();

    before(async () => {
      server = await kind.start();
      big = randomBytes(BIG_FILE_BYTES);
    });
    after(async () => {
      await server?.close();
    });
    beforeEach(async () => {
      for (const name of await readdir(server.root)) await rm(local(name), { recursive: true, force: true });
      work = await mkdtemp(path.join(os.tmpdir(), "alma-rs-transfer-work-"));
      logged = [];
      transfer = open();
    });
    afterEach(async () => {
      await Promise.all(extraTransfers.splice(0).map((t) => t.close().catch(() => undefined)));
      await server.start();
      await rm(work, { recursive: true, force: true });
    });

    describe("operations", () => {
      it("lists a folder's files and folders with their sizes, without . and ..", async () => {
        await seed({ "in/a.xml": "12345", "in/sub/b.xml": "x" });
        const entries = await transfer.list(remote("in"));
        const summary = entries
          .map((e) => `${e.name}:${e.type}${e.type === "file" ? `:${e.size}` : ""}`)
          .sort();
        expect(summary).to.deep.equal(["a.xml:file:5", "sub:directory"]);
      });

      it("tells whether a path exists and what it is", async () => {
        await seed({ "in/a.xml": "12345" });
        expect(await transfer.exists(remote("in/a.xml"))).to.equal(true);
        expect(await transfer.exists(remote("in/missing.xml"))).to.equal(false);
        expect(await transfer.exists(remote("nowhere/missing.xml"))).to.equal(false);
        expect((await transfer.stat(remote("in/a.xml")))?.size).to.equal(5);
        expect((await transfer.stat(remote("in")))?.type).to.equal("directory");
      });

      it("downloads a file byte for byte and leaves no partial file", async () => {
        const content = randomBytes(3 * 1024 * 1024 + 17);
        await seed({ "in/file.tar.gz": content });
        const target = path.join(work, "deep", "file.tar.gz");
        let progressed = 0;
        await transfer.download(remote("in/file.tar.gz"), target, {
          onProgress: (bytes) => (progressed = bytes),
        });
        expect((await readFile(target)).equals(content)).to.equal(true);
        expect(await readdir(path.dirname(target))).to.deep.equal(["file.tar.gz"]);
        expect(progressed).to.be.greaterThan(0);
      });

      it("fails to download a missing file with RemoteNotFoundError naming it, creating nothing locally", async () => {
        await seedFolder("in");
        const error = await transfer.download(remote("in/missing.xml"), path.join(work, "missing.xml")).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(RemoteNotFoundError);
        expect((error as RemoteNotFoundError).path).to.equal(remote("in/missing.xml"));
        expect((error as Error).message).to.contain(remote("in/missing.xml"));
        expect(await readdir(work)).to.deep.equal([]);
      });

      it("uploads atomically: a reader sees the old file or the whole new one, never part of one", async () => {
        const previous = Buffer.alloc(512 * 1024, "o");
        const next = randomBytes(8 * 1024 * 1024);
        await seed({ "out/MARC_out.xml": previous });
        const source = path.join(work, "MARC_out.xml");
        await writeFile(source, next);
        const seen = new Set<string>();
        let reading = true;
        let reads = 0;
        const reader = (async () => {
          while (reading) {
            try {
              const data = await readFile(local("out/MARC_out.xml"));
              seen.add(
                data.equals(previous) ? "old" : data.equals(next) ? "new" : `partial (${data.length} bytes)`,
              );
            } catch (error) {
              seen.add((error as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : String(error));
            }
            reads++;
            await new Promise((resolve) => setImmediate(resolve));
          }
        })();
        await transfer.upload(source, remote("out/MARC_out.xml"));
        reading = false;
        await reader;
        expect([...seen].filter((s) => !["old", "new", "missing"].includes(s))).to.deep.equal([]);
        expect(reads).to.be.greaterThan(0);
        expect((await readFile(local("out/MARC_out.xml"))).equals(next)).to.equal(true);
        expect(await names("out")).to.deep.equal(["MARC_out.xml"]);
      });

      it("takes up an upload cut in the middle again, the reader still never seeing part of a file", async () => {
        const previous = Buffer.from("yesterday's output");
        await seed({ "out/MARC_out.xml": previous });
        const source = path.join(work, "MARC_out.xml");
        await writeFile(source, big);
        const partFile = local("out/.MARC_out.xml.part");
        const seen = new Set<string>();
        let cut = false;
        let watching = true;
        const watcher = (async () => {
          while (watching) {
            if (
              !cut &&
              (await stat(partFile).then(
                (s) => s.size > 0,
                () => false,
              ))
            ) {
              cut = true;
              await server.dropConnections();
            }
            try {
              const data = await readFile(local("out/MARC_out.xml"));
              seen.add(
                data.equals(previous) ? "old" : data.equals(big) ? "new" : `partial (${data.length} bytes)`,
              );
            } catch (error) {
              seen.add((error as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : String(error));
            }
            await new Promise((resolve) => setImmediate(resolve));
          }
        })();
        await transfer.upload(source, remote("out/MARC_out.xml"));
        watching = false;
        await watcher;
        expect(cut).to.equal(true);
        expect(reconnects()).to.equal(1);
        expect([...seen].filter((s) => !["old", "new", "missing"].includes(s))).to.deep.equal([]);
        expect((await readFile(local("out/MARC_out.xml"))).equals(big)).to.equal(true);
        expect(await names("out")).to.deep.equal(["MARC_out.xml"]);
      });

      it("uploads into folders made by mkdirp, which accepts a folder that exists", async () => {
        const source = path.join(work, "report.csv");
        await writeFile(source, "a,b\n");
        await transfer.mkdirp(remote("one/two/three"));
        await transfer.mkdirp(remote("one/two/three"));
        await transfer.upload(source, remote("one/two/three/report.csv"));
        expect(await text("one/two/three/report.csv")).to.equal("a,b\n");
      });

      it("renames, and never over an existing file", async () => {
        await seed({ "in/a.xml": "A", "in/b.xml": "B" });
        await transfer.rename(remote("in/a.xml"), remote("in/c.xml"));
        expect(await names("in")).to.deep.equal(["b.xml", "c.xml"]);
        const error = await transfer.rename(remote("in/c.xml"), remote("in/b.xml")).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(RemoteExistsError);
        expect(await text("in/b.xml")).to.equal("B");
        expect(await text("in/c.xml")).to.equal("A");
      });

      it("removes a file, and says so when there is none", async () => {
        await seed({ "in/a.xml": "A" });
        await transfer.remove(remote("in/a.xml"));
        expect(await names("in")).to.deep.equal([]);
        const error = await transfer.remove(remote("in/a.xml")).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(RemoteNotFoundError);
      });

      it("runs operations called together one at a time, all succeeding", async () => {
        await seed({ "in/a.xml": "A", "in/b.xml": "B" });
        const [listing, , , stat] = await Promise.all([
          transfer.list(remote("in")),
          transfer.download(remote("in/a.xml"), path.join(work, "a.xml")),
          transfer.download(remote("in/b.xml"), path.join(work, "b.xml")),
          transfer.stat(remote("in/b.xml")),
        ]);
        expect(listing.map((e) => e.name).sort()).to.deep.equal(["a.xml", "b.xml"]);
        expect(stat?.size).to.equal(1);
        expect(await readFile(path.join(work, "b.xml"), "utf8")).to.equal("B");
      });

      it("reconnects by itself when the connection dropped between two operations", async () => {
        await seed({ "in/a.xml": "A" });
        expect((await transfer.list(remote("in"))).map((e) => e.name)).to.deep.equal(["a.xml"]);
        await server.dropConnections();
        expect((await transfer.list(remote("in"))).map((e) => e.name)).to.deep.equal(["a.xml"]);
        await transfer.download(remote("in/a.xml"), path.join(work, "a.xml"));
        expect(await readFile(path.join(work, "a.xml"), "utf8")).to.equal("A");
      });

      it("refuses a wrong password with TransferAuthError that does not show it", async () => {
        const wrong = open({ password: "not-the-password-4711", privateKey: undefined });
        const error = await wrong.connect().catch((e: unknown) => e);
        expect(error).to.be.instanceOf(TransferAuthError);
        expect((error as TransferAuthError).user).to.equal(server.settings().user);
        expect((error as Error).message).to.contain(`${server.settings().host}:${server.settings().port}`);
        expect((error as Error).message).not.to.contain("not-the-password-4711");
      });

      it("refuses a server whose key is not the pinned one", async function () {
        const actual = server.settings().hostKeySha256;
        if (!actual) this.skip(); // plain FTP has no key to pin
        const pinned = `SHA256:${Buffer.alloc(32, 7).toString("base64").replace(/=+$/, "")}`;
        const error = await open({ hostKeySha256: pinned })
          .connect()
          .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(HostKeyMismatchError);
        expect((error as HostKeyMismatchError).actual).to.equal(actual);
      });
    });

    describe("claiming", () => {
      it("claims every file into OLD under a claimed name and downloads it, leaving dot files and folders", async () => {
        await seed({
          "in/a.xml": "A",
          "in/b_new.tar.gz": big.subarray(0, 70_000),
          "in/.upload.part": "x",
          "in/sub/c.xml": "C",
        });
        const result = await claimFiles(transfer, remote("in"), work, QUICK);
        expect(result.errors).to.deep.equal([]);
        expect(result.files.map((f) => f.name).sort()).to.deep.equal(["a.xml", "b_new.tar.gz"]);
        for (const file of result.files) {
          expect(file.originalPath).to.equal(remote(`in/${file.name}`));
          expect(file.claimedPath.startsWith(remote(`in/OLD/${file.name}.claim-`))).to.equal(true);
          expect(existsSync(local(path.posix.relative(server.remoteRoot, file.claimedPath)))).to.equal(true);
          expect(file.localPath).to.equal(path.join(work, file.name));
        }
        expect(await readFile(path.join(work, "a.xml"), "utf8")).to.equal("A");
        expect((await readFile(path.join(work, "b_new.tar.gz"))).equals(big.subarray(0, 70_000))).to.equal(
          true,
        );
        expect(await names("in")).to.deep.equal([".upload.part", "OLD", "sub"]);
      });

      it("leaves a file modified just now for the next run, and claims it once it is old enough", async () => {
        await seed({ "in/a.xml": "A" });
        const options = { ...QUICK, minAgeMs: 60_000 };
        const early = await claimFiles(transfer, remote("in"), work, options);
        expect([early.files, early.young]).to.deep.equal([[], ["a.xml"]]);
        expect(await names("in")).to.deep.equal(["a.xml"]);
        const later = () => new Date(Date.now() + 120_000);
        const late = await claimFiles(transfer, remote("in"), work, { ...options, now: later });
        expect(late.files.map((f) => f.name)).to.deep.equal(["a.xml"]);
      });

      it("finished() archives the file in OLD under its own name and removes the local copy", async () => {
        await seed({ "in/a.xml": "A" });
        const [file] = (await claimFiles(transfer, remote("in"), work, QUICK)).files;
        expect(await file!.finished()).to.equal(remote("in/OLD/a.xml"));
        expect(await names("in/OLD")).to.deep.equal(["a.xml"]);
        expect(await text("in/OLD/a.xml")).to.equal("A");
        expect(existsSync(file!.localPath)).to.equal(false);
      });

      it("finished() with keepLocal keeps the local copy", async () => {
        await seed({ "in/a.xml": "A" });
        const [file] = (await claimFiles(transfer, remote("in"), work, { ...QUICK, keepLocal: true })).files;
        await file!.finished();
        expect(await readFile(file!.localPath, "utf8")).to.equal("A");
      });

      it("finished() gives a unique name when OLD holds one of the same name, overwriting nothing", async () => {
        await seed({ "in/a.xml": "new", "in/OLD/a.xml": "earlier" });
        const [file] = (await claimFiles(transfer, remote("in"), work, QUICK)).files;
        expect(await file!.finished()).to.equal(remote("in/OLD/a~1.xml"));
        expect(await text("in/OLD/a.xml")).to.equal("earlier");
        expect(await text("in/OLD/a~1.xml")).to.equal("new");
      });

      it("failed() moves the file back where it was and keeps the local copy for --file", async () => {
        await seed({ "in/a.xml": "A", "in/b.xml": "B" });
        const { files } = await claimFiles(transfer, remote("in"), work, QUICK);
        const a = files.find((f) => f.name === "a.xml")!;
        expect(await a.failed()).to.equal(remote("in/a.xml"));
        await files.find((f) => f.name === "b.xml")!.finished();
        expect(await text("in/a.xml")).to.equal("A");
        expect(await names("in/OLD")).to.deep.equal(["b.xml"]);
        expect(await readFile(a.localPath, "utf8")).to.equal("A");
        expect(await a.failed()).to.equal(remote("in/a.xml"));
        const error = await a.finished().catch((e: unknown) => e);
        expect((error as Error).message).to.contain("already marked failed");
      });

      it("failed() puts the file back under a unique name when a new one took its name", async () => {
        await seed({ "in/a.xml": "first" });
        const [file] = (await claimFiles(transfer, remote("in"), work, QUICK)).files;
        await seed({ "in/a.xml": "second" });
        expect(await file!.failed()).to.equal(remote("in/a~1.xml"));
        expect(await text("in/a.xml")).to.equal("second");
        expect(await text("in/a~1.xml")).to.equal("first");
      });

      it("puts back files a dead run left claimed before claiming, and leaves finished ones alone", async () => {
        await seed({ "in/OLD/a.xml.claim-20240101T020000Z-4242-abcdef": "A", "in/OLD/done.xml": "D" });
        const result = await claimFiles(transfer, remote("in"), work, QUICK);
        expect(result.restored.map((r) => [r.restoredTo, r.pid])).to.deep.equal([[remote("in/a.xml"), 4242]]);
        expect(result.restored[0]!.claimedAt.toISOString()).to.equal("2024-01-01T02:00:00.000Z");
        expect(result.files.map((f) => f.name)).to.deep.equal(["a.xml"]);
        await result.files[0]!.finished();
        expect(await names("in/OLD")).to.deep.equal(["a.xml", "done.xml"]);
        expect(await names("in")).to.deep.equal(["OLD"]);
      });

      it("uses the configured claim folder (claim_folder)", async () => {
        await seed({ "in/a.xml": "A" });
        const options = { ...QUICK, claimFolder: "processed" };
        const [file] = (await claimFiles(transfer, remote("in"), work, options)).files;
        expect(file!.claimedPath.startsWith(remote("in/processed/a.xml.claim-"))).to.equal(true);
        expect(await file!.finished()).to.equal(remote("in/processed/a.xml"));
        expect(await names("in")).to.deep.equal(["processed"]);
      });

      it("claims nothing and makes no claim folder when the folder is empty", async () => {
        await seedFolder("in");
        const result = await claimFiles(transfer, remote("in"), work, QUICK);
        expect(result).to.deep.equal({ files: [], errors: [], restored: [], young: [] });
        expect(await names("in")).to.deep.equal([]);
      });
    });

    describe("failures in the middle of a download", () => {
      /**
       * The download of in/big.dat failed, and the file is back in in/, whole: nothing left claimed in OLD/,
       * nothing half-written in the work folder. Returns the error, which names the file.
       */
      async function expectBackWhole(result: Awaited<ReturnType<typeof claimFiles>>): Promise<ClaimError> {
        expect(result.files).to.deep.equal([]);
        expect(result.errors).to.have.length(1);
        const error = result.errors[0]!;
        expect(error).to.be.instanceOf(ClaimError);
        expect(error.stage).to.equal("download");
        expect(error.file).to.equal(remote("in/big.dat"));
        expect(error.inPlace).to.equal(true);
        expect(error.location).to.equal(remote("in/big.dat"));
        expect(error.message).to.contain(`could not download ${remote("in/big.dat")}`);
        expect(error.message).to.contain(`moved back to ${remote("in/big.dat")}`);
        expect((await readFile(local("in/big.dat"))).equals(big)).to.equal(true);
        expect(await names("in/OLD")).to.deep.equal([]);
        expect(await readdir(work)).to.deep.equal([]);
        return error;
      }

      it("takes up a download again after the connection dropped once", async () => {
        await seed({ "in/big.dat": big });
        let cut = false;
        const result = await claimFiles(transfer, remote("in"), work, {
          ...QUICK,
          onProgress: () => {
            if (!cut) void server.dropConnections();
            cut = true;
          },
        });
        expect(cut).to.equal(true);
        expect(reconnects()).to.equal(1);
        expect(result.errors).to.deep.equal([]);
        expect((await readFile(path.join(work, "big.dat"))).equals(big)).to.equal(true);
        await result.files[0]!.finished();
        expect((await readFile(local("in/OLD/big.dat"))).equals(big)).to.equal(true);
      });

      it("moves the file back at once when the download keeps failing, naming the file", async () => {
        await seed({ "in/big.dat": big, "in/small.xml": "S" });
        // Cut at the first bytes on every new connection: each attempt is cut.
        let cutOnConnection = 0;
        let cuts = 0;
        const cutting: Promise<void>[] = [];
        const result = await claimFiles(transfer, remote("in"), work, {
          ...QUICK,
          filter: (entry) => entry.name === "big.dat",
          onProgress: () => {
            if (connects() === cutOnConnection) return;
            cutOnConnection = connects();
            cuts++;
            cutting.push(server.dropConnections());
          },
        });
        await Promise.all(cutting);
        expect(cuts).to.equal(2);
        expect(reconnects()).to.be.greaterThanOrEqual(1);
        await expectBackWhole(result);
      });

      it("a server killed during a download and back a moment later: the error names the file, and the same run puts it back in its folder", async () => {
        await seed({ "in/big.dat": big });
        let killing: Promise<void> | undefined;
        let restarting: Promise<void> | undefined;
        const result = await claimFiles(transfer, remote("in"), work, {
          restoreAttempts: 4,
          restoreDelayMs: 300,
          onProgress: () => {
            if (killing) return;
            killing = server.stop();
            // Back once the download has given up (its reconnect failed) and moving the file back is being
            // retried; back any earlier, the download's own reconnect would simply finish the download.
            restarting = killing.then(() => until(() => connectRetries() >= 2)).then(() => server.start());
          },
        });
        await killing;
        await restarting;
        expect(killing).not.to.equal(undefined);
        const error = await expectBackWhole(result);
        expect(error.message).to.contain(`it was moved back to ${remote("in/big.dat")}`);
      });

      it("a server killed during a download that stays down: the error names the file, which stays claimed whole, and the next run puts it back", async () => {
        await seed({ "in/big.dat": big });
        let killing: Promise<void> | undefined;
        const result = await claimFiles(transfer, remote("in"), work, {
          ...QUICK,
          restoreAttempts: 2,
          onProgress: () => {
            killing ??= server.stop();
          },
        });
        await killing;
        expect(killing).not.to.equal(undefined);
        expect(result.files).to.deep.equal([]);
        const error = result.errors[0]!;
        expect(error).to.be.instanceOf(ClaimError);
        expect(error.file).to.equal(remote("in/big.dat"));
        expect(error.inPlace).to.equal(false);
        expect(error.location).to.equal(error.claimedPath);
        expect(error.message).to.contain(`could not download ${remote("in/big.dat")}`);
        expect(error.message).to.contain("the next run puts it back");
        expect(error.cause).to.be.instanceOf(TransferConnectionError);
        // Nothing lost: the whole file is in the claim folder on the server; the partial download is not kept
        // as if it were the file.
        const claimed = await names("in/OLD");
        expect(claimed).to.have.length(1);
        expect(claimed[0]!.startsWith("big.dat.claim-")).to.equal(true);
        expect(joinRemote(remote("in/OLD"), claimed[0]!)).to.equal(error.claimedPath);
        expect((await readFile(local(`in/OLD/${claimed[0]}`))).equals(big)).to.equal(true);
        expect(await readdir(work)).to.deep.equal([]);

        await server.start();
        const nextWork = path.join(work, "next-run");
        const nextRun = await claimFiles(open(), remote("in"), nextWork, QUICK);
        expect(nextRun.errors).to.deep.equal([]);
        expect(nextRun.restored.map((r) => r.restoredTo)).to.deep.equal([remote("in/big.dat")]);
        expect(nextRun.files.map((f) => f.name)).to.deep.equal(["big.dat"]);
        expect((await readFile(path.join(nextWork, "big.dat"))).equals(big)).to.equal(true);
        await nextRun.files[0]!.failed();
        expect((await readFile(local("in/big.dat"))).equals(big)).to.equal(true);
        expect(await names("in/OLD")).to.deep.equal([]);
      });
    });

    describe("rotation", () => {
      it("removes X_old, renames X to X_old, and a new X can be uploaded", async () => {
        await seed({ "out/MARC_out.xml": "today", "out/MARC_out_old.xml": "yesterday" });
        const result = await rotate(transfer, remote("out"), "MARC_out.xml");
        expect(result).to.deep.equal({
          removed: remote("out/MARC_out_old.xml"),
          rotatedTo: remote("out/MARC_out_old.xml"),
        });
        expect(await names("out")).to.deep.equal(["MARC_out_old.xml"]);
        expect(await text("out/MARC_out_old.xml")).to.equal("today");
        const source = path.join(work, "MARC_out.xml");
        await writeFile(source, "tomorrow");
        await transfer.upload(source, remote("out/MARC_out.xml"));
        expect(await names("out")).to.deep.equal(["MARC_out.xml", "MARC_out_old.xml"]);
        expect(await text("out/MARC_out.xml")).to.equal("tomorrow");
      });

      it("leaves X_old alone when there is no X to take its place", async () => {
        await seed({ "out/MARC_out_old.xml": "the last good one" });
        expect(await rotate(transfer, remote("out"), "MARC_out.xml")).to.deep.equal({});
        expect(await names("out")).to.deep.equal(["MARC_out_old.xml"]);
        expect(await text("out/MARC_out_old.xml")).to.equal("the last good one");
      });

      it("does nothing when there is nothing to rotate", async () => {
        await seedFolder("out");
        expect(await rotate(transfer, remote("out"), "MARC_out.xml")).to.deep.equal({});
        expect(await names("out")).to.deep.equal([]);
      });
    });
  });
}

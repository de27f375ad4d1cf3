import { expect } from "chai";
import { createReadStream } from "node:fs";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { constants, createGzip, gzipSync } from "node:zlib";
import { create as createTar } from "tar";
import {
  MarcParseError,
  MarcSourceError,
  getControlValue,
  readMarc,
  subfieldValuesOf,
} from "../../src/marc/index.js";
import { collect, fixture, tempDir } from "./helpers.js";

/**
 * A publishing-like tar.gz written with the tar package: the new items, then a folder entry and the `_delete`
 * file inside it, then any extra files (listed one by one, so they come last).
 */
async function publishingTar(dir: string, extra: Record<string, string> = {}): Promise<string> {
  const content = path.join(dir, "content");
  await mkdir(path.join(content, "deleted"), { recursive: true });
  await copyFile(fixture("publishing-unprefixed.xml"), path.join(content, "items_20240115_093012_new.xml"));
  await copyFile(
    fixture("publishing-prefixed.xml"),
    path.join(content, "deleted", "items_20240115_093012_delete.xml"),
  );
  for (const [name, text] of Object.entries(extra)) await writeFile(path.join(content, name), text);
  const file = path.join(dir, "items_20240115_093012_new.tar.gz");
  await createTar({ gzip: true, cwd: content, file, portable: true, noDirRecurse: true }, [
    "items_20240115_093012_new.xml",
    "deleted/",
    "deleted/items_20240115_093012_delete.xml",
    ...Object.keys(extra),
  ]);
  return file;
}

/** A `<collection>` of `count` records whose 001 are `<prefix>0`, `<prefix>1`, …, with notes gzip cannot shrink. */
function collectionOf(prefix: string, count: number): string {
  const records = Array.from(
    { length: count },
    (_, i) =>
      `<record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">${prefix}${i}</controlfield>` +
      `<datafield tag="500" ind1=" " ind2=" "><subfield code="a">${randomBytes(150).toString("base64")}</subfield></datafield></record>`,
  );
  return `<collection>\n${records.join("\n")}\n</collection>\n`;
}

/** An uncompressed tar of `a.xml` then `b.xml` (`count` records each), and the offset where `b.xml` starts. */
async function twoEntryTar(dir: string, count: number): Promise<{ tar: Buffer; secondStart: number }> {
  const content = path.join(dir, "content");
  await mkdir(content);
  const first = collectionOf("a", count);
  await writeFile(path.join(content, "a.xml"), first);
  await writeFile(path.join(content, "b.xml"), collectionOf("b", count));
  const file = path.join(dir, "plain.tar");
  await createTar({ cwd: content, file, portable: true }, ["a.xml", "b.xml"]);
  // One 512-byte header, then the content padded to whole blocks.
  return { tar: await readFile(file), secondStart: 512 + Math.ceil(Buffer.byteLength(first) / 512) * 512 };
}

/** `data` gzipped with a full flush after its first `at` bytes, and how long the output is up to the flush. */
async function gzipFlushedAt(data: Buffer, at: number): Promise<{ gz: Buffer; flushedLength: number }> {
  const gzip = createGzip();
  const out: Buffer[] = [];
  gzip.on("data", (chunk: Buffer) => out.push(chunk));
  gzip.write(data.subarray(0, at));
  await new Promise<void>((resolve) => gzip.flush(constants.Z_FULL_FLUSH, resolve));
  await new Promise((resolve) => setImmediate(resolve));
  const flushedLength = Buffer.concat(out).length;
  gzip.end(data.subarray(at));
  await once(gzip, "end");
  return { gz: Buffer.concat(out), flushedLength };
}

/** The 001s `<prefix>0` … `<prefix><count - 1>`. */
function numbered(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}

describe("MARC-XML reader on tar.gz publishing files", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it("reads the XML entries one after the other, each record naming its tar entry", async () => {
    const file = await publishingTar(dir);
    const { records, error } = await collect(file);
    expect(error).to.equal(undefined);
    expect(records.map((r) => [r.origin.entry, getControlValue(r, "001")])).to.deep.equal([
      ["items_20240115_093012_new.xml", "991000000106966"],
      ["items_20240115_093012_new.xml", "991000000206966"],
      ["deleted/items_20240115_093012_delete.xml", "991000000106966"],
      ["deleted/items_20240115_093012_delete.xml", "991000000206966"],
    ]);
    expect(records.every((r) => r.origin.file === file)).to.equal(true);
    const deleted = records.filter((r) => /_delete/i.test(r.origin.entry ?? ""));
    expect(deleted.flatMap((r) => subfieldValuesOf(r, "ITM", "b"))).to.deep.equal([
      "31236016575915",
      "31236016575923",
      "31236016575931",
    ]);
  });

  it("reads only the entries the filter accepts", async () => {
    const file = await publishingTar(dir, { "README.txt": "not xml" });
    const { records, error } = await collect(file, { entryFilter: (name) => name.endsWith(".xml") });
    expect(error).to.equal(undefined);
    expect(records).to.have.length(4);
  });

  it("names the tar entry when an entry is not well-formed, after the records of the entries before it", async () => {
    const file = await publishingTar(dir, { "zz_broken.xml": "<collection><record><leader>x</leader>" });
    const { records, error } = await collect(file);
    expect(records).to.have.length(4);
    expect(error).to.be.instanceOf(MarcParseError);
    expect((error as MarcParseError).file).to.equal(file);
    expect((error as MarcParseError).entry).to.equal("zz_broken.xml");
  });

  it("reads a tar.gz handed over as a stream", async () => {
    const file = await publishingTar(dir);
    const { records } = await collect({
      stream: createReadStream(file),
      name: "remote.tar.gz",
      format: "tar.gz",
    });
    expect(records).to.have.length(4);
    expect(records[0]!.origin).to.include({ file: "remote.tar.gz", entry: "items_20240115_093012_new.xml" });
  });

  it("fails on a damaged archive instead of reading part of it silently", async () => {
    const file = path.join(dir, "broken.tar.gz");
    await writeFile(
      file,
      "this is not a tar.gz file at all, just text long enough to be sniffed ".repeat(20),
    );
    const { records, error } = await collect(file);
    expect(records).to.deep.equal([]);
    expect(error).to.be.instanceOf(Error);
  });

  it("hands out the records before the cut, then fails naming the file and entry, when a tar.gz ends inside an entry", async function () {
    this.timeout(5000); // it used to wait forever for the rest of the entry
    const { tar } = await twoEntryTar(dir, 1000);
    const gz = gzipSync(tar);
    const file = path.join(dir, "items_new.tar.gz");
    await writeFile(file, gz.subarray(0, Math.floor(gz.length / 4)));
    const { records, error } = await collect(file);
    expect(records.length).to.be.greaterThan(100);
    expect(records.map((r) => getControlValue(r, "001"))).to.deep.equal(numbered("a", records.length));
    expect(records.every((r) => r.origin.entry === "a.xml")).to.equal(true);
    expect(error).to.be.instanceOf(MarcSourceError);
    const sourceError = error as MarcSourceError;
    expect(sourceError.name).to.equal("MarcSourceError");
    expect(sourceError.code).to.equal("EMARCSOURCE");
    expect(sourceError.file).to.equal(file);
    expect(sourceError.entry).to.equal("a.xml");
    expect(sourceError.reason).to.equal("compressed data ends early");
    expect(sourceError.message).to.equal(`${file}[a.xml]: compressed data ends early`);
    expect((sourceError.cause as NodeJS.ErrnoException).code).to.equal("Z_BUF_ERROR");
  });

  it("hands out every record of the first entry, then fails naming the file, when a tar.gz's compressed data ends between two entries", async function () {
    this.timeout(5000);
    const { tar, secondStart } = await twoEntryTar(dir, 300);
    const { gz, flushedLength } = await gzipFlushedAt(tar, secondStart);
    const file = path.join(dir, "items_new.tar.gz");
    await writeFile(file, gz.subarray(0, flushedLength));
    const { records, error } = await collect(file);
    expect(records.map((r) => getControlValue(r, "001"))).to.deep.equal(numbered("a", 300));
    expect(error).to.be.instanceOf(MarcSourceError);
    expect((error as MarcSourceError).entry).to.equal(undefined);
    expect((error as Error).message).to.equal(`${file}: compressed data ends early`);
  });

  it("fails naming the entry when a plain tar ends inside it, instead of reading the cut XML as a whole document", async function () {
    this.timeout(5000);
    const { tar } = await twoEntryTar(dir, 300);
    const file = path.join(dir, "items_new.tar");
    await writeFile(file, tar.subarray(0, 512 + 50_000));
    const { records, error } = await collect(file);
    expect(records.map((r) => getControlValue(r, "001"))).to.deep.equal(numbered("a", records.length));
    expect(error).to.be.instanceOf(MarcSourceError);
    expect((error as MarcSourceError).entry).to.equal("a.xml");
    expect((error as MarcSourceError).reason).to.match(/^the archive ends early \(needed \d+ more bytes/);
  });

  it("reads a large entry chunk by chunk without piling up listeners on the tar parser", async () => {
    const records = Array.from(
      { length: 6000 },
      (_, i) =>
        `<record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">${i}</controlfield>` +
        `<datafield tag="500" ind1=" " ind2=" "><subfield code="a">${randomBytes(300).toString("base64")}</subfield></datafield></record>`,
    );
    const content = path.join(dir, "content");
    await mkdir(content);
    await writeFile(path.join(content, "big_new.xml"), `<collection>${records.join("\n")}</collection>`);
    const file = path.join(dir, "big.tar.gz");
    await createTar({ gzip: true, cwd: content, file, portable: true }, ["big_new.xml"]);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on("warning", onWarning);
    try {
      const { records: read, error } = await collect(file, { chunkSize: 16 * 1024 });
      expect(error).to.equal(undefined);
      expect(read).to.have.length(6000);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).to.deep.equal([]);
  });

  it("stops reading the archive when the consumer stops early", async () => {
    const file = await publishingTar(dir);
    const stream = createReadStream(file);
    let seen = 0;
    for await (const record of readMarc({ stream, name: file })) {
      expect(record.origin.entry).to.equal("items_20240115_093012_new.xml");
      seen++;
      break;
    }
    expect(seen).to.equal(1);
    expect(stream.destroyed).to.equal(true);
  });
});

import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import {
  MarcParseError,
  MarcRecordError,
  MarcSourceError,
  firstSubfieldValue,
  formatOf,
  getControlValue,
  parseMarcXml,
  readMarc,
  recordsEqual,
} from "../../src/marc/index.js";
import { collect, describeFields, fixture, tempDir } from "./helpers.js";

describe("MARC-XML reader", () => {
  it("reads every record of a collection with fields, indicators and subfields in document order", async () => {
    const { records, invalid, error } = await collect(fixture("publishing-unprefixed.xml"));
    expect(error).to.equal(undefined);
    expect(invalid).to.deep.equal([]);
    expect(records).to.have.length(2);
    expect(records[0]!.leader).to.equal("01234cam a2200397 i 4500");
    expect(describeFields(records[1]!)).to.deep.equal([
      "001 991000000206966",
      "035    $a(OCoLC)123",
      "035    $a(EXLNZ-01AAA_NETWORK)9912345700001",
      "949 01 $aДети Арбата",
      "ITM    $b31236016575931 $cLAW $lrs_shared",
    ]);
  });

  it("resolves entities, character references and CDATA, and keeps non-ASCII text as is", async () => {
    const { records } = await collect(fixture("publishing-unprefixed.xml"));
    const first = records[0]!;
    expect(firstSubfieldValue(first, "245", "a")).to.equal(
      "Crime & punishment <annotated> : Über „Schuld“ /",
    );
    expect(firstSubfieldValue(first, "245", "c")).to.equal("édité par Zoë 中文 é\"'");
    expect(firstSubfieldValue(first, "500", "a")).to.equal("Notes with <markup> & ampersands");
    expect(firstSubfieldValue(first, "ITM", "n")).to.equal("Boîte n° 7 – fragile 😀");
  });

  it("reads the marc: prefix the same as the default namespace", async () => {
    const plain = await collect(fixture("publishing-unprefixed.xml"));
    const prefixed = await collect(fixture("publishing-prefixed.xml"));
    expect(prefixed.error).to.equal(undefined);
    expect(prefixed.records).to.have.length(2);
    prefixed.records.forEach((r, i) => expect(recordsEqual(r, plain.records[i]!)).to.equal(true));
  });

  it("reads an ArchivesSpace export whose attributes come in another order", async () => {
    const { records } = await collect(fixture("aspace-export.xml"));
    expect(records).to.have.length(1);
    expect(describeFields(records[0]!)).to.deep.equal([
      "008 221215i19171950xx                  eng d",
      "099    $aMC001.01",
      "500    $aLocation of resource: scarcpph.",
      "856 42 $zFinding aid online: $uhttp://arks.princeton.edu/ark:/88435/rj430454b",
    ]);
  });

  it("reads a single record root and treats xsi:nil elements as empty, under any prefix", async () => {
    const { records, invalid } = await collect(fixture("nil-and-single-record.xml"));
    expect(invalid).to.deep.equal([]);
    expect(records).to.have.length(1);
    expect(describeFields(records[0]!)).to.deep.equal(["001 42", "005 ", "245 00 $aTitle $b", "300    "]);
  });

  it("keeps the text of an element marked xsi:nil that has text all the same", () => {
    const [record] = parseMarcXml(
      '<record xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><leader>00000nam a2200000 a 4500</leader>' +
        '<datafield tag="500" ind1=" " ind2=" "><subfield code="a" xsi:nil="true">Kept</subfield></datafield></record>',
    );
    expect(describeFields(record!)).to.deep.equal(["500    $aKept"]);
  });

  it("finds records inside any wrapper, such as an Alma <bib> body", () => {
    const records = parseMarcXml(
      "<bib><mms_id>99</mms_id><record><leader>00000nam a2200000 a 4500</leader>" +
        '<controlfield tag="001">99</controlfield></record></bib>',
    );
    expect(records).to.have.length(1);
    expect(getControlValue(records[0]!, "001")).to.equal("99");
  });

  it("tells each record which file it came from and the line of its <record> tag", async () => {
    const file = fixture("publishing-unprefixed.xml");
    const { records } = await collect(file);
    expect(records.map((r) => r.origin)).to.deep.equal([
      { file, entry: undefined, line: 3 },
      { file, entry: undefined, line: 29 },
    ]);
  });

  it("reads the same records whatever the chunk boundaries, even inside a multibyte character or an entity", async () => {
    const whole = await collect(fixture("publishing-unprefixed.xml"));
    for (const chunkSize of [1, 3, 7, 64]) {
      const split = await collect(fixture("publishing-unprefixed.xml"), { chunkSize });
      expect(split.records).to.have.length(2);
      split.records.forEach((r, i) =>
        expect(recordsEqual(r, whole.records[i]!), `chunk ${chunkSize}`).to.equal(true),
      );
    }
  });

  it("reads a file declared ISO-8859-1 as Latin-1, whatever the chunk boundaries", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const file = path.join(dir, "latin1.xml");
      const xml =
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<collection><record><leader>00000nam a2200000 a 4500</leader>' +
        '<datafield tag="245" ind1="1" ind2="0"><subfield code="a">Café crème à Zürich</subfield></datafield>' +
        "</record></collection>\n";
      await writeFile(file, Buffer.from(xml, "latin1"));
      for (const chunkSize of [1, 7, 64 * 1024]) {
        const { records, error } = await collect(file, { chunkSize });
        expect(error, `chunk ${chunkSize}`).to.equal(undefined);
        expect(describeFields(records[0]!)).to.deep.equal(["245 10 $aCafé crème à Zürich"]);
      }
    } finally {
      await cleanup();
    }
  });

  it("refuses a document declared in an encoding it does not read, rather than garble its letters", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const file = path.join(dir, "cp1252.xml");
      await writeFile(
        file,
        Buffer.from('<?xml version="1.0" encoding="windows-1252"?><collection></collection>', "latin1"),
      );
      const { records, error } = await collect(file);
      expect(records).to.deep.equal([]);
      expect(error).to.be.instanceOf(MarcParseError);
      expect((error as Error).message).to.equal(
        `${file}:1:30: encoding "windows-1252" is not supported: only UTF-8 and ISO-8859-1 are read`,
      );
    } finally {
      await cleanup();
    }
  });

  it("fails with the file system's error when the file is missing", async () => {
    const { records, error } = await collect(fixture("no-such-file.xml"));
    expect(records).to.deep.equal([]);
    expect((error as NodeJS.ErrnoException).code).to.equal("ENOENT");
  });

  it("reads a gzip file as a stream", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const gz = path.join(dir, "items.xml.gz");
      await writeFile(gz, gzipSync(await readFile(fixture("publishing-unprefixed.xml"))));
      expect(formatOf(gz)).to.equal("gzip");
      const { records, error } = await collect(gz);
      expect(error).to.equal(undefined);
      expect(records.map((r) => getControlValue(r, "001"))).to.deep.equal([
        "991000000106966",
        "991000000206966",
      ]);
      expect(records[0]!.origin.file).to.equal(gz);
    } finally {
      await cleanup();
    }
  });

  it("fails with MarcSourceError naming the file when a gzip file ends early, after the records before the cut", async function () {
    this.timeout(5000);
    const { dir, cleanup } = await tempDir();
    try {
      const records = Array.from(
        { length: 2000 },
        (_, i) =>
          `<record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">${i}</controlfield>` +
          `<datafield tag="500" ind1=" " ind2=" "><subfield code="a">${randomBytes(100).toString("hex")}</subfield></datafield></record>`,
      );
      const gzipped = gzipSync(`<collection>\n${records.join("\n")}\n</collection>\n`);
      const gz = path.join(dir, "items.xml.gz");
      await writeFile(gz, gzipped.subarray(0, Math.floor(gzipped.length / 2)));
      const { records: read, error } = await collect(gz);
      expect(read.length).to.be.greaterThan(0);
      expect(read.map((r) => getControlValue(r, "001"))).to.deep.equal(read.map((_, i) => String(i)));
      expect(error).to.be.instanceOf(MarcSourceError);
      const sourceError = error as MarcSourceError;
      expect(sourceError.code).to.equal("EMARCSOURCE");
      expect(sourceError.file).to.equal(gz);
      expect(sourceError.entry).to.equal(undefined);
      expect(sourceError.message).to.equal(`${gz}: compressed data ends early`);
    } finally {
      await cleanup();
    }
  });

  it("reads an open stream under the name it is given, in the format it is told", async () => {
    const gz = gzipSync(await readFile(fixture("aspace-export.xml")));
    const { records } = await collect({ stream: Readable.from([gz]), name: "upload", format: "gzip" });
    expect(records).to.have.length(1);
    expect(records[0]!.origin.file).to.equal("upload");
  });

  it("reports truncated XML with file, line and column after handing out the records before it", async () => {
    const file = fixture("truncated.xml");
    const { records, error } = await collect(file);
    expect(records.map((r) => getControlValue(r, "001"))).to.deep.equal(["first", "second"]);
    expect(error).to.be.instanceOf(MarcParseError);
    const parseError = error as MarcParseError;
    expect(parseError.name).to.equal("MarcParseError");
    expect(parseError.code).to.equal("EMARCPARSE");
    expect(parseError.file).to.equal(file);
    expect(parseError.entry).to.equal(undefined);
    expect(parseError.line).to.equal(12);
    expect(parseError.column).to.be.greaterThan(0);
    expect(parseError.message).to.equal(`${file}:12:${parseError.column}: ${parseError.reason}`);
  });

  it("reports a mismatched end tag at its line", async () => {
    const xml =
      "<collection>\n<record><leader>00000nam a2200000 a 4500</leader></record>\n<record><leader>x</leader>\n</collection>";
    const { records, error } = await collect({ stream: Readable.from([xml]), name: "bad.xml" });
    expect(records).to.have.length(1);
    expect(error).to.be.instanceOf(MarcParseError);
    expect((error as MarcParseError).line).to.equal(4);
    expect((error as MarcParseError).reason).to.match(/unexpected close tag/);
  });

  it("reports an empty file as malformed", async () => {
    const { error } = await collect({ stream: Readable.from([""]), name: "empty.xml" });
    expect(error).to.be.instanceOf(MarcParseError);
    expect((error as MarcParseError).reason).to.match(/root element/);
  });

  it("skips a record with a bad tag or without leader, reports it with its position and reads on", async () => {
    const file = fixture("invalid-records.xml");
    const { records, invalid, error } = await collect(file);
    expect(error).to.equal(undefined);
    expect(records.map((r) => getControlValue(r, "001"))).to.deep.equal(["good-1", "good-2"]);
    expect(invalid.map((e) => [e.reason, e.controlNumber, e.line])).to.deep.equal([
      ['datafield tag "24" is not three letters or digits', "bad-tag", 6],
      ["record has no leader", "no-leader", 11],
    ]);
    expect(invalid[0]).to.be.instanceOf(MarcRecordError);
    expect(invalid[0]!.code).to.equal("EMARCRECORD");
    expect(invalid[0]!.file).to.equal(file);
    expect(invalid[1]!.message).to.equal(
      `${file}:11:${invalid[1]!.column}: record skipped (001 no-leader): record has no leader`,
    );
  });

  it("reports subfields without a one-character code and indicators longer than one character", () => {
    const invalid: string[] = [];
    const records = parseMarcXml(
      "<collection>" +
        '<record><leader>L</leader><datafield tag="245" ind1="1" ind2="0"><subfield>x</subfield></datafield></record>' +
        '<record><leader>L</leader><datafield tag="245" ind1="10" ind2="0"/></record>' +
        '<record><leader>L</leader><datafield tag="245"><subfield code="a">ok</subfield></datafield></record>' +
        "</collection>",
      { onInvalidRecord: (e) => invalid.push(e.reason) },
    );
    expect(invalid).to.deep.equal([
      "subfield code (missing) is not one character",
      'ind1 "10" is not one character',
    ]);
    expect(records).to.have.length(1);
    expect(describeFields(records[0]!)).to.deep.equal(["245    $aok"]);
  });

  it("hands out records in order to next() calls made without waiting for each other", async () => {
    const records = readMarc(fixture("publishing-unprefixed.xml"), { chunkSize: 16 });
    const results = await Promise.all([records.next(), records.next(), records.next()]);
    expect(results.map((r) => (r.done === true ? "done" : getControlValue(r.value, "001")))).to.deep.equal([
      "991000000106966",
      "991000000206966",
      "done",
    ]);
  });

  it("ends the iteration with the error of an onInvalidRecord that throws, and closes the file", async () => {
    const stream = createReadStream(fixture("invalid-records.xml"));
    const records = readMarc(
      { stream, name: "x" },
      {
        onInvalidRecord: () => {
          throw new Error("stop here");
        },
      },
    );
    const seen: string[] = [];
    const error = await (async () => {
      for await (const record of records) seen.push(getControlValue(record, "001") ?? "");
    })().catch((e: unknown) => e);
    expect((error as Error).message).to.equal("stop here");
    expect(seen).to.deep.equal(["good-1"]);
    expect(stream.destroyed).to.equal(true);
  });

  it("closes the file when the consumer stops before asking for a record", async () => {
    const stream = createReadStream(fixture("publishing-unprefixed.xml"));
    await readMarc({ stream, name: "x" }).return?.();
    expect(stream.destroyed).to.equal(true);
  });

  it("stops reading the file when the consumer stops early", async () => {
    const stream = createReadStream(fixture("publishing-unprefixed.xml"), { highWaterMark: 64 });
    for await (const record of readMarc({ stream, name: "x" })) {
      expect(record.leader).to.have.length(24);
      break;
    }
    expect(stream.destroyed).to.equal(true);
  });
});
